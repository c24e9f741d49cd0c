#include "AddressDecoder.h"

AddressDecoder::AddressDecoder(sc_core::sc_module_name name)
    : sc_core::sc_module(name), in("in"), out("out") {
  in.register_b_transport(this, &AddressDecoder::bTransport);
  in.register_transport_dbg(this, &AddressDecoder::transportDbg);
}

void AddressDecoder::map(std::uint64_t base, std::uint64_t size) {
  for (const Entry& e : m_map)
    if (base < e.base + e.size && e.base < base + size)
      SC_REPORT_ERROR(name(), "overlapping address regions");
  m_map.push_back({base, size});
}

int AddressDecoder::decode(std::uint64_t addr, std::uint64_t len) const {
  for (std::size_t i = 0; i < m_map.size(); ++i)
    if (addr >= m_map[i].base && addr + len <= m_map[i].base + m_map[i].size)
      return static_cast<int>(i);
  return -1;
}

void AddressDecoder::bTransport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  const std::uint64_t addr = gp.get_address();
  const int i = decode(addr, gp.get_data_length());
  if (i < 0) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  gp.set_address(addr - m_map[i].base);
  out[i]->b_transport(gp, delay);
  gp.set_address(addr);
}

unsigned AddressDecoder::transportDbg(tlm::tlm_generic_payload& gp) {
  const std::uint64_t addr = gp.get_address();
  const int i = decode(addr, gp.get_data_length());
  if (i < 0) return 0;
  gp.set_address(addr - m_map[i].base);
  const unsigned n = out[i]->transport_dbg(gp);
  gp.set_address(addr);
  return n;
}
