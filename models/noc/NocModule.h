#pragma once
// The NoC as a TLM-2.0 interconnect: a thin SystemC shell around the transaction-level
// fabric. Every endpoint E has a target socket E_in (an initiator attached at E, such as a
// compute engine or DMA, sends requests into the NoC here) and an initiator socket E_out
// (requests whose address falls in E's range leave the NoC here, towards an HBM controller
// or a D2D port). A request crosses the fabric from its entry endpoint to the endpoint that
// owns its address as one packet (a header flit plus the data of a write), is forwarded
// with the address made local to that endpoint's range, and its response crosses back (a
// header flit plus the data of a read). Link contention shows in the annotated delay.
// Unbound sockets are tied off; a request to an address nobody owns gets
// TLM_ADDRESS_ERROR_RESPONSE. Loosely timed (b_transport; nb_transport through the simple
// socket's adapter) and transport_dbg. The address is restored on return; byte enables and
// streaming width travel to the target, which answers them; DMI is refused.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include "common/Distribution.h"
#include "common/StatGroup.h"
#include "noc/NocSpec.h"
#include "noc/TransactionFabric.h"

namespace chipletsim::noc {

class NocModule : public sc_core::sc_module {
 public:
  using TargetSocket = tlm_utils::simple_target_socket_tagged<NocModule>;
  using InitiatorSocket = tlm_utils::simple_initiator_socket_tagged<NocModule>;

  /// `spec` must validate (SpecError otherwise).
  NocModule(sc_core::sc_module_name name, const NocSpec& spec);
  ~NocModule() override;

  /// The target socket of endpoint `e` (requests enter here).
  TargetSocket& in(EndpointId e) { return *m_in[e.value()]; }
  /// The initiator socket of endpoint `e` (requests for its address range leave here).
  InitiatorSocket& out(EndpointId e) { return *m_out[e.value()]; }

  TransactionFabric& fabric() { return m_fabric; }
  const TransactionFabric& fabric() const { return m_fabric; }
  /// The endpoint whose address range holds [addr, addr + len), or an invalid id.
  EndpointId owner(std::uint64_t addr, std::uint64_t len) const;

  /// Fabric stats (latency, hops, link utilisation, router stalls) and per-endpoint
  /// transaction counts and latencies in ns.
  void reportStats(StatGroup& group) const;

 private:
  void before_end_of_elaboration() override;
  void bTransport(int id, tlm::tlm_generic_payload& t, sc_core::sc_time& delay);
  unsigned transportDbg(int id, tlm::tlm_generic_payload& t);
  void tieOff(int id, tlm::tlm_generic_payload& t, sc_core::sc_time& delay);

  struct EndpointStats {
    std::uint64_t requests = 0;  // entered here
    std::uint64_t served = 0;    // left here towards its target
    std::uint64_t bytes = 0;     // data bytes of requests that entered here
    Distribution latencyNs;      // NoC time of requests entering here, both directions
  };

  NocSpec m_spec;
  TransactionFabric m_fabric;
  std::vector<std::unique_ptr<TargetSocket>> m_in;
  std::vector<std::unique_ptr<InitiatorSocket>> m_out;
  // Tie-offs for sockets the platform left unbound.
  std::vector<std::unique_ptr<tlm_utils::simple_initiator_socket<NocModule>>> m_tieIn;
  std::vector<std::unique_ptr<tlm_utils::simple_target_socket_tagged<NocModule>>> m_tieOut;
  std::vector<EndpointStats> m_stats;
};

}  // namespace chipletsim::noc
