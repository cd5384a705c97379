#include "cli/outline.hpp"

namespace atomixtest::cli {

namespace {

thread_local OutlineCapture* active_capture = nullptr;

OptionOutline option_outline(const CLI::Option& option) {
    OptionOutline outline;
    outline.help = option.get_description();
    outline.positional = option.get_lnames().empty() && option.get_snames().empty();
    outline.takes_value = option.get_type_size_max() != 0;
    if (outline.positional) {
        outline.names.push_back(option.get_name());
        return outline;
    }
    for (const auto& name : option.get_snames()) outline.names.push_back("-" + name);
    for (const auto& name : option.get_lnames()) outline.names.push_back("--" + name);
    return outline;
}

}  // namespace

CommandOutline outline_of(const CLI::App& app) {
    CommandOutline outline;
    outline.name = app.get_name();
    outline.description = app.get_description();
    outline.footer = app.get_footer();
    for (const auto* option : app.get_options()) {
        if (option == app.get_help_ptr()) continue;
        outline.options.push_back(option_outline(*option));
    }
    for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        outline.subcommands.push_back(outline_of(*sub));
    }
    return outline;
}

OutlineCapture::OutlineCapture() : previous_(active_capture) {
    active_capture = this;
}

OutlineCapture::~OutlineCapture() {
    active_capture = previous_;
}

CommandOutline outline_of_command(int (*run)(const Args&), const Args& args) {
    OutlineCapture capture;
    try {
        run(args);
    } catch (const std::exception&) {
        return {};
    }
    return capture.outline().value_or(CommandOutline{});
}

bool capture_outline(const CLI::App& app) {
    if (active_capture == nullptr) return false;
    active_capture->outline_ = outline_of(app);
    return true;
}

}  // namespace atomixtest::cli
