#include "Platform.h"

#include <set>

namespace chipletsim {

const InstanceDecl* PlatformSpec::instance(const std::string& n) const {
  for (const auto& i : instances)
    if (i.name == n) return &i;
  return nullptr;
}

Platform::Platform(const PlatformSpec& spec) : m_spec(spec) {
  for (const auto& decl : spec.instances) {
    std::unique_ptr<Component> c;
    try {
      c = decl.spec->build(decl.name);
    } catch (const SpecError& e) {
      throw ConfigError(decl.loc, decl.keyPath, e.what());
    }
    if (!c) throw InternalError("instance '" + decl.name + "' built nothing");
    m_order.emplace_back(decl.name, c.get());
    m_components.emplace(decl.name, std::move(c));
  }
  std::set<std::string> boundInitiators;
  std::set<std::string> boundTargets;
  for (const auto& conn : spec.connections) {
    auto* ini = component(conn.from.instance)->initiatorPort(conn.from.port);
    if (!ini)
      throw ConfigError(
          conn.from.loc, conn.from.keyPath,
          "instance '" + conn.from.instance + "' has no initiator port '" + conn.from.port + "'");
    auto* tgt = component(conn.to.instance)->targetPort(conn.to.port);
    if (!tgt)
      throw ConfigError(
          conn.to.loc, conn.to.keyPath,
          "instance '" + conn.to.instance + "' has no target port '" + conn.to.port + "'");
    if (!boundInitiators.insert(conn.from.str()).second)
      throw ConfigError(conn.from.loc, conn.from.keyPath,
                        "initiator port '" + conn.from.str() + "' is connected twice");
    if (!boundTargets.insert(conn.to.str()).second)
      throw ConfigError(conn.to.loc, conn.to.keyPath,
                        "target port '" + conn.to.str() + "' is connected twice");
    ini->bind(*tgt);
  }
  for (const auto& p : spec.trafficPorts) {
    if (!component(p.instance)->targetPort(p.port))
      throw ConfigError(p.loc, p.keyPath,
                        "instance '" + p.instance + "' has no target port '" + p.port + "'");
    if (boundTargets.count(p.str()))
      throw ConfigError(p.loc, p.keyPath,
                        "traffic port '" + p.str() + "' is already connected to an initiator");
  }
}

Platform::~Platform() = default;

Component* Platform::component(const std::string& name) const {
  const auto it = m_components.find(name);
  return it == m_components.end() ? nullptr : it->second.get();
}

void Platform::reportStats(StatGroup& stats) const {
  for (const auto& [name, c] : m_order) c->reportStats(stats.child(name));
}

}  // namespace chipletsim
