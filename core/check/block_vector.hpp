// A vector that grows by adding blocks, each twice the last, instead of by
// copying itself into one twice as large: a search's memory of visited states
// can take most of --memory-limit, and a doubling copy would need half as much
// again for a moment, past the limit. Elements never move. A block's pages are
// resident only once written, so what is used, not what is reserved, is what
// the process holds.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace atomixtest {

template <class T>
class BlockVector {
  public:
    static constexpr size_t kFirst = 1024;  // elements in block 0; block k holds kFirst << k

    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    T& operator[](size_t i) { return blocks_[block_of(i)][i - start_of(block_of(i))]; }
    const T& operator[](size_t i) const { return blocks_[block_of(i)][i - start_of(block_of(i))]; }
    void push_back(const T& value) {
        make_room(1);
        (*this)[size_++] = value;
    }
    // Appends `count` elements that stay contiguous (a record), skipping the
    // rest of a block too small for them; returns where they start.
    template <class It>
    size_t append(It first, size_t count) {
        make_room(count);
        size_t at = size_;
        T* out = &(*this)[at];
        for (size_t i = 0; i < count; ++i, ++first) out[i] = *first;
        size_ += count;
        return at;
    }
    const T* record(size_t at) const { return &(*this)[at]; }
    // What is held: the elements written (the pages touched), not the blocks reserved.
    size_t bytes() const { return size_ * sizeof(T) + blocks_.capacity() * sizeof(void*); }
    void clear() {
        blocks_.clear();
        blocks_.shrink_to_fit();
        size_ = 0;
    }

  private:
    static size_t block_of(size_t i) {
        return static_cast<size_t>(std::bit_width(i / kFirst + 1)) - 1;
    }
    static size_t start_of(size_t block) { return kFirst * ((size_t{1} << block) - 1); }
    void make_room(size_t count) {
        while (true) {
            size_t block = block_of(size_);
            if (block >= blocks_.size()) {
                // Not value-initialised: the pages stay untouched until used.
                blocks_.emplace_back(new T[kFirst << block]);
                continue;
            }
            if (size_ + count <= start_of(block + 1)) return;
            size_ = start_of(block + 1);  // the record does not fit: next block
        }
    }

    std::vector<std::unique_ptr<T[]>> blocks_;
    size_t size_ = 0;
};

}  // namespace atomixtest
