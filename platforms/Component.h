#pragma once
// The platform netlist's building blocks. A platform YAML lists instances, each with a
// `kind` registered in ComponentKinds.cpp; the kind's decoder turns the instance's YAML
// (preset already merged) into an InstanceSpec; elaboration turns the spec into a Component
// that owns its sc_modules and exposes named TLM ports for the netlist's connections.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <tlm>

#include "common/StatGroup.h"
#include "config/Node.h"

namespace chipletsim {

/// Derived quantities printed by `chipletsim validate` and copied into results JSON's
/// "platform" summary: ordered (name, value, unit) rows.
struct Summary {
  struct Row {
    std::string name;
    double value;
    std::string unit;
  };
  std::vector<Row> rows;
  /// Text facts, e.g. ("fidelity", "bank"): results JSON's sim.fidelity collects these.
  std::vector<std::pair<std::string, std::string>> labels;

  void add(std::string name, double value, std::string unit) {
    rows.push_back({std::move(name), value, std::move(unit)});
  }
  void label(std::string name, std::string value) {
    labels.emplace_back(std::move(name), std::move(value));
  }
  const Row* find(const std::string& name) const {
    for (const auto& r : rows)
      if (r.name == name) return &r;
    return nullptr;
  }
};

/// An elaborated instance. Owns its sc_modules.
class Component {
 public:
  virtual ~Component() = default;

  /// The target socket called `port` ("in", "a_in", ...) or nullptr if there is none.
  virtual tlm::tlm_target_socket<>* targetPort(const std::string& port) {
    (void)port;
    return nullptr;
  }
  /// The initiator socket called `port` or nullptr.
  virtual tlm::tlm_initiator_socket<>* initiatorPort(const std::string& port) {
    (void)port;
    return nullptr;
  }
  /// Bytes of address space behind target port `port` (0 when not a memory).
  virtual std::uint64_t addressSpan(const std::string& port) const {
    (void)port;
    return 0;
  }
  /// Fills this component's stats group (the caller names the group after the instance).
  virtual void reportStats(StatGroup& group) const = 0;
};

/// The decoded, validated parameters of one instance.
class InstanceSpec {
 public:
  virtual ~InstanceSpec() = default;
  /// Creates the sc_modules. Called once, during elaboration, with the instance name.
  virtual std::unique_ptr<Component> build(const std::string& name) const = 0;
  /// Derived quantities for `validate` and the results summary.
  virtual void describe(Summary& out) const = 0;
};

/// A registered kind of instance.
struct ComponentKind {
  std::string name;            // the `kind:` spelling, snake_case
  std::string presetCategory;  // configs/<category>/ that `preset:` names refer to, or ""
  std::string description;     // one line for `chipletsim list kinds`
  std::unique_ptr<InstanceSpec> (*decode)(const config::Node& params);
};

/// Every kind, in a fixed order. A duplicate name is an internal error.
const std::vector<ComponentKind>& componentKinds();
/// The kind called `name` or nullptr.
const ComponentKind* findComponentKind(const std::string& name);

}  // namespace chipletsim
