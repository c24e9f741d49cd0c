#pragma once
// A min-queue of values due at ticks: pops in tick order, first in first out among equal
// ticks. Entries are kept sorted in a ring-less array with a moving front: pop advances the
// front, push walks back from the end past the entries due later. Responses are pushed
// nearly in due order (a pseudo-channel finishes its accesses in order, the channels are
// advanced close together), so a push moves few entries; a binary heap paid a sift of
// log2(n) levels on every pop.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/Units.h"

namespace chipletsim::hbm {

template <typename Value>
class TickQueue {
 public:
  bool empty() const { return m_front == m_items.size(); }
  std::size_t size() const { return m_items.size() - m_front; }
  /// Tick and value of the earliest entry (the first pushed among equal ticks); not empty.
  Tick topTick() const { return m_items[m_front].tick; }
  const Value& topValue() const { return m_items[m_front].value; }

  void push(Tick t, const Value& v) {
    if (m_front > 0 && m_front * 2 >= m_items.size()) {
      // Reclaim the popped half so that the array does not grow without bound.
      m_items.erase(m_items.begin(), m_items.begin() + static_cast<std::ptrdiff_t>(m_front));
      m_front = 0;
    }
    // After every entry due at or before t (first in, first out among equal ticks).
    std::size_t i = m_items.size();
    m_items.push_back({t, v});
    while (i > m_front && m_items[i - 1].tick > t) {
      m_items[i] = m_items[i - 1];
      --i;
    }
    m_items[i] = {t, v};
  }
  /// Removes the earliest entry; not empty.
  void pop() { ++m_front; }

 private:
  struct Item {
    Tick tick;
    Value value;
  };
  std::vector<Item> m_items;  // [m_front, end) sorted by tick, push order among equals
  std::size_t m_front = 0;
};

}  // namespace chipletsim::hbm
