// The transaction-level fabric: the same zero-load latency as the flit fabric (formulas.md
// 6.1), and below saturation a mean packet latency within 10% of the flit fabric's on the
// same seeded traffic (issue 5).
#include <gtest/gtest.h>

#include <cstdio>
#include <initializer_list>
#include <vector>

#include "NocTestUtil.h"
#include "workload/NocCalibration.h"
#include "workload/NocChannelLoad.h"

using namespace chipletsim;
using namespace chipletsim::noc;
using workload::NocPatternKind;

TEST(NocTransactionFabric, ZeroLoadLatencyEqualsHopsTimesRouterPlusLinkPlusSerialisation) {
  NocSpec s = nocTest::grid(TopologyKind::kMesh, 4, 4, 2, 8);
  s.routerDelayCycles = 3;
  s.linkDelayCycles = 2;
  nocTest::checkZeroLoad(s, Fidelity::kTransaction, 5);
  nocTest::checkZeroLoad(nocTest::grid(TopologyKind::kTorus, 4, 4), Fidelity::kTransaction, 1);
  nocTest::checkZeroLoad(nocTest::grid(TopologyKind::kRing, 6, 1), Fidelity::kTransaction, 8);
}

namespace {
/// Runs `fractions` of each pattern's channel-load bound in both fidelities on the bench's
/// 8x8 mesh (4 VCs x 8 flits) with `packetFlits`-flit packets: both deliver everything
/// offered (within 2%) and the transaction fabric's mean latency is within 10% of the flit
/// fabric's.
void expectWithinTenPercentOfFlitMode(std::uint32_t packetFlits,
                                      std::initializer_list<double> fractions) {
  const NocSpec s = nocTest::grid(TopologyKind::kMesh, 8, 8, 4, 8);
  const FlitFabric probe(s);
  for (NocPatternKind pattern :
       {NocPatternKind::kUniformRandom, NocPatternKind::kTranspose, NocPatternKind::kBitComplement,
        NocPatternKind::kNearestNeighbour}) {
    const double saturation =
        workload::channelLoadBound(probe, workload::NocTrafficPattern(pattern, 8, 8));
    for (double fraction : fractions) {
      const auto t = nocTest::traffic(pattern, fraction * saturation, packetFlits);
      const auto flit = nocTest::run(s, t, Fidelity::kFlit);
      const auto txn = nocTest::run(s, t, Fidelity::kTransaction);
      std::printf("%u-flit %s at %.2f of bound %.3f: flit %.2f txn %.2f cycles (%+.1f%%)\n",
                  packetFlits, workload::nocPatternName(pattern), fraction, saturation,
                  flit.latencyCycles.mean(), txn.latencyCycles.mean(),
                  100.0 * (txn.latencyCycles.mean() / flit.latencyCycles.mean() - 1.0));
      ASSERT_EQ(flit.unfinished, 0u);
      ASSERT_NEAR(flit.acceptedRate, flit.offeredRate, 0.02 * flit.offeredRate);
      ASSERT_EQ(txn.unfinished, 0u);
      EXPECT_NEAR(txn.latencyCycles.mean(), flit.latencyCycles.mean(),
                  0.10 * flit.latencyCycles.mean())
          << workload::nocPatternName(pattern) << " at " << fraction << " of the bound";
      EXPECT_NEAR(txn.acceptedRate, flit.acceptedRate, 0.02 * flit.acceptedRate);
    }
  }
}
}  // namespace

TEST(NocTransactionFabric, MeanLatencyWithinTenPercentOfFlitModeBelowSaturation) {
  // "Below saturation": offered loads up to half the pattern's channel-load bound, which
  // is where the flit fabric's latency starts to rise steeply (see the sweep).
  expectWithinTenPercentOfFlitMode(4, {0.1, 0.3, 0.5});
}

TEST(NocTransactionFabric, LongPacketsMeanLatencyWithinTenPercentOfFlitModeBelowSaturation) {
  // 32-flit packets in 8-flit VC buffers: a blocked packet spans four routers (wormhole),
  // holds a VC in each and stalls the injection behind it. "Below saturation", as for short
  // packets: offered loads up to half the pattern's channel-load bound. The flit fabric
  // saturates at about 0.7 of it with these packets (uniform random: 0.35 accepted of 0.5);
  // the check that it still delivers everything offered makes sure the point is below
  // saturation. At half the bound its mean latency is 2.5x the zero-load one (uniform
  // random), so the queueing is well under way.
  expectWithinTenPercentOfFlitMode(32, {0.2, 0.35, 0.5});
}

