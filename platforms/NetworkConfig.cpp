#include "NetworkConfig.h"

#include <systemc>

#include "config/Reader.h"

namespace chipletsim {

using config::Limits;
using config::MapReader;
using config::Node;

NetworkComponent::NetworkComponent(const std::string& name, const NetworkSpec& spec,
                                   NetworkLevel level)
    : m_port(name.c_str(), spec), m_level(level) {}

tlm::tlm_target_socket<>* NetworkComponent::targetPort(const std::string& port) {
  return port == "in" ? &m_port.in : nullptr;
}

void NetworkComponent::reportStats(StatGroup& group) const {
  m_port.reportStats(group, sc_core::sc_time_stamp().value());
}

namespace {

const config::EnumTable<NetworkTopology> kTopologies{{
    {"switch", NetworkTopology::kSwitch},
    {"ring", NetworkTopology::kRing},
    {"torus_2d", NetworkTopology::kTorus2d},
}};

const config::EnumTable<NetworkLevel> kLevels{{
    {"scale_up", NetworkLevel::kScaleUp},
    {"scale_out", NetworkLevel::kScaleOut},
}};

class NetworkInstanceSpec : public InstanceSpec {
 public:
  NetworkSpec spec;
  NetworkLevel level = NetworkLevel::kScaleUp;

  std::unique_ptr<Component> build(const std::string& name) const override {
    return std::make_unique<NetworkComponent>(name, spec, level);
  }
  void describe(Summary& out) const override {
    out.label("level", level == NetworkLevel::kScaleUp ? "scale_up" : "scale_out");
    out.add("bandwidth_per_direction", spec.bandwidth.si(), "B/s");
    out.add("latency", toNs(spec.latency), "ns");
    out.add("packages", spec.packages, "count");
    if (spec.energyPerBit.si() > 0)
      out.add("energy_per_bit", spec.energyPerBit.si() * 1e12, "pJ/bit");
    else
      out.label("energy_per_bit", "not set: its energy is not counted");
  }
};

}  // namespace

std::unique_ptr<InstanceSpec> decodeNetwork(const Node& params) {
  MapReader r(params);
  auto out = std::make_unique<NetworkInstanceSpec>();
  out->level = r.requiredEnum("level", kLevels);
  NetworkSpec& s = out->spec;
  s.topology = r.optionalEnum("topology", kTopologies, NetworkTopology::kSwitch);
  s.bandwidth = r.required<Bandwidth>("bandwidth", Limits::positive());
  s.latency = r.required<Duration>("latency", Limits::nonNegative());
  s.packages = r.required<int>("packages", Limits::atLeast(1));
  s.energyPerBit =
      r.optional<EnergyPerBit>("energy_per_bit", EnergyPerBit(0.0), Limits::nonNegative());
  r.finish();
  return out;
}

ComponentKind networkKind() {
  return {"network", "",
          "a package's port into a scale-up or scale-out network (switch, ring, 2-D torus)",
          &decodeNetwork};
}

}  // namespace chipletsim
