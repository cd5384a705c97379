#include "clock_change.hpp"

#include "atomixtest/error.hpp"
#include "clock_verbs.hpp"

namespace atomixtest::clock {

nlohmann::json change_of(const std::string& verb, const Params& params) {
    if (verb == "bump") {
        return {{"op", "bump"},
                {"offset_ns", signed_duration(params.at("offset").get<std::string>()).count()}};
    }
    if (verb == "rate") return {{"op", "rate"}, {"rate", number_param(params, "rate")}};
    if (verb == "strobe") {
        return {{"op", "strobe"},
                {"delta_ns", duration_param(params, "delta").count()},
                {"period_ns", duration_param(params, "period").count()},
                {"duration_ns", duration_param(params, "duration").count()}};
    }
    throw not_found("the clock plugin has no verb " + verb);
}

nlohmann::json restore_of(const ClockData& before) {
    return {{"op", "restore"}, {"record", record_of(before)}};
}

ClockUpdate update_of(const nlohmann::json& change) {
    try {
        auto op = change.at("op").get<std::string>();
        if (op == "bump") {
            auto offset = change.at("offset_ns").get<int64_t>();
            return [offset](ClockData& data, int64_t) { bump(data, offset); };
        }
        if (op == "rate") {
            auto rate = change.at("rate").get<double>();
            return [rate](ClockData& data, int64_t now) { set_rate(data, rate, now); };
        }
        if (op == "strobe") {
            auto delta = change.at("delta_ns").get<int64_t>();
            auto period = change.at("period_ns").get<int64_t>();
            auto duration = change.at("duration_ns").get<int64_t>();
            return [=](ClockData& data, int64_t now) {
                arm_strobe(data, delta, period, now + duration);
            };
        }
        if (op == "restore") {
            auto record = record_from(change.at("record"));
            return [record](ClockData& data, int64_t) {
                // The saved vDSO bytes are the process's own, kept as they are.
                data.base_ns = record.base_ns;
                data.rate_fp = record.rate_fp;
                data.offsets[0] = record.offsets[0];
                data.offsets[1] = record.offsets[1];
                data.selector = record.selector;
                data.bump_ns = record.bump_ns;
                data.rate = record.rate;
                data.strobe_delta_ns = record.strobe_delta_ns;
                data.strobe_period_ns = record.strobe_period_ns;
                data.strobe_until_ns = record.strobe_until_ns;
            };
        }
    } catch (const nlohmann::json::exception& error) {
        throw bad_input(std::string("a clock change: ") + error.what());
    }
    throw bad_input("a clock change: no op bump, rate, strobe or restore in " + change.dump());
}

nlohmann::json record_of(const ClockData& data) {
    return {{"base_ns", data.base_ns},
            {"rate_fp", data.rate_fp},
            {"offsets", {data.offsets[0], data.offsets[1]}},
            {"selector", data.selector},
            {"bump_ns", data.bump_ns},
            {"rate", data.rate},
            {"strobe_delta_ns", data.strobe_delta_ns},
            {"strobe_period_ns", data.strobe_period_ns},
            {"strobe_until_ns", data.strobe_until_ns}};
}

ClockData record_from(const nlohmann::json& record) {
    ClockData data{};
    data.base_ns = record.at("base_ns").get<int64_t>();
    data.rate_fp = record.at("rate_fp").get<int64_t>();
    data.offsets[0] = record.at("offsets").at(0).get<int64_t>();
    data.offsets[1] = record.at("offsets").at(1).get<int64_t>();
    data.selector = record.at("selector").get<uint8_t>();
    data.bump_ns = record.at("bump_ns").get<int64_t>();
    data.rate = record.at("rate").get<double>();
    data.strobe_delta_ns = record.at("strobe_delta_ns").get<int64_t>();
    data.strobe_period_ns = record.at("strobe_period_ns").get<int64_t>();
    data.strobe_until_ns = record.at("strobe_until_ns").get<int64_t>();
    return data;
}

std::string clock_signature(const std::optional<ClockData>& data) {
    if (!data) return "own";
    return std::to_string(data->base_ns) + "/" + std::to_string(data->rate_fp) + "/" +
           std::to_string(data->offsets[0]) + "/" + std::to_string(data->offsets[1]);
}

}  // namespace atomixtest::clock