namespace {
NocPacket packet(std::uint64_t id, std::uint32_t src, std::uint32_t dst, std::uint32_t flits,
                 std::uint64_t cycle) {
  NocPacket p;
  p.id = id;
  p.source = EndpointId(src);
  p.destination = EndpointId(dst);
  p.flits = flits;
  p.createCycle = cycle;
  return p;
}

/// Offers `packets` (ids 0, 1, ...) to a fresh fabric of `fidelity` and returns each one's
/// delivery, by id.
std::vector<NocDelivery> deliveries(const NocSpec& s, Fidelity fidelity,
                                    const std::vector<NocPacket>& packets) {
  auto fabric = nocTest::makeFabric(s, fidelity);
  std::vector<NocDelivery> out(packets.size());
  fabric->onDelivery([&](const NocDelivery& d) { out[d.packet.id] = d; });
  for (const NocPacket& p : packets) fabric->offer(p);
  fabric->advanceTo(1000);
  EXPECT_EQ(fabric->inFlight(), 0u);
  return out;
}
}  // namespace

// Wormhole backpressure. A line of 4 routers (2-cycle routers, 1-cycle links), 4-flit VC
// buffers. Packet 0 (32 flits, endpoint 2 -> 3) takes link 2->3 for cycles [1, 33). Packet 1
// (16 flits, 0 -> 3) reaches router 2 at cycle 7 and waits there for that link until 33; its
// body stays in the buffers behind it, so its flit j leaves a router no earlier than flit
// j - 4 has left the next one plus the credit's trip back (1 cycle per link, 1 from the
// source's buffer): flit 3 leaves router 2 at 36, flit 7 router 1 at 37, flit 11 router 0
// at 38, and flit 15 enters the source router at 39. The source injects one packet at a time,
// so packet 2 (1 flit, 0 -> 1, created at 20) starts at 40 and is delivered at 40 + 1 + 3 + 1
// = 45 (with a buffer that holds packet 1 whole it would go at 20, delivered at 25).
TEST(NocTransactionFabric, BlockedLongPacketHoldsItsSourceUntilItsTailIsIn) {
  const NocSpec s = nocTest::grid(TopologyKind::kMesh, 4, 1, 2, 4);
  const auto txn =
      deliveries(s, Fidelity::kTransaction,
                 {packet(0, 2, 3, 32, 0), packet(1, 0, 3, 16, 0), packet(2, 0, 1, 1, 20)});
  EXPECT_EQ(txn[2].tailCycle, 45u);
  // The flit fabric agrees within 3 cycles (allocation details the transaction fabric omits).
  const auto flit = deliveries(
      s, Fidelity::kFlit, {packet(0, 2, 3, 32, 0), packet(1, 0, 3, 16, 0), packet(2, 0, 1, 1, 20)});
  EXPECT_NEAR(static_cast<double>(txn[2].tailCycle), static_cast<double>(flit[2].tailCycle), 3.0);
  EXPECT_EQ(txn[1].tailCycle, flit[1].tailCycle);
  // Packet 1 no longer than a buffer: it leaves the source whole, packet 2 is not held back.
  const auto shortOne =
      deliveries(s, Fidelity::kTransaction,
                 {packet(0, 2, 3, 32, 0), packet(1, 0, 3, 4, 0), packet(2, 0, 1, 1, 20)});
  EXPECT_EQ(shortOne[2].tailCycle, 25u);
}

// One VC per port. Packet 0 (32 flits, 2 -> 3) takes link 2->3 for [1, 33); packet 1 (8
// flits, 1 -> 3) waits at router 2 for it, holding the only VC of router 2's input from
// router 1 until its tail has left router 2 (head at 33, tail at 40). Packet 2 (1 flit, 0 -> 2,
// created at 2) needs that VC: behind packet 1's tail it leaves router 2 at 41 and is
// delivered at 42. (With a second VC the transaction fabric delivers it at 13; the flit
// fabric still at 42, as its input-first switch allocator lets packet 1's blocked VC hold
// the input port they share: head-of-line blocking, which the transaction fabric does not
// model, tests/bench/noc/README.md.)
TEST(NocTransactionFabric, HeadWaitsForAFreeVirtualChannel) {
  const NocSpec s = nocTest::grid(TopologyKind::kMesh, 4, 1, 1, 4);
  const std::vector<NocPacket> packets = {packet(0, 2, 3, 32, 0), packet(1, 1, 3, 8, 0),
                                          packet(2, 0, 2, 1, 2)};
  const auto txn = deliveries(s, Fidelity::kTransaction, packets);
  EXPECT_EQ(txn[1].tailCycle, 44u);
  EXPECT_EQ(txn[2].tailCycle, 42u);
  const auto flit = deliveries(s, Fidelity::kFlit, packets);
  EXPECT_EQ(flit[2].tailCycle, txn[2].tailCycle);
}

