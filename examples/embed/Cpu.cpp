#include "Cpu.h"

#include <utility>

Cpu::Cpu(sc_core::sc_module_name name, std::vector<Region> regions, int requests, unsigned bytes,
         double readShare, sc_core::sc_time think, std::uint64_t seed)
    : sc_core::sc_module(name),
      out("out"),
      m_regions(std::move(regions)),
      m_stats(m_regions.size()),
      m_requests(requests),
      m_data(bytes),
      m_readShare(readShare),
      m_think(think),
      m_rng(seed) {
  m_qk.reset();
  SC_THREAD(run);
}

void Cpu::run() {
  std::vector<double> weights;
  for (const Region& r : m_regions) weights.push_back(r.weight);
  std::discrete_distribution<int> pickRegion(weights.begin(), weights.end());
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int i = 0; i < m_requests; ++i) {
    const int k = pickRegion(m_rng);
    const Region& r = m_regions[k];
    const std::uint64_t lines = r.size / m_data.size();
    tlm::tlm_generic_payload gp;
    gp.set_command(unit(m_rng) < m_readShare ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND);
    gp.set_address(r.base + (m_rng() % lines) * m_data.size());
    gp.set_data_ptr(m_data.data());
    gp.set_data_length(static_cast<unsigned>(m_data.size()));
    gp.set_streaming_width(static_cast<unsigned>(m_data.size()));
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    const sc_core::sc_time issued = sc_core::sc_time_stamp() + m_qk.get_local_time();
    sc_core::sc_time delay = m_qk.get_local_time();
    out->b_transport(gp, delay);
    m_qk.set(delay);
    Stats& s = m_stats[k];
    ++s.requests;
    if (!gp.is_response_ok()) ++s.errors;
    s.bytes += m_data.size();
    s.latencySumNs += (sc_core::sc_time_stamp() + delay - issued).to_seconds() * 1e9;
    m_qk.inc(m_think);
    if (m_qk.need_sync()) m_qk.sync();
  }
  m_qk.sync();
  m_finished = sc_core::sc_time_stamp();
  sc_core::sc_stop();  // the platform's work is done
}
