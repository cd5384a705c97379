#include "txn/txn_report.hpp"

#include <cstdio>

#include "txn/inference.hpp"

namespace atomixtest::txn {

namespace {

std::vector<AnomalyClass> classes_of(AnomalySet set) {
    std::vector<AnomalyClass> classes;
    for (int c = 0; c < kAnomalyClassCount; ++c) {
        if (set & (AnomalySet{1} << c)) classes.push_back(static_cast<AnomalyClass>(c));
    }
    return classes;
}

nlohmann::json names(AnomalySet set) {
    auto list = nlohmann::json::array();
    for (auto c : classes_of(set)) list.push_back(to_string(c));
    return list;
}

nlohmann::json names(const std::vector<ConsistencyModel>& models) {
    auto list = nlohmann::json::array();
    for (auto m : models) list.push_back(to_string(m));
    return list;
}

std::string joined(const std::vector<ConsistencyModel>& models) {
    std::string text;
    for (auto m : models) text += (text.empty() ? "" : ", ") + std::string(to_string(m));
    return text;
}

std::string indented(const std::string& text) {
    std::string out;
    bool line_start = true;
    for (char c : text) {
        if (line_start && c != '\n') out += "    ";
        out += c;
        line_start = c == '\n';
    }
    return out;
}

}  // namespace

std::string class_list(AnomalySet set) {
    std::string text;
    for (auto c : classes_of(set)) text += (text.empty() ? "" : ", ") + std::string(to_string(c));
    return text;
}

nlohmann::json mops_json(const TxnHistory& history, uint32_t t) {
    const auto& txn = history.txns[t];
    auto value = nlohmann::json::array();
    for (auto mop = history.begin(txn); mop != history.end(txn); ++mop) {
        const char* f = mop->kind == MopKind::Append  ? "append"
                        : mop->kind == MopKind::Write ? "w"
                                                      : "r";
        nlohmann::json result;
        if (mop->kind != MopKind::Read) {
            result = history.values.value(mop->value);
        } else if (txn.type == EventType::Ok && history.model == TxnModel::RwRegister) {
            if (mop->value != kNone) result = history.values.value(mop->value);
        } else if (txn.type == EventType::Ok) {
            result = nlohmann::json::array();
            for (uint32_t i = 0; i < mop->list_size; ++i) {
                result.push_back(history.values.value(history.list(*mop)[i]));
            }
        }
        value.push_back({f, history.keys.value(mop->key), result});
    }
    return value;
}

std::string format_txn_result(const TxnCheckResult& result, bool explanations) {
    const auto& options = result.options;
    char line[512];
    snprintf(line, sizeof line,
             "%s: %zu transactions (%zu ok, %zu info, %zu fail), model %s, consistency %s "
             "(%.2f s)\n",
             to_string(result.verdict), result.ok + result.info + result.fail, result.ok,
             result.info, result.fail, to_string(options.model), to_string(options.consistency),
             result.elapsed.count());
    std::string text = line;
    if (!result.found) {
        text += "no anomalies found\n";
    } else {
        std::string counts;
        for (const auto& [type, count] : result.counts) {
            counts += (counts.empty() ? "" : ", ") + std::string(to_string(type)) + " " +
                      std::to_string(count);
        }
        text += "anomalies found: " + counts + "\n";
        text += result.forbidden ? "forbidden by " + std::string(to_string(options.consistency)) +
                                       ": " + class_list(result.forbidden) + "\n"
                                 : "none of them is forbidden by " +
                                       std::string(to_string(options.consistency)) + "\n";
        text += "rules out: " + joined(result.ruled_out.weakest);
        if (!result.ruled_out.also.empty())
            text += " (and so " + joined(result.ruled_out.also) + ")";
        text += "\n";
    }
    if (result.undecided) {
        text += "undecided: the search for " + class_list(result.undecided) +
                " gave up in a strongly connected component (largest: " +
                std::to_string(result.largest_component) + " transactions)\n";
    }
    if (result.unsound) {
        text +=
            "a value was written more than once: the inference assumes unique writes, so "
            "the verdict cannot be trusted\n";
    }
    if (!explanations) return text;
    std::map<AnomalyClass, int> number;
    for (const auto& anomaly : result.anomalies) {
        if (anomaly.explanation.empty()) continue;
        text += "\n" + std::string(to_string(anomaly.type)) + " #" +
                std::to_string(++number[anomaly.type]) + ": " +
                std::string(describe(anomaly.type)) + "\n" + indented(anomaly.explanation);
    }
    for (const auto& [type, count] : result.counts) {
        if (count > options.examples) {
            text += "(" + std::to_string(count - options.examples) + " more " + to_string(type) +
                    " not shown)\n";
        }
    }
    return text;
}

nlohmann::json to_json(const TxnCheckResult& result) {
    const auto& history = result.history;
    nlohmann::json anomalies = nlohmann::json::array();
    for (const auto& anomaly : result.anomalies) {
        nlohmann::json txns = nlohmann::json::array();
        for (auto t : anomaly.txns) {
            const auto& txn = history.txns[t];
            txns.push_back({{"index", t},
                            {"process", txn.process},
                            {"type", to_string(txn.type)},
                            {"value", mops_json(history, t)},
                            {"invoke_line", txn.invoke_line},
                            {"complete_line", txn.complete_line}});
        }
        nlohmann::json steps = nlohmann::json::array();
        for (size_t i = 0; i < anomaly.steps.size(); ++i) {
            steps.push_back({{"from", i},
                             {"to", (i + 1) % anomaly.steps.size()},
                             {"type", edge_name(anomaly.steps[i])}});
        }
        anomalies.push_back({{"type", to_string(anomaly.type)},
                             {"transactions", txns},
                             {"steps", steps},
                             {"explanation", anomaly.explanation}});
    }
    nlohmann::json counts = nlohmann::json::object();
    for (const auto& [type, count] : result.counts) counts[to_string(type)] = count;
    nlohmann::json valid = result.verdict == TxnVerdict::Unknown
                               ? nlohmann::json("unknown")
                               : nlohmann::json(result.verdict == TxnVerdict::Valid);
    return {{"verdict", to_string(result.verdict)},
            {"valid", valid},
            {"model", to_string(result.options.model)},
            {"consistency", to_string(result.options.consistency)},
            {"transactions", {{"ok", result.ok}, {"info", result.info}, {"fail", result.fail}}},
            {"anomaly_types", names(result.found)},
            {"forbidden", names(result.forbidden)},
            {"undecided", names(result.undecided)},
            {"unsound", result.unsound},
            {"counts", counts},
            {"not", names(result.ruled_out.weakest)},
            {"also_not", names(result.ruled_out.also)},
            {"anomalies", anomalies},
            {"graph",
             {{"edges", result.edges},
              {"components", result.components},
              {"largest_component", result.largest_component}}},
            {"elapsed_s", result.elapsed.count()}};
}

}  // namespace atomixtest::txn
