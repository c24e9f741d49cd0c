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
  NocRandom rng(1);
  EXPECT_EQ(p.destination(1, rng), 4u);    // (1,0) -> (0,1)
  EXPECT_EQ(p.destination(14, rng), 11u);  // (2,3) -> (3,2)
  EXPECT_THROW(NocTrafficPattern(NocPatternKind::kTranspose, 4, 2), SpecError);
}

TEST(NocTraffic, BitComplementInvertsEveryBit) {
  const NocTrafficPattern p(NocPatternKind::kBitComplement, 8, 8);
  NocRandom rng(1);
  for (std::uint32_t s = 0; s < 64; ++s) EXPECT_EQ(p.destination(s, rng), (~s) & 63u);
}

TEST(NocTraffic, NearestNeighbourIsOneHopAway) {
  const NocTrafficPattern p(NocPatternKind::kNearestNeighbour, 5, 3);
  NocRandom rng(1);
  for (int i = 0; i < 1000; ++i) {
    const std::uint32_t s = static_cast<std::uint32_t>(i % 15);
    const std::uint32_t d = p.destination(s, rng);
    EXPECT_EQ(std::abs(int(s % 5) - int(d % 5)) + std::abs(int(s / 5) - int(d / 5)), 1);
  }
}

TEST(NocTraffic, HotspotReceivesItsFractionPlusItsUniformShare) {
  const NocTrafficPattern p(NocPatternKind::kHotspot, 4, 4, {5}, 0.25);
  NocRandom rng(9);
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

TEST(NocTraffic, StreamIsEachNodesGeneratorDrawnInCycleThenNodeOrder) {
  // The source's packets must be those of one NocRandom per node (seeded from the run's
  // seed and the node) drawing a geometric gap and then the destination of each packet,
  // merged in (cycle, node) order.
  NocTrafficSpec spec;
  spec.injectionRate = 0.5;
  spec.seed = 0x123456789abcdefull;
  const NocTrafficPattern p(NocPatternKind::kUniformRandom, 4, 4);
  NocTrafficSource src(spec, p);

  std::vector<NocRandom> rng;
  std::vector<std::uint64_t> next;
  const double invLogQ = 1.0 / std::log1p(-spec.packetProbability());
  for (std::uint32_t i = 0; i < 16; ++i) {
    rng.push_back(NocRandom::forNode(spec.seed, i));
    next.push_back(rng.back().geometric(invLogQ));
  }
  noc::NocPacket got;
  int packets = 0;
  for (std::uint64_t cycle = 0; cycle < 2000; ++cycle)
    for (std::uint32_t node = 0; node < 16; ++node) {
      if (next[node] != cycle) continue;
      const std::uint32_t dest = p.destination(node, rng[node]);
      next[node] += 1 + rng[node].geometric(invLogQ);
      ASSERT_TRUE(src.next(1999, got));
      ASSERT_EQ(got.createCycle, cycle);
      ASSERT_EQ(got.source.value(), node);
      ASSERT_EQ(got.destination.value(), dest);
      ++packets;
    }
  EXPECT_FALSE(src.next(1999, got));
  EXPECT_GT(packets, 3500);  // 16 nodes x 2000 cycles x 0.5 / 4 = 4000 expected
}

TEST(NocRandom, SplitMix64AndXoshiro256StarStarGiveTheirPublishedReferenceValues) {
  // SplitMix64 from state 0, and xoshiro256** whose state is four SplitMix64 outputs from
  // 42: the reference sequences of the published algorithms (Vigna's reference code).
  std::uint64_t state = 0;
  EXPECT_EQ(splitMix64(state), 0xe220a8397b1dcdafull);
  EXPECT_EQ(splitMix64(state), 0x6e789e6aa1b965f4ull);
  EXPECT_EQ(splitMix64(state), 0x06c45d188009454full);
  NocRandom r(42);
  EXPECT_EQ(r(), 0x15780b2e0c2ec716ull);
  EXPECT_EQ(r(), 0x6104d9866d113a7eull);
  EXPECT_EQ(r(), 0xae17533239e499a1ull);
  EXPECT_EQ(r(), 0xecb8ad4703b360a1ull);
}

TEST(NocRandom, BelowIsUniformOverItsRange) {
  // 64 bins, 640000 draws: each bin's count is binomial, sigma ~ 99; tolerance 5 sigma.
  NocRandom r(7);
  std::vector<int> bins(64, 0);
  for (int i = 0; i < 640000; ++i) ++bins[r.below(64)];
  for (int b : bins) EXPECT_NEAR(b, 10000, 500);
  // A range that does not divide 2^32 (rejection path): every value reachable, none beyond.
  std::vector<int> three(3, 0);
  for (int i = 0; i < 30000; ++i) ++three.at(r.below(3));
  for (int c : three) EXPECT_NEAR(c, 10000, 500);
}

TEST(NocRandom, GeometricGapHasMeanOneMinusPOverP) {
  // P(k) = (1 - p)^k p: mean (1 - p) / p = 9 for p = 0.1; sigma of the mean of 1e5 draws
  // sqrt(1 - p) / p / sqrt(1e5) ~ 0.03, tolerance 5 sigma.
  NocRandom r(3);
  const double p = 0.1;
  const double invLogQ = 1.0 / std::log1p(-p);
  double sum = 0.0;
  int zeros = 0;
  for (int i = 0; i < 100000; ++i) {
    const std::uint64_t k = r.geometric(invLogQ);
    sum += static_cast<double>(k);
    zeros += k == 0;
  }
  EXPECT_NEAR(sum / 1e5, 9.0, 0.15);
  EXPECT_NEAR(zeros / 1e5, p, 0.005);  // P(0) = p; sigma ~ 0.001
}
