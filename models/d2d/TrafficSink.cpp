#include "d2d/TrafficSink.h"

#include "common/TrafficExtension.h"

namespace chipletsim::d2d {

TrafficSink::TrafficSink(sc_core::sc_module_name name, Duration latency)
    : sc_module(name), in("in"), m_latency(latency.si(), sc_core::SC_SEC) {
  in.register_b_transport(this, &TrafficSink::b_transport);
  in.register_transport_dbg(this, &TrafficSink::transport_dbg);
}

void TrafficSink::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  ++m_transactions;
  if (trans.is_read()) m_bytesRead += trans.get_data_length();
  if (trans.is_write()) m_bytesWritten += trans.get_data_length();
  if (m_recordTags) {
    const TrafficExtension* ext = trans.get_extension<TrafficExtension>();
    m_tags.push_back(ext ? ext->tag : ~0ull);
  }
  delay += m_latency;
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned TrafficSink::transport_dbg(tlm::tlm_generic_payload& trans) {
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  return trans.get_data_length();
}

void TrafficSink::reportStats(StatGroup& group) const {
  group.add("transactions", static_cast<double>(m_transactions), "count");
  group.add("bytes_read", static_cast<double>(m_bytesRead), "B");
  group.add("bytes_written", static_cast<double>(m_bytesWritten), "B");
  group.add("latency", m_latency.to_seconds() * 1e9, "ns", "fixed response latency");
}

}  // namespace chipletsim::d2d
