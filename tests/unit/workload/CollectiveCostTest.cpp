#include <gtest/gtest.h>

#include "workload/CollectiveCost.h"

using namespace chipletsim;

TEST(CollectiveCost, RingAllReduceSendsTwoNMinusOneOverNOfTheDataPerRank) {
  const double bytes = 1e9;
  for (int n : {2, 3, 8, 64}) {
    const CollectiveCost c =
        collectiveCost(CollectiveKind::kAllReduce, CollectiveAlgorithm::kRing, n, bytes);
    EXPECT_EQ(c.steps, 2 * (n - 1));
    EXPECT_DOUBLE_EQ(c.bytesPerStep, bytes / n);
    EXPECT_NEAR(c.bytesSentPerRank, 2.0 * (n - 1) / n * bytes, 1e-3);
    EXPECT_NEAR(c.bytesSentPerRank / bytes, busBandwidthFactor(CollectiveKind::kAllReduce, n),
                1e-12);
  }
}

TEST(CollectiveCost, RingReduceScatterAndAllGatherSendNMinusOneOverN) {
  for (CollectiveKind k : {CollectiveKind::kReduceScatter, CollectiveKind::kAllGather}) {
    const CollectiveCost c = collectiveCost(k, CollectiveAlgorithm::kRing, 8, 8e6);
    EXPECT_EQ(c.steps, 7);
    EXPECT_NEAR(c.bytesSentPerRank, 7e6, 1e-6);
  }
}

TEST(CollectiveCost, RingAllReduceTimeIsAlphaBeta) {
  const int p = 8;
  const double s = 256e6;
  const Bandwidth b = gigabytesPerSecond(450.0);
  const Duration alpha = nanoseconds(3000.0);
  const CollectiveCost c =
      collectiveCost(CollectiveKind::kAllReduce, CollectiveAlgorithm::kRing, p, s);
  // formulas.md 5.7: T = 2(p-1) alpha + 2 (p-1)/p S / B.
  const double expected = 2.0 * (p - 1) * 3e-6 + 2.0 * (p - 1) / p * s / 450e9;
  EXPECT_NEAR(c.time(b, alpha).si(), expected, expected * 1e-12);
}

TEST(CollectiveCost, TreeAllReduceHasLogarithmicSteps) {
  const CollectiveCost ring =
      collectiveCost(CollectiveKind::kAllReduce, CollectiveAlgorithm::kRing, 1024, 1e3);
  const CollectiveCost tree =
      collectiveCost(CollectiveKind::kAllReduce, CollectiveAlgorithm::kTree, 1024, 1e3);
  EXPECT_EQ(tree.steps, 20);
  // Small messages are latency-bound: the tree wins.
  EXPECT_LT(tree.time(gigabytesPerSecond(50), nanoseconds(5000)),
            ring.time(gigabytesPerSecond(50), nanoseconds(5000)));
}

TEST(CollectiveCost, OneRankCostsNothing) {
  const CollectiveCost c =
      collectiveCost(CollectiveKind::kAllReduce, CollectiveAlgorithm::kRing, 1, 1e9);
  EXPECT_EQ(c.steps, 0);
  EXPECT_EQ(c.time(gigabytesPerSecond(1), nanoseconds(1)).si(), 0.0);
}

TEST(CollectiveCost, HierarchicalAllReduceSendsOnePerPackageShareAcrossPackages) {
  const double s = 1e9;
  const int dies = 4;
  const int packages = 8;
  const HierarchicalCost h = hierarchicalCollective(CollectiveKind::kAllReduce,
                                                    CollectiveAlgorithm::kRing, dies, packages, s);
  // Across packages each die all-reduces its 1/4 shard: 2 (P-1)/P x S/4.
  EXPECT_NEAR(h.across.bytesSentPerRank, 2.0 * 7 / 8 * s / 4, 1e-3);
  // Inside: reduce-scatter then all-gather over the 4 dies, (d-1)/d x S each.
  EXPECT_NEAR(h.insideFirst.bytesSentPerRank, 0.75 * s, 1e-3);
  EXPECT_NEAR(h.insideLast.bytesSentPerRank, 0.75 * s, 1e-3);
  // With slow links between packages it beats a flat ring over all 32 dies.
  const Bandwidth d2d = gigabytesPerSecond(1000);
  const Bandwidth scaleUp = gigabytesPerSecond(100);
  const Duration alpha = nanoseconds(1000);
  const CollectiveCost flat =
      collectiveCost(CollectiveKind::kAllReduce, CollectiveAlgorithm::kRing, dies * packages, s);
  EXPECT_LT(h.time(d2d, alpha, scaleUp, alpha), flat.time(scaleUp, alpha));
}
