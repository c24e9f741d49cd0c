#pragma once
// Decoder of kind `network`, one package's port into a scale-up or scale-out network:
//
//   nvlink:
//     kind: network
//     level: scale_up             # scale_up | scale_out: which collectives use it
//     topology: switch            # switch | ring | torus_2d
//     bandwidth: "450 GB/s"       # per direction, per package
//     latency: "1 us"             # one-way, one step of a collective
//     packages: 8                 # packages the network joins (the scale-up domain)
//     energy_per_bit: "0 pJ/bit"  # optional
//
// The component has one target port, `in`; the training workload's driver binds to it.

#include <memory>
#include <string>

#include "Component.h"
#include "config/Node.h"
#include "workload/NetworkPort.h"

namespace chipletsim {

enum class NetworkLevel { kScaleUp, kScaleOut };

/// The elaborated `network` instance.
class NetworkComponent : public Component {
 public:
  NetworkComponent(const std::string& name, const NetworkSpec& spec, NetworkLevel level);
  tlm::tlm_target_socket<>* targetPort(const std::string& port) override;
  void reportStats(StatGroup& group) const override;
  NetworkPort& port() { return m_port; }
  const NetworkPort& port() const { return m_port; }
  NetworkLevel level() const { return m_level; }

 private:
  NetworkPort m_port;
  NetworkLevel m_level;
};

/// Kind `network`.
std::unique_ptr<InstanceSpec> decodeNetwork(const config::Node& params);
/// Registry entry for ComponentKinds.cpp.
ComponentKind networkKind();

}  // namespace chipletsim
