// How an entropy run shows its status line (entropy/progress_line.hpp); an
// option of the run, so it sits with the other options.
#pragma once

namespace atomixtest {

enum class ProgressStyle {
    Lines,    // a line each second: into a pipe or a file
    InPlace,  // one line redrawn each second: on a terminal
    None,     // --quiet
};

}  // namespace atomixtest
