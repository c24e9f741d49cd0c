#include <gtest/gtest.h>

#include "common/BandwidthServer.h"
#include "common/Errors.h"

using namespace chipletsim;

TEST(BandwidthServer, SerialisationTimeIsBytesOverBandwidth) {
  BandwidthServer s(gigabytesPerSecond(64.0), 2000);  // 64 GB/s = 64 B/ns, 2 ns latency
  const auto g = s.reserve(0, 4096.0);
  EXPECT_EQ(g.start, 0u);
  EXPECT_EQ(g.done, 64u * kTicksPerNs);
  EXPECT_EQ(g.arrive, 66u * kTicksPerNs);
}

TEST(BandwidthServer, BackToBackTransfersQueueFifo) {
  BandwidthServer s(gigabytesPerSecond(1.0), 0);  // 1 B/ns
  s.reserve(0, 100.0);
  const auto g = s.reserve(10 * kTicksPerNs, 100.0);
  EXPECT_EQ(g.start, 100u * kTicksPerNs);
  EXPECT_EQ(g.done, 200u * kTicksPerNs);
  EXPECT_DOUBLE_EQ(s.utilisation(200 * kTicksPerNs), 1.0);
  EXPECT_DOUBLE_EQ(s.queueDelay().max(), 90.0 * kTicksPerNs);
}

TEST(BandwidthServer, ZeroBandwidthIsRejected) {
  EXPECT_THROW(BandwidthServer(Bandwidth(0.0), 0), SpecError);
}
