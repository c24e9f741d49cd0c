// ComputeChiplet in simulated time: where an op's wait for data goes in its breakdown
// (ExecuteTimes). Each test is one simulation (one process).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include "H100LikeSpec.h"
#include "compute/ComputeChiplet.h"
#include "d2d/D2dLink.h"
#include "d2d/TrafficSink.h"

namespace chipletsim {
namespace {

constexpr std::uint64_t kRemoteBase = 1ull << 32;
constexpr double kMemoryNs = 10000.0;  // each memory answers 10 us after a request arrives

// UCIe-A x64 at 32 GT/s, 1 ns adapter+PHY per end, 2 mm of channel in SiO2 (eps_r 3.9), as
// tests/sysc/d2d/D2dLinkTest.cpp.
d2d::D2dLinkSpec ucieA() {
  d2d::D2dLinkSpec s;
  s.modules = 1;
  s.lanesPerModule = 64;
  s.redundantLanesPerModule = 4;
  s.dataRate = gigabitsPerSecond(32);
  s.flitFormat = d2d::FlitFormat::kFlit68;
  s.headerBytes = 16;
  s.adapterPhyLatency = nanoseconds(1);
  s.channelLength = millimetres(2);
  s.dielectricConstant = 3.9;
  s.rxBufferBytes = 1 << 20;
  s.energyPerBit = picojoulesPerBit(0.3);
  return s;
}

// A die: the chiplet's memory socket reaches a local memory directly and a far one through
// a D2D link; it reads `bytes` striped over `regions` in one op without compute.
struct Die : sc_core::sc_module {
  tlm_utils::simple_target_socket<Die> split;
  tlm_utils::simple_initiator_socket<Die> toLocal;
  tlm_utils::simple_initiator_socket<Die> toRemote;
  ComputeChiplet chiplet;
  d2d::D2dLink link;
  d2d::TrafficSink local;
  d2d::TrafficSink far;
  std::vector<MemoryRegion> regions;
  double bytes;
  ExecuteTimes times;

  SC_HAS_PROCESS(Die);
  Die(sc_core::sc_module_name n, const ComputeChipletSpec& spec, std::vector<MemoryRegion> r,
      double b)
      : sc_module(n),
        split("split"),
        toLocal("to_local"),
        toRemote("to_remote"),
        chiplet("chiplet", spec),
        link("link", ucieA()),
        local("local", nanoseconds(kMemoryNs)),
        far("far", nanoseconds(kMemoryNs)),
        regions(std::move(r)),
        bytes(b) {
    split.register_b_transport(this, &Die::route);
    chiplet.mem.bind(split);
    toLocal.bind(local.in);
    toRemote.bind(link.a_in);
    link.b_out.bind(far.in);
    SC_THREAD(run);
  }
  void route(tlm::tlm_generic_payload& t, sc_core::sc_time& d) {
    (t.get_address() < kRemoteBase ? toLocal : toRemote)->b_transport(t, d);
  }
  void run() { times = chiplet.execute(Duration(0), bytes, 0.0, 0.0, regions); }
};

// One 128 KiB chunk, one 64 KiB stripe to local memory and one to far memory (or both
// far). Both memories take 10 us; the far stripe also crosses the link both ways: a
// request flit and the response, which cuts through as the memory produces it, each one
// flit plus adapter+PHY at both ends plus flight. The op waits 10 us + that round trip.
// Only the round trip is D2D-bound; the 10 us are the memory's, whichever side it is on
// (a chunk is not D2D-bound because its last stripe happened to be remote).
// Tolerance 1 ns: ticks are whole picoseconds and the offer uses whole-picosecond flits.
TEST(ComputeChiplet, OnlyTheTimeOnTheD2dLinkIsRemoteWait) {
  ComputeChipletSpec spec;
  spec.compute = test::h100LikeSpec();
  spec.dmaChunk = DataSize(128.0 * 1024.0);
  spec.prefetchChunks = 1;
  const MemoryRegion near{0, 1ull << 30, false};
  const MemoryRegion remote{kRemoteBase, 1ull << 30, true};
  Die mixed("mixed", spec, {near, remote}, 128.0 * 1024.0);
  Die allRemote("all_remote", spec, {remote}, 64.0 * 1024.0);
  sc_core::sc_start();
  const double flightNs = 2e-3 * std::sqrt(3.9) / 299792458.0 * 1e9;
  const double flitNs = 68.0 / 256e9 * 1e9;
  const double roundTripNs = 2.0 * (1.0 + 1.0 + flightNs + flitNs);
  for (const Die* d : {&mixed, &allRemote}) {
    EXPECT_NEAR(d->times.waitRemote.si() * 1e9, roundTripNs, 1.0) << d->name();
    EXPECT_NEAR(d->times.waitLocal.si() * 1e9, kMemoryNs, 1.0) << d->name();
  }
  EXPECT_EQ(mixed.far.transactions(), 1u);
  EXPECT_EQ(mixed.local.transactions(), 1u);
}

}  // namespace
}  // namespace chipletsim
