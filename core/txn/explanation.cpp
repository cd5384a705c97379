#include "txn/explanation.hpp"

#include <cctype>

namespace atomixtest::txn {

namespace {

// Read back by the EDN reader as the same name.
bool keyword_like(const std::string& text) {
    if (text.empty() || std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '-' ||
        text[0] == '+' || text[0] == '.') {
        return false;
    }
    for (char c : text) {
        if (!std::isalnum(static_cast<unsigned char>(c)) &&
            std::string_view("*!_?<>=/-.").find(c) == std::string_view::npos) {
            return false;
        }
    }
    return true;
}

std::string edn_scalar(const nlohmann::json& value, bool keyword) {
    if (value.is_string() && keyword && keyword_like(value.get<std::string>())) {
        return ":" + value.get<std::string>();
    }
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

const char* edge_name(uint8_t bit) {
    switch (bit) {
        case kWw:
            return "ww";
        case kWr:
            return "wr";
        case kRw:
            return "rw";
        case kProcess:
            return "process";
        case kRealtime:
            return "realtime";
    }
    return "?";
}

std::string value_text(const nlohmann::json& value) {
    if (value.is_string() && keyword_like(value.get<std::string>()))
        return value.get<std::string>();
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string mops_text(const TxnHistory& history, uint32_t t) {
    const auto& txn = history.txns[t];
    bool known = txn.type == EventType::Ok;
    std::string text = "[";
    for (auto mop = history.begin(txn); mop != history.end(txn); ++mop) {
        if (mop != history.begin(txn)) text += ' ';
        text += mop->kind == MopKind::Append  ? "[:append "
                : mop->kind == MopKind::Write ? "[:w "
                                              : "[:r ";
        text += edn_scalar(history.keys.value(mop->key), true) + " ";
        if (mop->kind != MopKind::Read) {
            text += edn_scalar(history.values.value(mop->value), false);
        } else if (!known) {
            text += "nil";
        } else if (history.model == TxnModel::RwRegister) {
            text +=
                mop->value == kNone ? "nil" : edn_scalar(history.values.value(mop->value), false);
        } else {
            text += "[";
            for (uint32_t i = 0; i < mop->list_size; ++i) {
                text +=
                    (i ? " " : "") + edn_scalar(history.values.value(history.list(*mop)[i]), false);
            }
            text += "]";
        }
        text += "]";
    }
    return text + "]";
}

std::string txn_text(const TxnHistory& history, uint32_t t) {
    const auto& txn = history.txns[t];
    std::string lines = txn.complete_line ? "lines " + std::to_string(txn.invoke_line) + "-" +
                                                std::to_string(txn.complete_line)
                                          : "line " + std::to_string(txn.invoke_line);
    return "{:process " + std::to_string(txn.process) + ", :type :" + to_string(txn.type) +
           ", :value " + mops_text(history, t) + "} (" + lines + ")";
}

std::string explain_step(const TxnHistory& history, const DependencyExplainer& explainer,
                         uint32_t a, uint32_t b, uint8_t bit, const std::string& a_name,
                         const std::string& b_name) {
    const auto& ta = history.txns[a];
    const auto& tb = history.txns[b];
    if (bit == kProcess) {
        return "process " + std::to_string(ta.process) + " executed " + a_name + " before " +
               b_name;
    }
    if (bit == kRealtime) {
        return a_name + " completed (line " + std::to_string(ta.complete_line) + ") before " +
               b_name + " began (line " + std::to_string(tb.invoke_line) + ")";
    }
    auto words = explainer.explain(a, b, bit, a_name, b_name);
    if (words.empty())
        words = a_name + " precedes " + b_name + " by a " + edge_name(bit) + " dependency";
    return words;
}

std::string explain_cycle(const TxnHistory& history, const DependencyExplainer& explainer,
                          const Cycle& cycle) {
    auto name = [](size_t i) { return "T" + std::to_string(i + 1); };
    std::string text = "Let:\n";
    for (size_t i = 0; i < cycle.steps.size(); ++i) {
        text += "  " + name(i) + " = " + txn_text(history, cycle.steps[i].txn) + "\n";
    }
    text += "\nThen:\n";
    for (size_t i = 0; i < cycle.steps.size(); ++i) {
        auto next = (i + 1) % cycle.steps.size();
        bool last = next == 0;
        text += std::string("  - ") + (last ? "However, " : "") + name(i) + " < " + name(next) +
                ", because " +
                explain_step(history, explainer, cycle.steps[i].txn, cycle.steps[next].txn,
                             cycle.steps[i].bit, name(i), name(next)) +
                (last ? ": a contradiction!\n" : ".\n");
    }
    return text;
}

std::string explain_direct(const TxnHistory& history, const DirectAnomaly& anomaly) {
    std::string text;
    if (!anomaly.txns.empty()) {
        text = "Let:\n";
        for (size_t i = 0; i < anomaly.txns.size(); ++i) {
            text +=
                "  T" + std::to_string(i + 1) + " = " + txn_text(history, anomaly.txns[i]) + "\n";
        }
        text += "\nThen:\n";
    }
    return text + "  " + anomaly.explanation + ".\n";
}

}  // namespace atomixtest::txn
