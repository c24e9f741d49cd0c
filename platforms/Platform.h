#pragma once
// A platform: the netlist of a YAML platform file, decoded (PlatformSpec) and then
// elaborated into sc_modules bound by TLM sockets (Platform).
//
//   name: hbm-hbm3
//   instances:
//     hbm0: { kind: hbm_stack, preset: hbm3, fidelity: bank }
//   connections:
//     - { from: gen.out, to: hbm0.in }
//   traffic_ports: [hbm0.in]     # where a traffic workload's generators plug in
//   packaging: cowos-s           # optional: the package's technology (configs/packaging/);
//                                # its HBM sites and interposer size are checked

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "Component.h"
#include "PackagingTech.h"

namespace chipletsim {

/// "instance.port" as written in the file, with where it was written.
struct PortRef {
  std::string instance;
  std::string port;
  SourceLoc loc;
  std::string keyPath;
  std::string str() const { return instance + "." + port; }
};

struct InstanceDecl {
  std::string name;
  std::string kind;
  std::string preset;  // the `preset:` it names, "" when none
  SourceLoc loc;
  std::string keyPath;
  std::unique_ptr<InstanceSpec> spec;
};

struct Connection {
  PortRef from;  // initiator port
  PortRef to;    // target port
};

struct PlatformSpec {
  std::string name;
  std::string description;
  std::string file;
  std::vector<InstanceDecl> instances;
  std::vector<Connection> connections;
  std::vector<PortRef> trafficPorts;
  /// The technology the package is built with, when the file names one.
  std::optional<PackagingTech> packaging;
  /// Interposer (or package) area: the dies' total area ("die_area" x "die_count" rows of the
  /// instances) times the technology's area factor; 0 when no instance gives a die area.
  Area packageArea;

  const InstanceDecl* instance(const std::string& name) const;
};

class Platform {
 public:
  /// Elaborates every instance, then binds every connection. Port names that do not exist
  /// are ConfigErrors pointing at the connection.
  explicit Platform(const PlatformSpec& spec);
  ~Platform();

  const PlatformSpec& spec() const { return m_spec; }
  Component* component(const std::string& name) const;
  /// Components in declaration order with their names.
  const std::vector<std::pair<std::string, Component*>>& components() const { return m_order; }
  const std::vector<PortRef>& trafficPorts() const { return m_spec.trafficPorts; }

  /// One child group per instance.
  void reportStats(StatGroup& stats) const;

 private:
  const PlatformSpec& m_spec;
  std::map<std::string, std::unique_ptr<Component>> m_components;
  std::vector<std::pair<std::string, Component*>> m_order;
};

}  // namespace chipletsim
