#pragma once
// A small test initiator for the D2D link tests: issues `count` transactions of `size` bytes
// (reads or writes), either LT (b_transport, waiting out each annotated delay) or AT
// (nb_transport with up to `outstanding` in flight, base protocol phases), tags each with a
// TrafficExtension sequence number and records the order responses came back.

#include <cstdint>
#include <memory>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include "common/TrafficExtension.h"

namespace chipletsim::d2d::test {

class LinkTestInitiator : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<LinkTestInitiator> out;

  struct Params {
    std::uint64_t count = 1;
    unsigned size = 64;
    bool write = true;
    bool at = false;
    unsigned outstanding = 1;  // AT only
  };

  SC_HAS_PROCESS(LinkTestInitiator);
  LinkTestInitiator(sc_core::sc_module_name name, const Params& p)
      : sc_module(name), out("out"), m_p(p), m_data(p.size) {
    out.register_nb_transport_bw(this, &LinkTestInitiator::nbBw);
    const unsigned slots = p.at ? p.outstanding : 1;
    for (unsigned i = 0; i < slots; ++i) {
      m_slots.push_back(std::make_unique<tlm::tlm_generic_payload>());
      m_slots.back()->set_extension(new TrafficExtension());
      m_free.push_back(m_slots.back().get());
    }
    SC_THREAD(run);
  }

  const std::vector<std::uint64_t>& responseTags() const { return m_responses; }
  /// Last LT transaction's latency as seen by the initiator: the time b_transport blocked
  /// plus the delay it annotated.
  sc_core::sc_time lastLatency() const { return m_lastLatency; }
  sc_core::sc_time finishTime() const { return m_finish; }
  bool allOk() const { return m_allOk; }
  /// Sum over all transactions of the link time the D2D link reported (TrafficExtension).
  std::uint64_t d2dTicks() const { return m_d2dTicks; }

 private:
  void prepare(tlm::tlm_generic_payload& t, std::uint64_t i) {
    t.set_command(m_p.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    t.set_address(i * m_p.size);
    t.set_data_ptr(m_data.data());
    t.set_data_length(m_p.size);
    t.set_streaming_width(m_p.size);
    t.set_byte_enable_ptr(nullptr);
    t.set_dmi_allowed(false);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    t.get_extension<TrafficExtension>()->tag = i;
    t.get_extension<TrafficExtension>()->d2dTicks = 0;
  }

  void run() {
    for (std::uint64_t i = 0; i < m_p.count; ++i) {
      if (!m_p.at) {
        tlm::tlm_generic_payload& t = *m_slots[0];
        prepare(t, i);
        sc_core::sc_time d = sc_core::SC_ZERO_TIME;
        const sc_core::sc_time issued = sc_core::sc_time_stamp();
        out->b_transport(t, d);
        m_lastLatency = sc_core::sc_time_stamp() - issued + d;
        sc_core::wait(d);
        record(t);
        continue;
      }
      while (m_free.empty()) sc_core::wait(m_slotFreed);
      tlm::tlm_generic_payload* t = m_free.back();
      m_free.pop_back();
      prepare(*t, i);
      tlm::tlm_phase phase = tlm::BEGIN_REQ;
      sc_core::sc_time d = sc_core::SC_ZERO_TIME;
      m_requestOpen = true;
      const tlm::tlm_sync_enum s = out->nb_transport_fw(*t, phase, d);
      if (s == tlm::TLM_UPDATED && phase == tlm::END_REQ) m_requestOpen = false;
      if (s == tlm::TLM_ACCEPTED) {
        while (m_requestOpen) sc_core::wait(m_endRequest);
      }
    }
    while (m_p.at && m_free.size() < m_slots.size()) sc_core::wait(m_slotFreed);
    m_finish = sc_core::sc_time_stamp();
  }

  tlm::tlm_sync_enum nbBw(tlm::tlm_generic_payload& t, tlm::tlm_phase& phase,
                          sc_core::sc_time& /*delay*/) {
    if (phase == tlm::END_REQ) {
      m_requestOpen = false;
      m_endRequest.notify();
      return tlm::TLM_ACCEPTED;
    }
    if (phase == tlm::BEGIN_RESP) {
      if (m_requestOpen) {  // BEGIN_RESP implies END_REQ
        m_requestOpen = false;
        m_endRequest.notify();
      }
      record(t);
      m_free.push_back(&t);
      m_slotFreed.notify();
      return tlm::TLM_COMPLETED;
    }
    return tlm::TLM_COMPLETED;
  }

  void record(tlm::tlm_generic_payload& t) {
    m_responses.push_back(t.get_extension<TrafficExtension>()->tag);
    m_d2dTicks += t.get_extension<TrafficExtension>()->d2dTicks;
    m_allOk = m_allOk && t.is_response_ok();
  }

  Params m_p;
  std::vector<unsigned char> m_data;
  std::vector<std::unique_ptr<tlm::tlm_generic_payload>> m_slots;
  std::vector<tlm::tlm_generic_payload*> m_free;
  sc_core::sc_event m_slotFreed;
  sc_core::sc_event m_endRequest;
  bool m_requestOpen = false;
  bool m_allOk = true;
  std::uint64_t m_d2dTicks = 0;
  std::vector<std::uint64_t> m_responses;
  sc_core::sc_time m_lastLatency;
  sc_core::sc_time m_finish;
};

}  // namespace chipletsim::d2d::test
