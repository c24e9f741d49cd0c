// Flit framing, packing, CRC-unit delivery and go-back-N retry of one link direction.
#include <gtest/gtest.h>

#include <cmath>

#include "d2d/BitErrorProcess.h"
#include "d2d/FlitSerializer.h"

namespace chipletsim::d2d {
namespace {

// UCIe-A x64 at 32 GT/s: 256 GB/s per direction (d2d.md 1.2).
const Bandwidth kUcieA32 = laneBandwidth(64, gigabitsPerSecond(32));

FlitSerializer::Config config(FlitFormat f, double ber = 0.0, Duration penalty = Duration(0)) {
  FlitSerializer::Config c;
  c.format = f;
  c.rawBandwidth = kUcieA32;
  c.replayPenalty = penalty;
  c.bitErrorRate = ber;
  c.seed = 42;
  return c;
}

// Back-to-back streaming fills every flit: throughput = raw x payload/flit (d2d.md 1.3:
// 64/68 = 94.1%, 236/256 = 92.2%), to within the rounding of one flit per stream.
TEST(FlitSerializer, StreamingThroughputEqualsRawTimesFramingEfficiency) {
  for (FlitFormat f : {FlitFormat::kRaw, FlitFormat::kFlit68, FlitFormat::kStandard256,
                       FlitFormat::kLatencyOptimised256}) {
    FlitSerializer s(config(f));
    const std::uint64_t msg = 1 << 20;
    for (int i = 0; i < 64; ++i) s.send(0, msg);
    const double seconds = fromTicks(s.lastDone() - s.firstStart()).si();
    const double achieved = static_cast<double>(s.payloadBytes()) / seconds;
    EXPECT_NEAR(achieved / kUcieA32.si(), flitLayout(f).efficiency(), 1e-4) << flitFormatName(f);
    const std::uint64_t payload = flitLayout(f).payloadBytes;
    EXPECT_EQ(s.flits(), (64 * msg + payload - 1) / payload);
    EXPECT_EQ(s.wireBytes(), s.flits() * static_cast<std::uint64_t>(flitLayout(f).flitBytes));
  }
}

// Messages offered before the partly filled flit starts share it; later ones cannot.
TEST(FlitSerializer, SmallMessagesShareAFlitUntilItLeaves) {
  FlitSerializer s(config(FlitFormat::kStandard256));
  s.send(1000, 16);
  s.send(1000, 16);
  EXPECT_EQ(s.flits(), 1u);
  s.send(1001, 16);  // the flit left at tick 1000: a new, padded one follows
  EXPECT_EQ(s.flits(), 2u);
}

// The receiver consumes data once the CRC unit holding it is checked: the whole flit for
// 68 B and standard 256 B, one 128 B half for latency-optimised 256 B (d2d.md 1.3).
TEST(FlitSerializer, MessageIsDeliveredWhenItsCrcUnitHasArrived) {
  const double flit256Ps = 256.0 / kUcieA32.si() * 1e12;  // 1000 ps
  FlitSerializer standard(config(FlitFormat::kStandard256));
  FlitSerializer lopt(config(FlitFormat::kLatencyOptimised256));
  // Ticks are whole picoseconds: tolerance 1 ps.
  EXPECT_NEAR(static_cast<double>(standard.send(0, 80).done), flit256Ps, 1.0);
  EXPECT_NEAR(static_cast<double>(lopt.send(0, 80).done), flit256Ps / 2, 1.0);
  EXPECT_NEAR(static_cast<double>(lopt.send(5000, 200).done), 5000 + flit256Ps, 1.0);
}

// BER 1e-15 (d2d.md 1.2, the UCIe requirement above 8 GT/s): about one error per 1e15
// bits, none in 8e12 bits streamed here, so the throughput equals the error-free one.
TEST(FlitSerializer, BerOneInTenToTheFifteenCostsNoMeasurableThroughput) {
  FlitSerializer clean(config(FlitFormat::kFlit68));
  FlitSerializer noisy(config(FlitFormat::kFlit68, 1e-15, nanoseconds(5)));
  for (int i = 0; i < 1000; ++i) {
    clean.send(0, 1 << 20);
    noisy.send(0, 1 << 20);
  }
  EXPECT_LE(noisy.retries(), 1u);
  EXPECT_NEAR(static_cast<double>(noisy.lastDone()) / clean.lastDone(), 1.0, 1e-4);
}

// Go-back-N: with flit error probability P = 1 - (1 - BER)^bits and a window of W flit times
// from the start of an errored flit to its resend, throughput = (1 - P) / (1 + (W - 1) P)
// of the error-free one. The drop is proportional to the error count N drawn, whose
// relative spread is 1/sqrt(N): tolerance 4/sqrt(N) of the drop (4 sigma).
TEST(FlitSerializer, GoBackNThroughputFollowsFlitErrorRateAndReplayWindow) {
  for (double ber : {1e-7, 1e-6, 1e-5}) {
    for (double penaltyNs : {2.0, 10.0, 40.0}) {
      const Duration penalty = nanoseconds(penaltyNs);
      FlitSerializer s(config(FlitFormat::kFlit68, ber, penalty));
      FlitSerializer clean(config(FlitFormat::kFlit68));
      for (int i = 0; i < 2000; ++i) {
        s.send(0, 1 << 20);
        clean.send(0, 1 << 20);
      }
      const double p = -std::expm1(68 * 8 * std::log1p(-ber));
      EXPECT_NEAR(s.flitErrorProbability(), p, 1e-12 * p);
      const double w = 1.0 + penalty / s.flitTime();
      const double expected = (1.0 - p) / (1.0 + (w - 1.0) * p);
      const double measured = static_cast<double>(clean.lastDone()) / s.lastDone();
      const double n = p * static_cast<double>(s.flits());
      EXPECT_NEAR(1.0 - measured, 1.0 - expected, 4.0 / std::sqrt(n) * (1.0 - expected))
          << "BER " << ber << ", replay window " << penaltyNs << " ns";
      EXPECT_NEAR(static_cast<double>(s.retries()), n, 4.0 * std::sqrt(n));
      EXPECT_EQ(s.replayedFlits(), s.retries() * static_cast<std::uint64_t>(w));
    }
  }
}

// The raw format has no adapter CRC: errors go up to the protocol, nothing is replayed.
TEST(FlitSerializer, RawFormatNeverReplaysButCountsUndetectedErrors) {
  FlitSerializer s(config(FlitFormat::kRaw, 1e-6, nanoseconds(5)));
  for (int i = 0; i < 100; ++i) s.send(0, 1 << 20);
  EXPECT_EQ(s.retries(), 0u);
  EXPECT_EQ(s.replayedFlits(), 0u);
  EXPECT_GT(s.undetectedErrors(), 0u);
}

TEST(FlitSerializer, SameSeedGivesTheSameErrorsAndAnotherSeedOthers) {
  auto run = [](std::uint64_t seed) {
    FlitSerializer::Config c = config(FlitFormat::kFlit68, 1e-6, nanoseconds(5));
    c.seed = seed;
    FlitSerializer s(c);
    for (int i = 0; i < 200; ++i) s.send(0, 1 << 16);
    return std::make_pair(s.retries(), s.lastDone());
  };
  EXPECT_EQ(run(7), run(7));
  EXPECT_NE(run(7), run(8));
}

// The mean gap between errored flits is 1/P (geometric); 1e5 draws: tolerance 2%.
TEST(BitErrorProcess, MeanFlitsBetweenErrorsIsInverseFlitErrorProbability) {
  BitErrorProcess e(1e-5, 544, 1);
  std::uint64_t flits = 0;
  const int kErrors = 100000;
  for (int i = 0; i < kErrors;) {
    const std::uint64_t hit = e.advance(1000000);
    if (hit == 0) {
      flits += 1000000;
    } else {
      flits += hit;
      ++i;
    }
  }
  EXPECT_NEAR(static_cast<double>(flits) / kErrors * e.flitErrorProbability(), 1.0, 0.02);
  BitErrorProcess none(0.0, 544, 1);
  EXPECT_EQ(none.advance(~0ull - 1), 0u);
}

}  // namespace
}  // namespace chipletsim::d2d
