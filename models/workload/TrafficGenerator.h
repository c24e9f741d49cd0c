#pragma once
// A memory traffic generator: a TLM-2.0 initiator (socket `out`) that issues the requests
// of a MemoryTrafficSpec, keeping `outstanding` in flight, with LT (one thread per
// outstanding request, b_transport) or AT (four-phase nb_transport) and records bytes,
// transactions and latency (issue to response, ns). Deterministic: the request sequence
// depends only on the spec (seeded std::mt19937_64).

#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include "common/Distribution.h"
#include "common/StatGroup.h"
#include "common/Units.h"
#include "workload/MemoryTrafficSpec.h"

namespace chipletsim::workload {

class TrafficGenerator : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(TrafficGenerator);
  tlm_utils::simple_initiator_socket<TrafficGenerator> out;

  TrafficGenerator(sc_core::sc_module_name name, const MemoryTrafficSpec& spec);

  bool finished() const { return m_completed == m_total; }
  std::uint64_t transactions() const { return m_completed; }
  std::uint64_t bytes() const { return m_bytes; }
  std::uint64_t errors() const { return m_errors; }
  /// Tick of the first issue and of the last response.
  Tick firstIssue() const { return m_first; }
  Tick lastResponse() const { return m_last; }
  /// Bytes per second between the first issue and the last response.
  double achievedBandwidth() const;
  const Distribution& latencyNs() const { return m_latency; }
  void reportStats(StatGroup& g) const;

 private:
  struct Slot {
    tlm::tlm_generic_payload gp;
    std::vector<unsigned char> data;
    Tick issued = 0;
  };
  /// Fills `s` with the next request of the sequence.
  void nextRequest(Slot& s);
  void ltWorker(int index);
  void atIssuer();
  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  void complete(Slot& s, Tick at);
  Tick now() const { return sc_core::sc_time_stamp().value(); }

  MemoryTrafficSpec m_spec;
  std::uint64_t m_total;  // transactions to issue
  std::uint64_t m_issued = 0, m_completed = 0, m_bytes = 0, m_errors = 0;
  std::uint64_t m_slotCount;  // requests that fit in the span
  std::uint64_t m_nextRead = 0, m_nextWrite = 0;
  double m_readCredit = 0.0;
  std::mt19937_64 m_rng;
  /// The slot whose payload is `gp`, or nullptr when `gp` is not one of ours.
  Slot* slotOf(const tlm::tlm_generic_payload& gp) const;

  std::unique_ptr<Slot[]> m_slots;  // `outstanding` slots, one array so that a payload's
                                    // slot is found by its address
  std::deque<Slot*> m_free;
  bool m_requestBusy = false;  // AT: BEGIN_REQ sent, END_REQ not yet seen
  sc_core::sc_event m_progress;
  Tick m_first = 0, m_last = 0;
  Distribution m_latency;
};

}  // namespace chipletsim::workload
