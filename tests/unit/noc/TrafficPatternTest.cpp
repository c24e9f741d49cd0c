// Synthetic traffic: each pattern's destination rule (Dally & Towles ch. 3), Bernoulli
// injection at the configured rate, and seeded determinism.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "common/Errors.h"
#include "workload/NocTrafficSource.h"

using namespace chipletsim;
using namespace chipletsim::workload;

TEST(NocTraffic, TransposeSwapsCoordinates) {
  const NocTrafficPattern p(NocPatternKind::kTranspose, 4, 4);
  std::mt19937_64 rng(1);
  EXPECT_EQ(p.destination(1, rng), 4u);    // (1,0) -> (0,1)
  EXPECT_EQ(p.destination(14, rng), 11u);  // (2,3) -> (3,2)
  EXPECT_THROW(NocTrafficPattern(NocPatternKind::kTranspose, 4, 2), SpecError);
}

TEST(NocTraffic, BitComplementInvertsEveryBit) {
  const NocTrafficPattern p(NocPatternKind::kBitComplement, 8, 8);
  std::mt19937_64 rng(1);
  for (std::uint32_t s = 0; s < 64; ++s) EXPECT_EQ(p.destination(s, rng), (~s) & 63u);
}

TEST(NocTraffic, NearestNeighbourIsOneHopAway) {
  const NocTrafficPattern p(NocPatternKind::kNearestNeighbour, 5, 3);
  std::mt19937_64 rng(1);
  for (int i = 0; i < 1000; ++i) {
    const std::uint32_t s = static_cast<std::uint32_t>(i % 15);
    const std::uint32_t d = p.destination(s, rng);
    EXPECT_EQ(std::abs(int(s % 5) - int(d % 5)) + std::abs(int(s / 5) - int(d / 5)), 1);
  }
}

TEST(NocTraffic, HotspotReceivesItsFractionPlusItsUniformShare) {
  const NocTrafficPattern p(NocPatternKind::kHotspot, 4, 4, {5}, 0.25);
  std::mt19937_64 rng(9);
  const int n = 200000;
  int hits = 0;
  for (int i = 0; i < n; ++i) hits += p.destination(static_cast<std::uint32_t>(i % 16), rng) == 5;
  // P = 0.25 + 0.75/16; binomial sigma ~ 0.001, tolerance 5 sigma.
  EXPECT_NEAR(static_cast<double>(hits) / n, 0.25 + 0.75 / 16, 0.005);
}

TEST(NocTraffic, BernoulliInjectionMatchesTheOfferedRate) {
  NocTrafficSpec spec;
  spec.injectionRate = 0.3;
  spec.packetFlits = 3;
  const NocTrafficPattern p(NocPatternKind::kUniformRandom, 8, 8);
  NocTrafficSource src(spec, p);
  noc::NocPacket pkt;
  const std::uint64_t cycles = 100000;
  std::uint64_t flits = 0, last = 0;
  while (src.next(cycles - 1, pkt)) {
    flits += pkt.flits;
    EXPECT_GE(pkt.createCycle, last);
    last = pkt.createCycle;
  }
  // Expected 0.3 x 64 x 1e5 flits; relative sigma ~ 0.1%, tolerance 1%.
  EXPECT_NEAR(static_cast<double>(flits) / (64.0 * cycles), 0.3, 0.003);
}

TEST(NocTraffic, SameSeedGivesTheSamePacketStream) {
  NocTrafficSpec spec;
  spec.injectionRate = 0.2;
  const NocTrafficPattern p(NocPatternKind::kUniformRandom, 4, 4);
  NocTrafficSource a(spec, p), b(spec, p);
  spec.seed = 2;
  NocTrafficSource c(spec, p);
  noc::NocPacket x, y, z;
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(a.next(1u << 30, x));
    ASSERT_TRUE(b.next(1u << 30, y));
    ASSERT_TRUE(c.next(1u << 30, z));
    EXPECT_EQ(x.createCycle, y.createCycle);
    EXPECT_EQ(x.destination, y.destination);
    differs = differs || x.createCycle != z.createCycle || x.destination != z.destination;
  }
  EXPECT_TRUE(differs) << "another seed gives another stream";
}

TEST(NocTraffic, StreamIsThatOfEnginesSeededThroughStdSeedSeq) {
  // The source seeds each node's mt19937_64 with its own implementation of the standard's
  // seed_seq algorithm; the packets must be those of engines seeded through std::seed_seq.
  NocTrafficSpec spec;
  spec.injectionRate = 0.5;
  spec.seed = 0x123456789abcdefull;
  const NocTrafficPattern p(NocPatternKind::kUniformRandom, 4, 4);
  NocTrafficSource src(spec, p);

  std::vector<std::mt19937_64> rng;
  std::vector<std::uint64_t> next;
  std::geometric_distribution<std::uint64_t> gap(spec.packetProbability());
  for (std::uint32_t i = 0; i < 16; ++i) {
    std::seed_seq seq{static_cast<std::uint32_t>(spec.seed),
                      static_cast<std::uint32_t>(spec.seed >> 32), i};
    rng.emplace_back(seq);
    next.push_back(gap(rng.back()));
  }
  noc::NocPacket got;
  int packets = 0;
  for (std::uint64_t cycle = 0; cycle < 2000; ++cycle)
    for (std::uint32_t node = 0; node < 16; ++node) {
      if (next[node] != cycle) continue;
      const std::uint32_t dest = p.destination(node, rng[node]);
      next[node] += 1 + gap(rng[node]);
      ASSERT_TRUE(src.next(1999, got));
      ASSERT_EQ(got.createCycle, cycle);
      ASSERT_EQ(got.source.value(), node);
      ASSERT_EQ(got.destination.value(), dest);
      ++packets;
    }
  EXPECT_FALSE(src.next(1999, got));
  EXPECT_GT(packets, 3500);  // 16 nodes x 2000 cycles x 0.5 / 4 = 4000 expected
}
