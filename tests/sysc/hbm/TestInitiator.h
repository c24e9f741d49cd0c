#pragma once
// A minimal TLM initiator for tests: runs `body` in a thread with access to its socket.
#include <functional>
#include <utility>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

namespace chipletsim::test {

class TestInitiator : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(TestInitiator);
  tlm_utils::simple_initiator_socket<TestInitiator> out;
  std::function<void(TestInitiator&)> body;
  // AT: phases received on the backward path, and the payload of the last BEGIN_RESP.
  sc_core::sc_event responded;
  tlm::tlm_generic_payload* lastResponse = nullptr;
  int endReqs = 0;
  // DMI invalidations received: count and the last range.
  int invalidations = 0;
  sc_dt::uint64 invalidStart = 0, invalidEnd = 0;

  TestInitiator(sc_core::sc_module_name n, std::function<void(TestInitiator&)> b)
      : sc_core::sc_module(n), out("out"), body(std::move(b)) {
    out.register_nb_transport_bw(this, &TestInitiator::bw);
    out.register_invalidate_direct_mem_ptr(this, &TestInitiator::invalidate);
    SC_THREAD(run);
  }

 private:
  void run() { body(*this); }
  void invalidate(sc_dt::uint64 start, sc_dt::uint64 end) {
    ++invalidations;
    invalidStart = start;
    invalidEnd = end;
  }
  tlm::tlm_sync_enum bw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& phase, sc_core::sc_time&) {
    if (phase == tlm::END_REQ) {
      ++endReqs;
      return tlm::TLM_ACCEPTED;
    }
    lastResponse = &gp;
    responded.notify(sc_core::SC_ZERO_TIME);
    phase = tlm::END_RESP;
    return tlm::TLM_COMPLETED;
  }
};

}  // namespace chipletsim::test
