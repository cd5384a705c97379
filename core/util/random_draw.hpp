// Draws from a seeded generator that come out the same on every machine: the
// generator's raw output, not the standard library's distributions (whose
// results differ between implementations), so a seed replays anywhere.
#pragma once

#include <cstdint>
#include <random>

namespace atomixtest {

// Uniform in [low, high].
uint64_t draw_uniform(std::mt19937_64& random, uint64_t low, uint64_t high);

}  // namespace atomixtest