TEST(NocTransactionFabric, TransferReservesEveryLinkOnThePath) {
  NocSpec s = nocTest::grid(TopologyKind::kMesh, 4, 1);
  TransactionFabric f(s);
  const double bytes = 8 * s.flitSize.si();
  const Tick period = s.periodTicks();
  const auto a = f.transfer(0, EndpointId(0), EndpointId(3), bytes);
  // 3 links, 4 routers: head after 4 tr + 3 tl cycles, tail 7 cycles later.
  EXPECT_EQ(a.hops, 3u);
  EXPECT_EQ(a.head, static_cast<Tick>(4 * s.routerDelayCycles + 3 * s.linkDelayCycles) * period);
  EXPECT_EQ(a.tail, a.head + 7 * period);
  // A second transfer offered at once over the same links waits one packet time.
  const auto b = f.transfer(0, EndpointId(1), EndpointId(3), bytes);
  EXPECT_GE(b.tail, a.tail + 8 * period - period);
}

// Temporally decoupled initiators book a response when their target will be done, ahead of
// requests offered now. Every channel (injection, links, ejection) serves packets in time
// order, so a packet offered earlier in time than twenty bookings made before it (with the
// kernel still at 0: the floor) gets exactly its zero-load timing.
TEST(NocTransactionFabric, BookingsAheadInTimeDoNotDelayAPacketOfferedBeforeThem) {
  NocSpec s = nocTest::grid(TopologyKind::kMesh, 4, 1);
  const double bytes = 8 * s.flitSize.si();
  const Tick period = s.periodTicks();
  TransactionFabric alone(s);
  const auto zeroLoad = alone.transfer(0, EndpointId(1), EndpointId(0), bytes, 0);
  TransactionFabric f(s);
  for (Tick k = 0; k < 20; ++k)
    f.transfer((100000 + 16 * k) * period, EndpointId(1), EndpointId(0), bytes, 0);
  const auto now = f.transfer(0, EndpointId(1), EndpointId(0), bytes, 0);
  EXPECT_EQ(now.head, zeroLoad.head);
  EXPECT_EQ(now.tail, zeroLoad.tail);
}

TEST(NocTransactionFabric, CalibratedLinksSaturateWhereTheFlitFabricDoes) {
  // With the link efficiency derived from the flit fabric's peak throughput, the
  // transaction fabric's accepted rate at the channel-load bound matches the flit peak
  // (5%), and its mean latency stays within 10% of the flit fabric's up to half that peak
  // (at 0.75 of it the handover penalty puts it 14% above; the ideal-link fabric is 3% off
  // there, tests/bench/noc/README.md).
  const NocSpec s = nocTest::grid(TopologyKind::kMesh, 8, 8, 4, 8);
  const auto base = nocTest::traffic(NocPatternKind::kUniformRandom, 0.1);
  const workload::NocCalibration cal = workload::calibrateLinkEfficiency(s, base);
  std::printf("bound %.3f, flit peak %.4f, link efficiency %.3f\n", cal.bound, cal.peakAccepted,
              cal.linkEfficiency);
  EXPECT_LT(cal.linkEfficiency, 1.0);
  EXPECT_GT(cal.linkEfficiency, 0.5);

  auto atBound = base;
  atBound.injectionRate = cal.bound;
  atBound.drainCycles = 0;
  TransactionFabric txnAtBound(s, cal.linkEfficiency);
  const auto sat = workload::NocTrafficDriver(txnAtBound, atBound).run();
  EXPECT_NEAR(sat.acceptedRate, cal.peakAccepted, 0.05 * cal.peakAccepted);

  for (double fraction : {0.25, 0.5}) {
    auto t = base;
    t.injectionRate = fraction * cal.peakAccepted;
    const auto flit = nocTest::run(s, t, Fidelity::kFlit);
    TransactionFabric txnFabric(s, cal.linkEfficiency);
    const auto txn = workload::NocTrafficDriver(txnFabric, t).run();
    std::printf("calibrated, %.2f of peak: flit %.2f txn %.2f cycles (%+.1f%%)\n", fraction,
                flit.latencyCycles.mean(), txn.latencyCycles.mean(),
                100.0 * (txn.latencyCycles.mean() / flit.latencyCycles.mean() - 1.0));
    EXPECT_NEAR(txn.latencyCycles.mean(), flit.latencyCycles.mean(),
                0.10 * flit.latencyCycles.mean());
  }
}
