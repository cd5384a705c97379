#include "clock_page.hpp"

#include <cstring>

namespace atomixtest::clock {

int64_t adjusted_ns(const ClockData& data, int64_t real_ns) {
    // As the replacement code: a 128-bit product shifted back by 32.
    __int128 scaled = static_cast<__int128>(real_ns - data.base_ns) * data.rate_fp;
    auto adjusted = static_cast<int64_t>(static_cast<uint64_t>(scaled >> 32)) + data.base_ns +
                    data.offsets[data.selector & 1];
    return adjusted < 0 ? 0 : adjusted;
}

ClockData identity_data(int64_t real_ns) {
    ClockData data{};
    data.magic = kClockMagic;
    data.base_ns = real_ns;
    data.rate_fp = kRateOne;
    data.rate = 1.0;
    std::strncpy(data.name, kMappingName, sizeof data.name - 1);
    return data;
}

}  // namespace atomixtest::clock
