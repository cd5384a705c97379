#include "atomixtest/profile.hpp"

namespace atomixtest {

namespace {

TemplateValues member_values(const std::string& cluster, const MemberAddress& member) {
    return {{"cluster", cluster},
            {"name", member.name},
            {"id", std::to_string(member.id)},
            {"ip", member.ip}};
}

}  // namespace

TemplateValues node_template_values(const Profile& profile, const NodeContext& context) {
    TemplateValues values = profile.host_values;
    values.merge(member_values(context.cluster, context.node));
    // merge keeps what is there: the node's own values and host paths win.
    auto own = profile.values;
    values.merge(own);
    values["data_dir"] = context.data_dir;
    values["log_dir"] = context.log_dir;
    values["conf_dir"] = context.conf_dir;
    values["client_port"] = std::to_string(profile.client_port);
    values["cluster_state"] = context.cluster_state;
    values["listen_ip"] = context.listen_ip.empty() ? context.node.ip : context.listen_ip;
    for (const auto& [name, list] : profile.lists) {
        std::string joined;
        for (const auto& member : context.members) {
            auto item_values = profile.host_values;
            item_values.merge(member_values(context.cluster, member));
            joined +=
                (joined.empty() ? "" : list.separator) + render_template(list.item, item_values);
        }
        values[name] = joined;
    }
    return values;
}

std::vector<std::string> image_host_files(const Profile& profile) {
    std::vector<std::string> files;
    for (const auto& file : profile.image.host_files) {
        files.push_back(render_template(file, profile.host_values));
    }
    return files;
}

std::map<std::string, std::string> render_files(const Profile& profile,
                                                const TemplateValues& values) {
    std::map<std::string, std::string> files;
    for (const auto& [path, text] : profile.files) files[path] = render_template(text, values);
    return files;
}

}  // namespace atomixtest
