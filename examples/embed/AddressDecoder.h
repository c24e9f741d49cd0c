#pragma once
// The user's own interconnect: one target socket in, one initiator socket per mapped
// region out (bound in map order). A request is forwarded with its address made local to
// the region and the address restored on return; an address no region holds gets
// TLM_ADDRESS_ERROR_RESPONSE. Loosely timed (b_transport) and transport_dbg.

#include <cstdint>
#include <vector>

#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

class AddressDecoder : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<AddressDecoder> in;
  tlm_utils::multi_passthrough_initiator_socket<AddressDecoder> out;

  explicit AddressDecoder(sc_core::sc_module_name name);

  /// Maps [base, base + size) to the next socket bound to `out`; regions must not overlap.
  void map(std::uint64_t base, std::uint64_t size);

 private:
  struct Entry {
    std::uint64_t base, size;
  };
  /// Index of the region holding [addr, addr + len), or -1.
  int decode(std::uint64_t addr, std::uint64_t len) const;
  void bTransport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  unsigned transportDbg(tlm::tlm_generic_payload& gp);

  std::vector<Entry> m_map;
};
