// Container output as the Engine API sends it without a TTY: frames of
// [stream (1 stdout, 2 stderr), 0, 0, 0, size (4 bytes, big-endian)] + data.
#pragma once

#include <string>

namespace atomixtest::docker {

struct SplitOutput {
    std::string out;
    std::string err;
    std::string both;  // in the order written
};

// Text that is not framed (a TTY container) is returned as it is, as stdout.
SplitOutput split_log_stream(const std::string& raw);

}  // namespace atomixtest::docker
