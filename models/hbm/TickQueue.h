#pragma once
// A min-queue of values due at ticks: pops in tick order, first in first out among equal
// ticks. A binary heap whose key is (tick, insertion number) in one 128-bit integer, so that
// choosing the earlier child is one compare without a branch (the heap of pending responses
// is walked once per response, and a mispredicted branch per level cost more than the rest).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/Units.h"

namespace chipletsim::hbm {

template <typename Value>
class TickQueue {
 public:
  bool empty() const { return m_heap.empty(); }
  std::size_t size() const { return m_heap.size(); }
  /// Tick and value of the earliest entry (the first pushed among equal ticks); not empty.
  Tick topTick() const { return static_cast<Tick>(m_heap.front().key >> 64); }
  const Value& topValue() const { return m_heap.front().value; }

  void push(Tick t, const Value& v) {
    const Item x{static_cast<Key>(t) << 64 | m_pushed++, v};
    std::size_t i = m_heap.size();
    m_heap.push_back(x);
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!(x.key < m_heap[parent].key)) break;
      m_heap[i] = m_heap[parent];
      i = parent;
    }
    m_heap[i] = x;
  }
  /// Removes the earliest entry; not empty.
  void pop() {
    const Item x = m_heap.back();
    m_heap.pop_back();
    const std::size_t n = m_heap.size();
    if (n == 0) return;
    std::size_t i = 0;
    for (;;) {
      std::size_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n) child += m_heap[child + 1].key < m_heap[child].key ? 1 : 0;
      if (!(m_heap[child].key < x.key)) break;
      m_heap[i] = m_heap[child];
      i = child;
    }
    m_heap[i] = x;
  }

 private:
  __extension__ using Key = unsigned __int128;  // tick << 64 | insertion number
  struct Item {
    Key key;
    Value value;
  };
  std::vector<Item> m_heap;
  std::uint64_t m_pushed = 0;
};

}  // namespace chipletsim::hbm
