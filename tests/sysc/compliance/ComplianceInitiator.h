#pragma once
// A scripted TLM-2.0 initiator that itself follows the base protocol: in LT it calls
// b_transport and waits out each annotated delay; in AT it keeps up to `maxOutstanding`
// transactions in flight from a memory-managed pool, waits for END_REQ (or its implicit
// forms) before the next BEGIN_REQ, and ends responses alternately by returning
// TLM_COMPLETED and by an explicit END_RESP on the forward path one clock later, so both
// shortcuts of the target's side get exercised. Debug and DMI requests first drain what is
// in flight.

#include <cstdint>
#include <memory>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

namespace chipletsim::test {

enum class Mode { kLt, kAt };

struct ScriptedRequest {
  enum class Kind { kTransport, kDebug, kDmi };
  Kind kind = Kind::kTransport;
  tlm::tlm_command command = tlm::TLM_READ_COMMAND;
  std::uint64_t address = 0;
  unsigned length = 64;
  std::vector<unsigned char> byteEnables;  // empty: none
  unsigned streamingWidth = 0;             // 0: the data length
  unsigned char fill = 0;                  // write data: fill, fill+1, ...
  bool barrier = false;                    // wait for everything in flight first
};

struct ScriptedResult {
  tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;
  std::vector<unsigned char> data;
  unsigned debugBytes = 0;
  bool dmiGranted = false;
  sc_core::sc_time issued, done;
  bool finished = false;
};

class ComplianceInitiator : public sc_core::sc_module, public tlm::tlm_mm_interface {
 public:
  SC_HAS_PROCESS(ComplianceInitiator);
  tlm_utils::simple_initiator_socket<ComplianceInitiator> out;

  /// `clock` spaces an END_RESP after its BEGIN_RESP.
  ComplianceInitiator(sc_core::sc_module_name name, Mode mode, std::vector<ScriptedRequest> script,
                      int maxOutstanding = 4,
                      sc_core::sc_time clock = sc_core::sc_time(1, sc_core::SC_NS));

  const std::vector<ScriptedResult>& results() const { return m_results; }
  bool done() const { return m_done; }

  void free(tlm::tlm_generic_payload* gp) override;

 private:
  void run();
  void endResponses();
  void issueLt(std::size_t i);
  void issueAt(std::size_t i);
  void untimed(std::size_t i);
  void prepare(tlm::tlm_generic_payload& gp, std::size_t i);
  void complete(tlm::tlm_generic_payload& gp);
  tlm::tlm_sync_enum bw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& phase,
                        sc_core::sc_time& delay);
  tlm::tlm_generic_payload* allocate();

  Mode m_mode;
  std::vector<ScriptedRequest> m_script;
  std::vector<ScriptedResult> m_results;
  std::vector<std::vector<unsigned char>> m_buffers;  // data of each request, stable
  int m_maxOutstanding;
  sc_core::sc_time m_clock;
  std::vector<std::unique_ptr<tlm::tlm_generic_payload>> m_pool;
  std::vector<tlm::tlm_generic_payload*> m_free;
  int m_outstanding = 0;
  const tlm::tlm_generic_payload* m_request = nullptr;  // awaiting END_REQ
  sc_core::sc_event m_changed;
  std::vector<tlm::tlm_generic_payload*> m_endRespDue;
  sc_core::sc_event m_endRespEvent;
  bool m_done = false;
};

}  // namespace chipletsim::test
