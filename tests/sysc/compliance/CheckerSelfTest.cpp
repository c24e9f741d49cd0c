// The checker itself: a deliberately broken target must be caught under the rule it breaks,
// so that a clean compliance run means something.

#include <gtest/gtest.h>

#include <tlm_utils/simple_target_socket.h>

#include "ComplianceInitiator.h"
#include "ProtocolChecker.h"

namespace chipletsim::test {
namespace {

// Breaks one rule per address: 0x0 leaves the status INCOMPLETE, 0x100 moves the address
// and does not restore it, 0x200 answers byte enables with a generic error; in AT it
// answers BEGIN_REQ with TLM_UPDATED + END_RESP (an illegal phase) and debug moves more
// bytes than asked.
class BrokenTarget : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<BrokenTarget> in;
  explicit BrokenTarget(sc_core::sc_module_name n) : sc_core::sc_module(n), in("in") {
    in.register_b_transport(this, &BrokenTarget::bTransport);
    in.register_nb_transport_fw(this, &BrokenTarget::nbFw);
    in.register_transport_dbg(this, &BrokenTarget::dbg);
  }

 private:
  void bTransport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
    delay += sc_core::sc_time(5, sc_core::SC_NS);
    if (gp.get_address() == 0x0) return;
    if (gp.get_address() == 0x100) gp.set_address(0x42);
    gp.set_response_status(gp.get_byte_enable_ptr() ? tlm::TLM_GENERIC_ERROR_RESPONSE
                                                    : tlm::TLM_OK_RESPONSE);
  }
  tlm::tlm_sync_enum nbFw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& phase, sc_core::sc_time&) {
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
    phase = tlm::END_RESP;
    return tlm::TLM_UPDATED;
  }
  unsigned dbg(tlm::tlm_generic_payload& gp) { return gp.get_data_length() + 8; }
};

std::vector<ScriptedRequest> brokenScript() {
  std::vector<ScriptedRequest> s(4);
  s[0].address = 0x0;
  s[1].address = 0x100;
  s[2].address = 0x200;
  s[2].byteEnables = {0xff, 0};
  s[3].kind = ScriptedRequest::Kind::kDebug;
  return s;
}

struct Bench {
  explicit Bench(Mode mode)
      : cpu("cpu", mode, brokenScript()), checker("checker"), target("target") {
    cpu.out.bind(checker.in);
    checker.out.bind(target.in);
  }
  void run() {
    sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_US));
    checker.finish();
  }
  ComplianceInitiator cpu;
  ProtocolChecker checker;
  BrokenTarget target;
};

TEST(ProtocolChecker, CatchesIncompleteStatusUnrestoredAddressAndWrongByteEnableError) {
  Bench b(Mode::kLt);
  b.run();
  EXPECT_EQ(b.checker.violations(Rule::kResponseStatus).size(), 1u);
  EXPECT_EQ(b.checker.violations(Rule::kPayloadFields).size(), 1u);
  EXPECT_EQ(b.checker.violations(Rule::kByteEnables).size(), 1u);
  EXPECT_EQ(b.checker.violations(Rule::kTransportDbg).size(), 1u);
  EXPECT_TRUE(b.checker.violations(Rule::kTimingAnnotation).empty());
}

TEST(ProtocolChecker, CatchesAnIllegalPhaseReturnedFromBeginReq) {
  Bench b(Mode::kAt);
  b.run();
  EXPECT_FALSE(b.checker.violations(Rule::kPhaseSequence).empty());
  EXPECT_FALSE(b.checker.violations(Rule::kTransactionsComplete).empty());
}

}  // namespace
}  // namespace chipletsim::test
