#include "Loading.h"

#include <filesystem>

#include "ConfigPaths.h"
#include "Partition.h"
#include "config/Reader.h"

namespace chipletsim {

using config::MapReader;
using config::Node;

namespace {

Node loadWithOverrides(const std::string& path, const std::vector<config::SetOverride>& sets) {
  Node root = config::loadFile(path);
  if (!root.isMap()) root.expected("a map of key: value at the top of the file");
  for (const auto& o : sets) config::applyOverride(root, o);
  return root;
}

std::string nameList(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s;
}

std::vector<std::string> componentKindNames() {
  std::vector<std::string> v;
  for (const auto& k : componentKinds()) v.push_back(k.name);
  return v;
}

std::vector<std::string> workloadKindNames() {
  std::vector<std::string> v;
  for (const auto& k : workloadKinds()) v.push_back(k.name);
  return v;
}

[[noreturn]] void unknownName(const Node& at, const std::string& what, const std::string& name,
                              const std::vector<std::string>& known) {
  std::string msg = "unknown " + what + " '" + name + "'";
  const std::string guess = config::closestMatch(name, known);
  if (!guess.empty()) msg += " (did you mean '" + guess + "'?)";
  at.fail(msg + "; expected one of: " + nameList(known));
}

}  // namespace

Node withPreset(const Node& map, const std::string& category) {
  const Node* preset = map.get("preset");
  if (!preset) return map;
  const std::string file = resolvePreset(category, *preset);
  Node base = config::loadFile(file);
  if (!base.isMap()) base.expected("a map in a preset file");
  base.rebase(map.path());
  Node own = map;
  own.erase("preset");
  return config::merge(base, own);
}

PortRef parsePortRef(const Node& n) {
  if (!n.isScalar()) n.expected("'instance.port'");
  const std::string& s = n.text();
  const auto dot = s.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == s.size() ||
      s.find('.', dot + 1) != std::string::npos)
    n.expected("'instance.port' (e.g. 'hbm0.in')");
  return PortRef{s.substr(0, dot), s.substr(dot + 1), n.loc(), n.path()};
}

PlatformSpec loadPlatform(const std::string& path, const std::vector<config::SetOverride>& sets) {
  return decodePlatform(loadWithOverrides(path, sets), path);
}

PlatformSpec decodePlatform(const Node& file, const std::string& path) {
  // A partition (Partition.h) is expanded into the netlist it stands for.
  const Node root = isPartitionPlatform(file) ? expandPartition(file) : file;
  MapReader r(root);
  PlatformSpec spec;
  spec.file = path;
  spec.name = r.required<std::string>("name");
  spec.description = r.optional<std::string>("description", "");
  // Instances, each decoded by the kind it names.
  const Node& instances = r.requiredChild("instances");
  if (!instances.isMap()) instances.expected("a map of instance name: {kind: ..., ...}");
  if (instances.entries().empty()) instances.fail("a platform needs at least one instance");
  for (const auto& [name, decl] : instances.entries()) {
    MapReader ir(decl);
    const std::string kindName = ir.required<std::string>("kind");
    const ComponentKind* kind = findComponentKind(kindName);
    if (!kind) unknownName(*decl.get("kind"), "instance kind", kindName, componentKindNames());
    Node params = decl;
    if (decl.get("preset")) {
      if (kind->presetCategory.empty())
        decl.get("preset")->fail("kind '" + kindName + "' has no presets");
      params = withPreset(decl, kind->presetCategory);
    }
    params.erase("kind");
    InstanceDecl d;
    d.name = name;
    d.kind = kindName;
    if (const Node* preset = decl.get("preset"); preset && preset->isScalar())
      d.preset = preset->text();
    d.loc = decl.loc();
    d.keyPath = decl.path();
    try {
      d.spec = kind->decode(params);
    } catch (const SpecError& e) {
      decl.fail(e.what());
    }
    if (!d.spec) throw InternalError("decoder of kind '" + kindName + "' returned nothing");
    spec.instances.push_back(std::move(d));
  }
  std::vector<std::string> names;
  for (const auto& i : spec.instances) names.push_back(i.name);
  auto checkRef = [&](const Node& n) {
    PortRef p = parsePortRef(n);
    if (!spec.instance(p.instance)) unknownName(n, "instance", p.instance, names);
    return p;
  };
  if (const Node* conns = r.child("connections")) {
    if (!conns->isSequence()) conns->expected("a list of {from: instance.port, to: instance.port}");
    for (const auto& c : conns->items()) {
      MapReader cr(c);
      Connection conn{checkRef(cr.requiredChild("from")), checkRef(cr.requiredChild("to"))};
      cr.finish();
      spec.connections.push_back(std::move(conn));
    }
  }
  if (const Node* pk = r.child("packaging")) {
    spec.packaging =
        pk->isMap() ? decodePackagingTech(withPreset(*pk, "packaging")) : loadPackagingTech(*pk);
    int stacks = 0;
    double dieArea = 0.0;  // mm2
    for (const auto& i : spec.instances) {
      if (i.kind == "hbm_stack") ++stacks;
      Summary s;
      i.spec->describe(s);
      if (const Summary::Row* a = s.find("die_area")) {
        const Summary::Row* n = s.find("die_count");
        dieArea += a->value * (n ? n->value : 1.0);
      }
    }
    spec.packaging->checkHbm(stacks, *pk);
    spec.packageArea = squareMillimetres(dieArea * spec.packaging->interposerAreaFactor);
    if (dieArea > 0.0) spec.packaging->checkInterposerArea(spec.packageArea, *pk);
  }
  if (const Node* ports = r.child("traffic_ports")) {
    if (!ports->isSequence()) ports->expected("a list of instance.port");
    for (const auto& p : ports->items()) spec.trafficPorts.push_back(checkRef(p));
  }
  r.finish();
  return spec;
}

LoadedWorkload loadWorkload(const std::string& path, const std::vector<config::SetOverride>& sets) {
  return decodeWorkload(loadWithOverrides(path, sets), path);
}

LoadedWorkload decodeWorkload(const Node& file, const std::string& path) {
  if (!file.isMap()) file.expected("a map of key: value at the top of the file");
  Node root = withPreset(file, "workloads");
  LoadedWorkload w;
  w.file = path;
  const Node* kindNode = root.get("kind");
  if (!kindNode)
    throw ConfigError(
        root.loc(), "kind",
        "missing required key 'kind'; expected one of: " + nameList(workloadKindNames()));
  if (!kindNode->isScalar()) kindNode->expected("a workload kind");
  w.kind = kindNode->text();
  const WorkloadKind* kind = findWorkloadKind(w.kind);
  if (!kind) unknownName(*kindNode, "workload kind", w.kind, workloadKindNames());
  const Node* name = root.get("name");
  w.name = name ? name->text() : std::filesystem::path(path).stem().string();
  const Node* desc = root.get("description");
  w.description = desc ? desc->text() : "";
  root.erase("kind");
  root.erase("name");
  root.erase("description");
  try {
    w.spec = kind->decode(root);
  } catch (const SpecError& e) {
    root.fail(e.what());
  }
  if (!w.spec) throw InternalError("decoder of workload kind '" + w.kind + "' returned nothing");
  return w;
}

}  // namespace chipletsim
