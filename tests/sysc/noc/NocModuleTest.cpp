// The NoC as a TLM-2.0 interconnect: a request from an engine endpoint to a memory endpoint
// crosses the fabric (zero-load time from formulas.md 6.1), reaches the target with a local
// address, and its response crosses back; contention on shared links delays the second of
// two simultaneous requests; unmapped addresses get an address error.
#include <gtest/gtest.h>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include "noc/NocModule.h"

using namespace chipletsim;
using namespace chipletsim::noc;

namespace {

/// A memory that records the address it saw and answers after a fixed latency.
struct Memory : sc_core::sc_module {
  tlm_utils::simple_target_socket<Memory> in;
  sc_core::sc_time latency;
  std::uint64_t lastAddress = ~0ull;
  int calls = 0;
  Memory(sc_core::sc_module_name n, sc_core::sc_time lat) : sc_module(n), in("in"), latency(lat) {
    in.register_b_transport(this, &Memory::bTransport);
  }
  void bTransport(tlm::tlm_generic_payload& t, sc_core::sc_time& d) {
    lastAddress = t.get_address();
    ++calls;
    d += latency;
    t.set_response_status(tlm::TLM_OK_RESPONSE);
  }
};

struct Initiator : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Initiator> out;
  explicit Initiator(sc_core::sc_module_name n) : sc_module(n), out("out") {}
  /// Issues one request at delay 0 and returns the annotated delay.
  sc_core::sc_time issue(tlm::tlm_command cmd, std::uint64_t addr, unsigned len,
                         tlm::tlm_response_status* status = nullptr) {
    std::vector<unsigned char> data(len);
    tlm::tlm_generic_payload t;
    t.set_command(cmd);
    t.set_address(addr);
    t.set_data_ptr(data.data());
    t.set_data_length(len);
    t.set_streaming_width(len);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time d = sc_core::SC_ZERO_TIME;
    out->b_transport(t, d);
    if (status) *status = t.get_response_status();
    return d;
  }
};

/// 4x1 mesh at 1 GHz, 32-byte flits: engines on routers 0 and 1, memory on router 3.
NocSpec lineSpec() {
  NocSpec s;
  s.topology = TopologyKind::kMesh;
  s.dimX = 4;
  s.dimY = 1;
  s.endpoints = {{"engine0", EndpointRole::kCompute, 0, 0, 0},
                 {"engine1", EndpointRole::kCompute, 1, 0, 0},
                 {"hbm0", EndpointRole::kMemory, 3, 0x1000'0000, 0x1000'0000}};
  return s;
}

}  // namespace

TEST(NocModule, ReadCrossesTheFabricBothWaysAtZeroLoadLatency) {
  const NocSpec s = lineSpec();
  NocModule noc("noc", s);
  Initiator engine("engine");
  Memory mem("mem", sc_core::sc_time(50, sc_core::SC_NS));
  engine.out.bind(noc.in(EndpointId(0)));
  noc.out(EndpointId(2)).bind(mem.in);
  sc_core::sc_start(sc_core::SC_ZERO_TIME);

  tlm::tlm_response_status status;
  const sc_core::sc_time d = engine.issue(tlm::TLM_READ_COMMAND, 0x1000'0040, 128, &status);
  EXPECT_EQ(status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(mem.lastAddress, 0x40u) << "the address is made local to the endpoint's range";
  // 3 links, 4 routers: request = 1 header flit; response = header + 128 B = 5 flits.
  const int hops = 3;
  const double routerLink = (hops + 1) * s.routerDelayCycles + hops * s.linkDelayCycles;
  const double expectNs = (routerLink + 0) + 50.0 + (routerLink + 4);
  EXPECT_NEAR(d.to_seconds() * 1e9, expectNs, 1.0);
}

TEST(NocModule, SimultaneousRequestsContendForSharedLinks) {
  const NocSpec s = lineSpec();
  NocModule noc("noc", s);
  Initiator e0("e0"), e1("e1");
  Memory mem("mem", sc_core::SC_ZERO_TIME);
  e0.out.bind(noc.in(EndpointId(0)));
  e1.out.bind(noc.in(EndpointId(1)));
  noc.out(EndpointId(2)).bind(mem.in);
  sc_core::sc_start(sc_core::SC_ZERO_TIME);
  // Writes of 1 KiB (1 + 32 flits) both cross links 1->2 and 2->3 at the same time.
  const sc_core::sc_time a = e0.issue(tlm::TLM_WRITE_COMMAND, 0x1000'0000, 1024);
  const sc_core::sc_time b = e1.issue(tlm::TLM_WRITE_COMMAND, 0x1000'0400, 1024);
  const double alone = a.to_seconds() * 1e9;
  const double second = b.to_seconds() * 1e9;
  // e1 is one hop closer (2 ns less) but waits for e0's 33 flits on the shared links.
  EXPECT_GT(second, alone + 20.0);
  StatGroup g("noc");
  noc.reportStats(g);
  EXPECT_EQ(g.lookup("endpoints.hbm0.served")->value, 2.0);
  EXPECT_GT(g.lookup("links.r2p0_r3.flits")->value, 2 * 33.0 - 1);
}

TEST(NocModule, UnmappedAddressGetsAddressError) {
  NocModule noc("noc", lineSpec());
  Initiator engine("engine");
  engine.out.bind(noc.in(EndpointId(1)));
  sc_core::sc_start(sc_core::SC_ZERO_TIME);
  tlm::tlm_response_status status;
  engine.issue(tlm::TLM_READ_COMMAND, 0x10, 64, &status);
  EXPECT_EQ(status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  // Mapped, but nothing is bound behind hbm0: the tie-off answers with an address error.
  engine.issue(tlm::TLM_READ_COMMAND, 0x1000'0000, 64, &status);
  EXPECT_EQ(status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
}
