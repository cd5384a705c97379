#include "util/random_draw.hpp"

namespace atomixtest {

uint64_t draw_uniform(std::mt19937_64& random, uint64_t low, uint64_t high) {
    uint64_t span = high - low + 1;
    if (span == 0) return random();  // the whole 64-bit range
    // Rejection keeps it unbiased: draws from the incomplete last block are redrawn.
    uint64_t limit = UINT64_MAX - UINT64_MAX % span;
    uint64_t value = random();
    while (value >= limit) value = random();
    return low + value % span;
}

}  // namespace atomixtest
