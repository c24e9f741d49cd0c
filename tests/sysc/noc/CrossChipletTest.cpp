// End-to-end routing across chiplets (issue 5, deliverable 3): a read from a compute engine
// on die A to HBM attached to die B crosses A's NoC, a UCIe-class D2D link and B's NoC, and
// back. The round trip is at least the sum of every hop's unloaded time (NoC zero-load
// latency from formulas.md 6.1, the link's one-way latency both ways, the memory's
// latency), and a second engine's simultaneous request waits behind the first on the
// shared links.
#include <gtest/gtest.h>

#include <cstdio>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include "d2d/D2dLink.h"
#include "noc/NocModule.h"

using namespace chipletsim;
using namespace chipletsim::noc;

namespace {

struct Memory : sc_core::sc_module {
  tlm_utils::simple_target_socket<Memory> in;
  std::uint64_t lastAddress = ~0ull;
  Memory(sc_core::sc_module_name n) : sc_module(n), in("in") {
    in.register_b_transport(this, &Memory::bTransport);
  }
  void bTransport(tlm::tlm_generic_payload& t, sc_core::sc_time& d) {
    lastAddress = t.get_address();
    d += sc_core::sc_time(40, sc_core::SC_NS);
    t.set_response_status(tlm::TLM_OK_RESPONSE);
  }
};

struct Engine : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Engine> out;
  explicit Engine(sc_core::sc_module_name n) : sc_module(n), out("out") {}
  double readNs(std::uint64_t addr, unsigned len, tlm::tlm_response_status* status) {
    std::vector<unsigned char> data(len);
    tlm::tlm_generic_payload t;
    t.set_command(tlm::TLM_READ_COMMAND);
    t.set_address(addr);
    t.set_data_ptr(data.data());
    t.set_data_length(len);
    t.set_streaming_width(len);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time d = sc_core::SC_ZERO_TIME;
    out->b_transport(t, d);
    *status = t.get_response_status();
    return d.to_seconds() * 1e9;
  }
};

constexpr std::uint64_t kDieBMemory = 0x4000'0000;  // die B's HBM as seen from die A
constexpr std::uint64_t kHbmSize = 0x1000'0000;

/// A 2x2 mesh die with engines on routers 0 and 1 and a D2D port on router 3.
NocSpec dieA() {
  NocSpec s;
  s.dimX = 2;
  s.dimY = 2;
  s.clock = gigahertz(2.0);
  s.endpoints = {{"engine0", EndpointRole::kCompute, 0, 0, 0},
                 {"engine1", EndpointRole::kCompute, 1, 0, 0},
                 {"d2d", EndpointRole::kD2d, 3, kDieBMemory, kHbmSize}};
  return s;
}

/// A 2x2 mesh die with its D2D port on router 2 and an HBM controller on router 1.
NocSpec dieB() {
  NocSpec s = dieA();
  s.endpoints = {{"d2d", EndpointRole::kD2d, 2, 0, 0},
                 {"hbm", EndpointRole::kMemory, 1, 0, kHbmSize}};
  return s;
}

d2d::D2dLinkSpec ucieAdvanced() {
  d2d::D2dLinkSpec s;
  s.modules = 1;
  s.lanesPerModule = 64;                 // d2d.md 1.2 advanced x64
  s.dataRate = gigabitsPerSecond(32.0);  // d2d.md 1.2 up to 32 GT/s
  s.flitFormat = d2d::FlitFormat::kFlit68;
  s.headerBytes = 16;
  s.adapterPhyLatency = nanoseconds(1.0);  // d2d.md 1.2 < 2 ns for both ends
  s.channelLength = millimetres(2.0);      // d2d.md 1.2 advanced reach <= 2 mm
  s.dielectricConstant = 3.9;
  s.rxBufferBytes = 8192;
  s.energyPerBit = picojoulesPerBit(0.3);
  return s;
}

/// NoC time of one transfer of `bytes` on an idle fabric between two endpoints.
double zeroLoadNs(const NocSpec& s, EndpointId a, EndpointId b, double bytes) {
  TransactionFabric f(s);
  const TransactionFabric::Transfer t = f.transfer(0, a, b, bytes);
  return static_cast<double>(t.tail) / kTicksPerNs;
}

}  // namespace

TEST(NocCrossChiplet, ReadToRemoteHbmCrossesBothNocsAndTheD2dLink) {
  NocModule nocA("nocA", dieA());
  NocModule nocB("nocB", dieB());
  d2d::D2dLink link("link", ucieAdvanced());
  Engine e0("e0"), e1("e1");
  Memory hbm("hbm");
  e0.out.bind(nocA.in(EndpointId(0)));
  e1.out.bind(nocA.in(EndpointId(1)));
  nocA.out(EndpointId(2)).bind(link.a_in);
  link.b_out.bind(nocB.in(EndpointId(0)));
  nocB.out(EndpointId(1)).bind(hbm.in);
  sc_core::sc_start(sc_core::SC_ZERO_TIME);

  tlm::tlm_response_status status;
  const double first = e0.readNs(kDieBMemory + 0x80, 256, &status);
  EXPECT_EQ(status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(hbm.lastAddress, 0x80u) << "each NoC makes the address local to its endpoint";

  const double flit = dieA().flitSize.si();
  const double nocs = zeroLoadNs(dieA(), EndpointId(0), EndpointId(2), flit) +
                      zeroLoadNs(dieB(), EndpointId(0), EndpointId(1), flit) +
                      zeroLoadNs(dieB(), EndpointId(1), EndpointId(0), flit + 256) +
                      zeroLoadNs(dieA(), EndpointId(2), EndpointId(0), flit + 256);
  const double d2d = 2.0 * toNs(ucieAdvanced().oneWayLatency());
  EXPECT_GE(first, nocs + d2d + 40.0);
  // Serialisation on the 256 GB/s link adds a few ns, not tens.
  EXPECT_LE(first, nocs + d2d + 40.0 + 20.0);

  // Engine 1 reads at the same time: it shares die A's links to the D2D port, the D2D link
  // and die B's path, so it completes later than it would alone.
  const double second = e1.readNs(kDieBMemory + 0x100, 256, &status);
  EXPECT_EQ(status, tlm::TLM_OK_RESPONSE);
  StatGroup a("nocA"), b("nocB");
  nocA.reportStats(a);
  nocB.reportStats(b);
  EXPECT_EQ(a.lookup("endpoints.d2d.served")->value, 2.0);
  EXPECT_EQ(b.lookup("endpoints.hbm.served")->value, 2.0);
  // Alone, engine 1 would be one hop closer to the D2D port each way than engine 0.
  const double alone = first -
                       (zeroLoadNs(dieA(), EndpointId(0), EndpointId(2), flit) -
                        zeroLoadNs(dieA(), EndpointId(1), EndpointId(2), flit)) -
                       (zeroLoadNs(dieA(), EndpointId(2), EndpointId(0), flit + 256) -
                        zeroLoadNs(dieA(), EndpointId(2), EndpointId(1), flit + 256));
  std::printf("first %.2f ns, second %.2f ns, second alone %.2f ns\n", first, second, alone);
  EXPECT_GT(second, alone + 1.0) << "the second request waits on links the first holds";
}
