// `atomix-test completion bash|zsh`: a script that asks `atomix-test
// __complete` for each word, so what it offers is what the installed
// commands, plugins and profiles accept at that moment.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/parse.hpp"

namespace atomixtest::cli {

namespace {

// COMP_WORDS without the program's name; the index of the word completed
// among them. With no candidate, bash completes file names (-o default).
constexpr const char* kBash =
    R"script(# bash completion for atomix-test: source <(atomix-test completion bash)
_atomix_test() {
    local IFS=$'\n'
    local words=("${COMP_WORDS[@]:1:COMP_CWORD}")
    COMPREPLY=($("${COMP_WORDS[0]}" __complete "$((COMP_CWORD - 1))" "${words[@]}" 2>/dev/null))
}
complete -o default -F _atomix_test atomix-test
)script";

// Installed as _atomix-test in $fpath (autoloaded), or sourced.
constexpr const char* kZsh = R"script(#compdef atomix-test
# zsh completion for atomix-test: source <(atomix-test completion zsh), or
# this file as _atomix-test in a directory of $fpath
_atomix_test() {
    local -a candidates
    candidates=("${(@f)$(${words[1]} __complete $((CURRENT - 2)) "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    if (( ${#candidates} )) && [[ -n ${candidates[1]} ]]; then
        compadd -Q -- "${candidates[@]}"
    else
        _files
    fi
}
if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
    _atomix_test "$@"
else
    compdef _atomix_test atomix-test
fi
)script";

}  // namespace

int completion_command(const Args& args) {
    CLI::App app("Print the shell completion script: source <(atomix-test completion bash)",
                 "atomix-test completion");
    std::string shell;
    app.add_option("SHELL", shell, "bash or zsh")
        ->required()
        ->check(CLI::IsMember({"bash", "zsh"}));
    if (auto code = parse_args(app, args)) return *code;
    std::cout << (shell == "bash" ? kBash : kZsh);
    return 0;
}

}  // namespace atomixtest::cli
