#include "check/memory_budget.hpp"

#include <unistd.h>

#include <cstdio>

namespace atomixtest {

namespace {

int64_t resident_bytes() {
    FILE* statm = std::fopen("/proc/self/statm", "r");
    if (!statm) return 0;
    long long size = 0, resident = 0;
    int read = std::fscanf(statm, "%lld %lld", &size, &resident);
    std::fclose(statm);
    return read == 2 ? resident * sysconf(_SC_PAGE_SIZE) : 0;
}

size_t default_limit() {
    auto pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page <= 0) return size_t{1} << 30;
    return static_cast<size_t>(pages) * static_cast<size_t>(page) / 4;
}

}  // namespace

MemoryBudget::MemoryBudget(size_t limit)
    : limit_(limit ? limit : default_limit()), baseline_(resident_bytes()) {}

void MemoryBudget::sample() {
    auto grown = resident_bytes() - baseline_;
    auto uncounted = grown - charged_.load(std::memory_order_relaxed);
    // Memory freed but kept by the allocator stays resident: it counts until
    // it is returned, which keeps the account on the safe side.
    uncounted_.store(uncounted > 0 ? uncounted : 0, std::memory_order_relaxed);
}

}  // namespace atomixtest
