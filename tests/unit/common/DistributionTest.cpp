#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "common/Distribution.h"

using chipletsim::Distribution;

TEST(Distribution, PercentilesWithinHalfPercentOfExactRank) {
  Distribution d;
  for (int i = 1; i <= 10000; ++i) d.add(static_cast<double>(i));
  EXPECT_EQ(d.count(), 10000u);
  EXPECT_DOUBLE_EQ(d.mean(), 5000.5);
  EXPECT_NEAR(d.percentile(0.5), 5000.0, 5000.0 * 0.005);
  EXPECT_NEAR(d.percentile(0.99), 9900.0, 9900.0 * 0.005);
  EXPECT_DOUBLE_EQ(d.min(), 1.0);
  EXPECT_DOUBLE_EQ(d.max(), 10000.0);
}

TEST(Distribution, ConstantSamplesGiveThatConstantExactly) {
  Distribution d;
  d.add(37.0, 1000);
  EXPECT_DOUBLE_EQ(d.percentile(0.5), 37.0);
  EXPECT_DOUBLE_EQ(d.percentile(0.99), 37.0);
}

TEST(Distribution, MergeEqualsAddingAllSamples) {
  Distribution a, b, all;
  for (int i = 0; i < 100; ++i) {
    a.add(i);
    all.add(i);
    b.add(1000 + i);
    all.add(1000 + i);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_DOUBLE_EQ(a.percentile(0.9), all.percentile(0.9));
  EXPECT_DOUBLE_EQ(a.sum(), all.sum());
}

TEST(Distribution, EmptyIsZeroNotNan) {
  Distribution d;
  EXPECT_EQ(d.mean(), 0.0);
  EXPECT_EQ(d.percentile(0.99), 0.0);
}

TEST(Distribution, PercentilesKeepTheirRelativeErrorOverTwentyDecades) {
  // Samples from 1e-9 to 1e11 in an order that grows the histogram both ways.
  Distribution d;
  std::vector<double> all;
  for (int i = 0; i < 2001; ++i) {
    const double v = std::pow(10.0, -9.0 + 0.01 * ((i * 7919) % 2001));
    d.add(v);
    all.push_back(v);
  }
  std::sort(all.begin(), all.end());
  for (double q : {0.01, 0.25, 0.5, 0.75, 0.99}) {
    const double exact = all[static_cast<std::size_t>(std::ceil(q * all.size())) - 1];
    EXPECT_NEAR(d.percentile(q), exact, exact * 0.004) << "q = " << q;
  }
}

TEST(Distribution, ZerosAndNegativesCountAsZero) {
  Distribution d;
  d.add(0.0, 3);
  d.add(-5.0);
  d.add(8.0);
  EXPECT_EQ(d.count(), 5u);
  EXPECT_DOUBLE_EQ(d.percentile(0.8), 0.0);
  EXPECT_DOUBLE_EQ(d.percentile(1.0), 8.0);
}
