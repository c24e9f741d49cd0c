// TickQueue: the order in which the stack hands out responses.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <utility>

#include "hbm/TickQueue.h"

using namespace chipletsim;
using namespace chipletsim::hbm;

// Interleaved pushes and pops against a reference: a multimap keyed by (tick, push number)
// holds exactly the order the queue must follow.
TEST(TickQueue, PopsInTickOrderFirstInFirstOutAmongEqualTicks) {
  TickQueue<std::uint32_t> q;
  std::map<std::pair<Tick, std::uint64_t>, std::uint32_t> reference;
  std::mt19937_64 rng(3);
  std::uint64_t pushed = 0;
  Tick now = 0;
  for (int step = 0; step < 200000; ++step) {
    if (rng() % 3 != 0 || reference.empty()) {
      // Few distinct ticks, so that ties are common; never earlier than the last pop.
      const Tick t = now + (rng() % 8) * 1000;
      const auto v = static_cast<std::uint32_t>(rng());
      q.push(t, v);
      reference.emplace(std::make_pair(t, pushed++), v);
    } else {
      ASSERT_FALSE(q.empty());
      const auto first = reference.begin();
      ASSERT_EQ(q.topTick(), first->first.first);
      ASSERT_EQ(q.topValue(), first->second);
      now = q.topTick();
      q.pop();
      reference.erase(first);
    }
    ASSERT_EQ(q.size(), reference.size());
  }
}
