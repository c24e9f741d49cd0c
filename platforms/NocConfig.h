#pragma once
// Decoder of kind `noc`, a chiplet's (or a base die's) network-on-chip:
//
//   noc:
//     kind: noc
//     topology: mesh               # mesh | torus | ring | crossbar | irregular
//     dim_x: 8                     # mesh/torus columns and rows
//     dim_y: 8
//     # routers: 16                # ring, irregular
//     # ports: 8                   # crossbar
//     # links: [{a: 0, b: 1, delay_cycles: 8}]   # irregular (a D2D hop is slower)
//     clock: "2 GHz"
//     flit_size: "32 B"            # link width: one flit per cycle per direction
//     router_pipeline_cycles: 2
//     link_delay_cycles: 1
//     virtual_channels: 4
//     buffer_depth_flits: 8        # per virtual channel
//     routing: dimension_order     # or table (up*/down*), the default for irregular
//     fidelity: transaction        # or flit (noc_traffic workloads only)
//     link_efficiency: ideal       # or calibrated: noc_traffic in transaction fidelity
//                                  # derives it from the flit fabric (workload/NocCalibration.h)
//     endpoints:                   # default: one endpoint "ep<i>" per router
//       - {name: engine0, role: compute, router: 0}
//       - {name: hbm0, role: memory, router: 7, address_base: "0 GiB", address_size: "24 GiB"}
//
// Ports: "<endpoint>_in" (target: requests enter) and "<endpoint>_out" (initiator: requests
// for the endpoint's address range leave).

#include <memory>
#include <string>

#include "Component.h"
#include "config/Node.h"
#include "noc/FlitFabric.h"
#include "noc/NocModule.h"

namespace chipletsim {

/// The elaborated `noc` instance: a NocModule, and for flit fidelity a FlitFabric built
/// from the same spec that a noc_traffic workload drives.
class NocComponent : public Component {
 public:
  NocComponent(const std::string& name, const noc::NocSpec& spec, noc::Fidelity fidelity,
               bool calibrateLinks);

  tlm::tlm_target_socket<>* targetPort(const std::string& port) override;
  tlm::tlm_initiator_socket<>* initiatorPort(const std::string& port) override;
  std::uint64_t addressSpan(const std::string& port) const override;
  void reportStats(StatGroup& group) const override;

  noc::Fidelity fidelity() const { return m_fidelity; }
  const noc::NocSpec& spec() const { return m_spec; }
  /// True when a transaction-fidelity traffic run should derive its link efficiency from
  /// the flit fabric.
  bool calibrateLinks() const { return m_calibrate; }
  /// The fabric synthetic traffic drives, in this instance's fidelity; in transaction
  /// fidelity with `linkEfficiency` < 1, a transaction fabric of its own with that
  /// efficiency (created on first call). TLM traffic always crosses the module's fabric.
  noc::NocFabric& trafficFabric(double linkEfficiency = 1.0);

 private:
  noc::NocSpec m_spec;
  noc::Fidelity m_fidelity;
  bool m_calibrate;
  noc::NocModule m_module;
  std::unique_ptr<noc::FlitFabric> m_flit;
  std::unique_ptr<noc::TransactionFabric> m_calibrated;
};

/// The NoC spec of a decoded `noc` instance, or nullptr for another kind (for tools that
/// drive the plain-C++ fabrics without elaborating a platform).
const noc::NocSpec* nocSpecOf(const InstanceSpec& spec);
/// The fidelity a decoded `noc` instance names (transaction for another kind).
noc::Fidelity nocFidelityOf(const InstanceSpec& spec);

/// Kind `noc`. SpecError when the decoded spec cannot be built.
std::unique_ptr<InstanceSpec> decodeNoc(const config::Node& params);
/// Registry entry for ComponentKinds.cpp.
ComponentKind nocKind();

}  // namespace chipletsim
