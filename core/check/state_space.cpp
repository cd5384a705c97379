#include <algorithm>

#include "check/search_model.hpp"

namespace atomixtest {

StateSpace::StateSpace(Model model, const ValuePool& pool, MemoryBudget* budget)
    : model_(model), pool_(pool), charge_(budget, 0) {}

size_t StateSpace::bytes() const {
    constexpr size_t kNode = 64;  // a hash or tree node, about
    return texts_.bytes() + local_.size() * (sizeof(nlohmann::json) + kNode) +
           sets_.size() * (2 * sizeof(std::vector<int64_t>) + 2 * kNode) +
           set_elements_ * 2 * sizeof(int64_t) + added_.size() * kNode;
}

int64_t StateSpace::intern_local(nlohmann::json value) {
    // The pool first: a state must have one id however it was reached, since
    // reads compare ids.
    if (auto id = pool_.find(value)) return *id;
    auto [found, inserted] =
        local_ids_.try_emplace(value, static_cast<int64_t>(pool_.size() + local_.size()));
    if (inserted) local_.push_back(std::move(value));
    return found->second;
}

nlohmann::json StateSpace::describe(int64_t state) const {
    if (TextStates::is_text(state)) return texts_.spell(state);
    if (model_ == Model::Counter) return state;
    if (model_ == Model::Set) {
        auto elements = nlohmann::json::array();
        for (auto element : sets_[static_cast<size_t>(state)]) {
            auto index = static_cast<size_t>(element);
            elements.push_back(index < pool_.size() ? pool_.value(static_cast<uint32_t>(index))
                                                    : local_[index - pool_.size()]);
        }
        return elements;
    }
    auto index = static_cast<size_t>(state);
    return index < pool_.size() ? pool_.value(static_cast<uint32_t>(index))
                                : local_[index - pool_.size()];
}

int64_t StateSpace::append(int64_t state, int64_t value) {
    // The translation checked that an append's value is a string of the pool.
    const auto& piece = pool_.value(static_cast<uint32_t>(value)).get_ref<const std::string&>();
    if (state == ValuePool::kNull) return texts_.of(piece);
    if (!TextStates::is_text(state)) return -1;
    return texts_.append(state, piece);
}

int64_t StateSpace::intern_set(std::vector<int64_t> elements) {
    std::sort(elements.begin(), elements.end());
    elements.erase(std::unique(elements.begin(), elements.end()), elements.end());
    auto [found, inserted] = set_ids_.try_emplace(elements, static_cast<int64_t>(sets_.size()));
    if (inserted) {
        set_elements_ += elements.size();
        sets_.push_back(std::move(elements));
    }
    return found->second;
}

int64_t StateSpace::set_add(int64_t set, int64_t element) {
    auto memo = (static_cast<uint64_t>(set) << 32) | static_cast<uint32_t>(element);
    auto found = added_.find(memo);
    if (found != added_.end()) return found->second;
    auto elements = sets_[static_cast<size_t>(set)];
    elements.push_back(element);
    auto next = intern_set(std::move(elements));
    added_.emplace(memo, next);
    return next;
}

int64_t StateSpace::state_of(const nlohmann::json& value, bool& valid) {
    valid = true;
    switch (model_) {
        case Model::Counter:
            if (value.is_null()) return 0;  // a counter starts at 0
            valid = value.is_number_integer();
            return valid ? value.get<int64_t>() : 0;
        case Model::Set: {
            if (value.is_null()) return intern_set({});
            valid = value.is_array();
            std::vector<int64_t> elements;
            if (valid) {
                for (const auto& element : value) elements.push_back(intern_local(element));
            }
            return intern_set(std::move(elements));
        }
        case Model::Kv:
            if (value.is_string()) return texts_.of(value.get_ref<const std::string&>());
            return intern_local(value);
        default:
            return intern_local(value);
    }
}

}  // namespace atomixtest
