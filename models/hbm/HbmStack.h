#pragma once
// One HBM stack as a TLM-2.0 target. The stack-level socket `in` takes any address inside
// [baseAddress, baseAddress + capacity) and splits each transaction across the
// pseudo-channels it touches (interleaved every `interleave` bytes). Supports b_transport
// (LT; in bank fidelity it waits for the controller, in fast fidelity it annotates the
// delay), nb_transport_fw/bw with the four-phase base protocol (AT) and transport_dbg.
// With functional storage on, get_direct_mem_ptr grants read/write DMI to one 4 KiB storage
// page at a time ([page start, page end] in the initiator's address map, latencies of an
// unloaded row-miss access); without storage DMI is refused for the whole stack.
// Responses: out-of-range -> TLM_ADDRESS_ERROR_RESPONSE, streaming width shorter than the
// data -> TLM_BURST_ERROR_RESPONSE, zero length -> TLM_GENERIC_ERROR_RESPONSE. The shell
// only moves transactions and time; timing lives in PseudoChannelController or
// FastMemoryModel (plain C++, Tick = ps).

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <queue>
#include <utility>
#include <vector>

#include <tlm_utils/peq_with_cb_and_phase.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include "common/Distribution.h"
#include "common/StatGroup.h"
#include "hbm/AddressMapper.h"
#include "hbm/FastMemoryModel.h"
#include "hbm/HbmSpec.h"
#include "hbm/LatencyTally.h"
#include "hbm/PseudoChannelController.h"
#include "hbm/SparseStorage.h"
#include "hbm/TickQueue.h"

namespace chipletsim::hbm {

class HbmStack : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(HbmStack);
  tlm_utils::simple_target_socket<HbmStack> in;

  /// `spec` is copied and validated (SpecError when inconsistent).
  HbmStack(sc_core::sc_module_name name, const HbmSpec& spec);
  ~HbmStack() override;

  const HbmSpec& spec() const { return m_spec; }
  /// Bytes of address space: the stack's capacity.
  std::uint64_t capacityBytes() const { return m_capacity; }
  /// Stack, channel and pseudo-channel stats (bytes, bandwidth, efficiency, row hits,
  /// commands, queue occupancy, latency, energy by component).
  void reportStats(StatGroup& g) const;
  /// Transactions completed with an OK response.
  std::uint64_t completed() const { return m_completed; }
  /// Latency of completed transactions, arrival to response, ns.
  Distribution latencyNs() const { return m_latency.distribution(); }
  /// Tick of the last response.
  Tick lastResponseTick() const { return m_lastDone; }
  /// Forgets the stored contents (every byte reads as zero again) and invalidates every DMI
  /// pointer granted so far. No effect without functional storage.
  void clearStorage();

 private:
  struct Txn {
    tlm::tlm_generic_payload* gp = nullptr;
    int remaining = 0;
    Tick arrival = 0;
    Tick done = 0;
    bool lt = false;
    std::unique_ptr<sc_core::sc_event> ltDone;
  };

  void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& gp);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi);

  /// Sets an error status and returns false when the payload cannot be honoured.
  bool check(tlm::tlm_generic_payload& gp) const;
  void moveData(tlm::tlm_generic_payload& gp);
  std::uint32_t submit(tlm::tlm_generic_payload& gp, bool lt);
  void harvest(int pc);
  void reschedule(int pc);
  void finishTxn(std::uint32_t id);
  void onPeq(tlm::tlm_generic_payload& gp, const tlm::tlm_phase& phase);
  /// BEGIN_REQ at the current time: END_REQ is implied by the caller's return path.
  void acceptRequest(tlm::tlm_generic_payload& gp);
  void controllerProcess();
  void responseProcess();
  void sendResponses();
  Tick now() const;

  HbmSpec m_spec;
  std::uint64_t m_capacity;
  AddressMapper m_mapper;
  std::vector<std::unique_ptr<PseudoChannelController>> m_ctrls;
  std::unique_ptr<FastMemoryModel> m_fast;
  std::unique_ptr<SparseStorage> m_storage;
  Tick m_frontend;

  std::vector<Txn> m_txns;
  std::vector<std::uint32_t> m_freeTxns;
  using Timed = std::pair<Tick, int>;
  std::priority_queue<Timed, std::vector<Timed>, std::greater<>> m_ctrlHeap;
  std::vector<Tick> m_pcNext;  // per pseudo-channel: tick of its pending wake-up
  // A pseudo-channel is advanced lazily: at its next command tick + this lead, or earlier
  // when a request reaches it. No response can fall due before then (completionLead()).
  Tick m_wakeLead = 0;
  std::vector<std::pair<int, PseudoChannelController::Request>> m_parts;  // submit() scratch
  sc_core::sc_event m_ctrlEvent;
  TickQueue<std::uint32_t> m_responses;  // txn ids by due tick, first come first out
  sc_core::sc_event m_respEvent;
  std::deque<std::uint32_t> m_atReady;  // AT responses due, waiting for the response channel
  bool m_respBusy = false;              // a BEGIN_RESP awaits its END_RESP
  sc_core::sc_event m_sendEvent;
  tlm_utils::peq_with_cb_and_phase<HbmStack> m_peq;

  std::uint64_t m_completed = 0, m_errors = 0;
  LatencyTally m_latency;
  Tick m_lastDone = 0;
};

}  // namespace chipletsim::hbm
