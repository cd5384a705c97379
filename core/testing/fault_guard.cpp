#include "atomixtest/testing/fault_guard.hpp"

#include <exception>
#include <iostream>

namespace atomixtest {

FaultGuard::FaultGuard(std::string description, std::function<void()> undo)
    : description_(std::move(description)), undo_(std::move(undo)) {}

FaultGuard::FaultGuard(FaultGuard&& other) noexcept
    : description_(std::move(other.description_)), undo_(std::move(other.undo_)) {
    other.undo_ = nullptr;  // a moved-from std::function is not guaranteed empty
}

FaultGuard& FaultGuard::operator=(FaultGuard&& other) noexcept {
    if (this == &other) return *this;
    undo_quietly();
    description_ = std::move(other.description_);
    undo_ = std::move(other.undo_);
    other.undo_ = nullptr;
    return *this;
}

FaultGuard::~FaultGuard() {
    undo_quietly();
}

void FaultGuard::undo() {
    // Taken first: an undo that throws is not tried again by the destructor.
    auto undo = std::move(undo_);
    undo_ = nullptr;
    if (undo) undo();
}

void FaultGuard::keep() noexcept {
    undo_ = nullptr;
}

void FaultGuard::undo_quietly() noexcept {
    try {
        undo();
    } catch (const std::exception& error) {
        std::cerr << "atomix-test: undo of " << description_ << " failed: " << error.what() << "\n";
    } catch (...) {
        std::cerr << "atomix-test: undo of " << description_ << " failed\n";
    }
}

}  // namespace atomixtest
