// netem's decisions for one packet, drawn the way netem draws them: each
// chance with its correlation (the next draw leans on the last one), the delay
// from the chosen distribution around the latency with the jitter as spread.
#pragma once

#include <chrono>
#include <random>

#include "netem_spec.hpp"

namespace atomixtest::net {

struct PacketFate {
    bool drop = false;
    bool duplicate = false;
    bool corrupt = false;
    std::chrono::nanoseconds delay{0};
};

class FateDrawer {
  public:
    explicit FateDrawer(const NetemSpec& spec);
    PacketFate next();

  private:
    // A uniform draw in [0,1) correlated with the previous one (netem's get_crandom).
    struct Correlated {
        double last = 0;
        double draw(std::mt19937_64& random, double correlation);
    };
    bool happens(Correlated& state, const CorrelatedChance& chance);
    std::chrono::nanoseconds delay();

    NetemSpec spec_;
    std::mt19937_64 random_;
    Correlated loss_, duplicate_, corrupt_, reorder_, delay_;
};

}  // namespace atomixtest::net
