#include "log_stream.hpp"

namespace atomixtest::docker {

SplitOutput split_log_stream(const std::string& raw) {
    SplitOutput split;
    size_t at = 0;
    auto framed = [&](size_t position) {
        return position + 8 <= raw.size() && (raw[position] == 1 || raw[position] == 2) &&
               raw[position + 1] == 0 && raw[position + 2] == 0 && raw[position + 3] == 0;
    };
    if (!raw.empty() && !framed(0)) return {raw, "", raw};
    while (framed(at)) {
        auto byte = [&](size_t i) {
            return static_cast<size_t>(static_cast<unsigned char>(raw[i]));
        };
        size_t size = byte(at + 4) << 24 | byte(at + 5) << 16 | byte(at + 6) << 8 | byte(at + 7);
        auto data = raw.substr(at + 8, size);
        (raw[at] == 1 ? split.out : split.err) += data;
        split.both += data;
        at += 8 + size;
    }
    return split;
}

}  // namespace atomixtest::docker
