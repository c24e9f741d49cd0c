#pragma once
// A far-end TLM target for benches and tests: accepts every transaction and responds after a
// fixed latency (annotated in b_transport; the socket converts nb_transport to it). It keeps
// no data; reads return whatever the payload's buffer held. Optionally records the order
// of TrafficExtension tags it saw, so tests can check nothing was lost, duplicated or
// reordered on the way. transport_dbg answers like b_transport (the whole length, no data
// kept); DMI is refused.

#include <cstdint>
#include <vector>

#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include "common/StatGroup.h"
#include "common/Units.h"

namespace chipletsim::d2d {

class TrafficSink : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<TrafficSink> in;

  /// `latency` from a request's arrival to its response (>= 0).
  TrafficSink(sc_core::sc_module_name name, Duration latency);

  /// Records TrafficExtension tags in arrival order (off by default; costs memory).
  void recordTags(bool on) { m_recordTags = on; }
  const std::vector<std::uint64_t>& tags() const { return m_tags; }
  std::uint64_t transactions() const { return m_transactions; }
  std::uint64_t bytesRead() const { return m_bytesRead; }
  std::uint64_t bytesWritten() const { return m_bytesWritten; }

  void reportStats(StatGroup& group) const;

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  unsigned transport_dbg(tlm::tlm_generic_payload& trans);

  sc_core::sc_time m_latency;
  bool m_recordTags = false;
  std::vector<std::uint64_t> m_tags;
  std::uint64_t m_transactions = 0;
  std::uint64_t m_bytesRead = 0;
  std::uint64_t m_bytesWritten = 0;
};

}  // namespace chipletsim::d2d
