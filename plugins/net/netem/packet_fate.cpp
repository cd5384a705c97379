#include "packet_fate.hpp"

#include <cmath>

namespace atomixtest::net {

FateDrawer::FateDrawer(const NetemSpec& spec) : spec_(spec), random_(spec.seed) {}

double FateDrawer::Correlated::draw(std::mt19937_64& random, double correlation) {
    double fresh = std::uniform_real_distribution<double>(0, 1)(random);
    last = (1 - correlation) * fresh + correlation * last;
    return last;
}

bool FateDrawer::happens(Correlated& state, const CorrelatedChance& chance) {
    if (chance.probability <= 0) return false;
    return state.draw(random_, chance.correlation) < chance.probability;
}

std::chrono::nanoseconds FateDrawer::delay() {
    double mean = static_cast<double>(spec_.delay_latency().count());
    double spread = static_cast<double>(spec_.jitter.count());
    if (spread <= 0) return spec_.delay_latency();
    // One correlated uniform draw, shaped by the distribution's inverse CDF,
    // so the correlation carries over to the delays as in netem.
    double u = std::clamp(delay_.draw(random_, spec_.delay_correlation), 1e-9, 1 - 1e-9);
    double offset = 0;
    if (spec_.distribution == "uniform") {
        offset = (2 * u - 1) * spread;
    } else {
        // Standard normal quantile (Acklam's rational approximation is more
        // than netem's table resolution needs; erfinv via Newton is enough).
        double z = std::sqrt(2.0) * [&] {
            double x = 0, target = 2 * u - 1;
            for (int i = 0; i < 30; ++i) {
                double err = std::erf(x) - target;
                x -= err / (2 / std::sqrt(M_PI) * std::exp(-x * x));
            }
            return x;
        }();
        if (spec_.distribution == "normal") {
            offset = z * spread;
        } else {
            // Pareto with shape 3 scaled to the jitter, centred on its mean;
            // paretonormal mixes it with the normal as netem's table does.
            constexpr double kShape = 3;
            double pareto = std::pow(1 - u, -1 / kShape) - kShape / (kShape - 1);
            offset = spec_.distribution == "pareto" ? pareto * spread
                                                    : (0.25 * pareto + 0.75 * z) * spread;
        }
    }
    return std::chrono::nanoseconds(static_cast<int64_t>(std::max(0.0, mean + offset)));
}

PacketFate FateDrawer::next() {
    PacketFate fate;
    fate.drop = happens(loss_, spec_.loss);
    if (fate.drop) return fate;
    fate.duplicate = happens(duplicate_, spec_.duplicate);
    fate.corrupt = happens(corrupt_, spec_.corrupt);
    // A reordered packet goes at once, overtaking the delayed ones.
    fate.delay = happens(reorder_, spec_.reorder) ? std::chrono::nanoseconds(0) : delay();
    return fate;
}

}  // namespace atomixtest::net
