#pragma once
// A pass-through TLM-2.0 base-protocol checker: bind an initiator to `in` and the model
// under test to `out`. Every call in either direction (b_transport, nb_transport_fw/bw,
// transport_dbg, get_direct_mem_ptr, invalidate_direct_mem_ptr) is forwarded unchanged and
// checked against the base protocol (IEEE 1666-2011 ch. 15-16); a broken rule is recorded
// under its Rule, never thrown, so a test can say which rule a model broke and where.
// Each rule also counts how often it was checked, so a test can tell "never broken" from
// "never exercised".

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

namespace chipletsim::test {

/// The base-protocol rules the checker asserts.
enum class Rule {
  kPhaseSequence,         // BEGIN_REQ -> [END_REQ] -> BEGIN_RESP -> END_RESP, legal returns
  kRequestExclusion,      // no BEGIN_REQ while an earlier request awaits END_REQ
  kResponseExclusion,     // no BEGIN_RESP while an earlier response awaits END_RESP
  kResponseStatus,        // set by the target, not INCOMPLETE once the response is given
  kTimingAnnotation,      // annotated completion never before the call's own time
  kByteEnables,           // OK or TLM_BYTE_ENABLE_ERROR_RESPONSE when byte enables are given
  kStreamingWidth,        // OK or TLM_BURST_ERROR_RESPONSE when width < length
  kPayloadFields,         // command, address (restored), data/BE pointers, lengths, width
  kTransportDbg,          // moves at most data length bytes, leaves the fields alone
  kDmi,                   // a granted region holds the address, has a pointer and access
  kTransactionsComplete,  // every BEGIN_REQ reaches its end by the end of the run
};
constexpr int kRuleCount = 11;
const char* ruleName(Rule r);

class ProtocolChecker : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<ProtocolChecker> in;
  tlm_utils::simple_initiator_socket<ProtocolChecker> out;

  explicit ProtocolChecker(sc_core::sc_module_name name);

  /// Messages of every violation of `r`, in the order they happened.
  const std::vector<std::string>& violations(Rule r) const {
    return m_violations[static_cast<int>(r)];
  }
  /// How many times `r` was checked.
  std::uint64_t checks(Rule r) const { return m_checks[static_cast<int>(r)]; }
  /// Transactions begun in AT that have not ended (checked into kTransactionsComplete by
  /// finish()).
  std::size_t openTransactions() const { return m_open.size(); }
  /// Records every still-open AT transaction as a violation; call after sc_start.
  void finish();

 private:
  enum class State { kRequest, kEndRequest, kResponse };
  struct Fields {
    tlm::tlm_command command;
    std::uint64_t address;
    unsigned char* data;
    unsigned length;
    unsigned char* byteEnables;
    unsigned byteEnableLength;
    unsigned streamingWidth;
  };
  struct Open {
    State state;
    Fields fields;
    sc_core::sc_time last;  // effective time of the latest phase (time + annotation)
  };

  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  tlm::tlm_sync_enum nbFw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& phase,
                          sc_core::sc_time& delay);
  tlm::tlm_sync_enum nbBw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& phase,
                          sc_core::sc_time& delay);
  unsigned transportDbg(tlm::tlm_generic_payload& gp);
  bool getDmi(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi);
  void invalidateDmi(sc_dt::uint64 start, sc_dt::uint64 end);

  void check(Rule r, bool ok, const std::string& what);
  static Fields fieldsOf(const tlm::tlm_generic_payload& gp);
  void checkFields(const Fields& before, const tlm::tlm_generic_payload& gp, const char* where);
  void checkResponse(const tlm::tlm_generic_payload& gp, const Fields& f, const char* where);
  void onResponse(tlm::tlm_generic_payload& gp, Open& o, const char* where);
  void close(tlm::tlm_generic_payload& gp);
  /// Checks that a phase at time + `delay` comes no earlier than the previous phase.
  void advance(Open& o, const sc_core::sc_time& delay, const tlm::tlm_generic_payload& gp,
               const char* where);

  std::array<std::vector<std::string>, kRuleCount> m_violations;
  std::array<std::uint64_t, kRuleCount> m_checks{};
  // Keyed by payload address for lookup only; never iterated into output except finish().
  std::map<const tlm::tlm_generic_payload*, Open> m_open;
  const tlm::tlm_generic_payload* m_requestInProgress = nullptr;
  const tlm::tlm_generic_payload* m_responseInProgress = nullptr;
  std::uint64_t m_serial = 0;
};

}  // namespace chipletsim::test
