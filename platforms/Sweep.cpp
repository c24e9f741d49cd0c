#include "Sweep.h"

#include <filesystem>
#include <optional>

#include "Loading.h"
#include "config/Reader.h"

namespace chipletsim {

using config::MapReader;
using config::Node;

namespace {

constexpr std::size_t kMaxPoints = 100000;

struct Axis {
  std::string key;           // "platform.instances.hbm0.pin_rate"
  std::vector<Node> values;  // YAML values, kept with their locations
  const Node* keyNode = nullptr;
};

// A group of axes that move together (a plain axis is a group of one).
using Group = std::vector<Axis>;

std::string relativeTo(const std::string& file, const Node& n) {
  if (!n.isScalar()) n.expected("a file name");
  return (std::filesystem::path(file).parent_path() / n.text()).lexically_normal().string();
}

// "--set" text for a key and a YAML value, for parsing with the same rules as the CLI.
config::SetOverride overrideFor(const std::string& key, const Node& value, const Node& keyNode) {
  if (!value.isScalar()) value.expected("a scalar value for key '" + key + "'");
  try {
    return config::parseSetOverride(key + "=" + value.text());
  } catch (const ConfigError& e) {
    keyNode.fail(std::string("bad key path or value: ") + e.what());
  }
}

Axis decodeAxis(const Node& n) {
  MapReader r(n);
  Axis a;
  a.keyNode = &r.requiredChild("key");
  a.key = r.required<std::string>("key");
  const Node& values = r.requiredChild("values");
  if (!values.isSequence() || values.items().empty()) values.expected("a non-empty list of values");
  a.values = values.items();
  r.finish();
  overrideFor(a.key, a.values.front(), *a.keyNode);  // the key path must parse
  return a;
}

std::string shortKey(const std::string& key) {
  // "platform.instances.hbm0.pin_rate" -> "hbm0.pin_rate" for point names.
  std::string k = key.substr(key.find('.') + 1);
  if (k.rfind("instances.", 0) == 0) k = k.substr(10);
  return k;
}

}  // namespace

SweepSpec loadSweep(const std::string& path) {
  return decodeSweep(config::loadFile(path), path);
}

SweepSpec decodeSweep(const Node& root, const std::string& path) {
  MapReader r(root);
  SweepSpec s;
  s.file = path;
  s.name = r.required<std::string>("name");
  // The default output folder is sweep-<name>: a name with a '/' wrote somewhere else.
  if (s.name.empty() || s.name.find_first_of(std::string("/\0", 2)) != std::string::npos)
    r.node().get("name")->fail(
        "expected a non-empty name without '/' (the default output "
        "folder is sweep-<name>), got '" +
        s.name + "'");
  s.description = r.optional<std::string>("description", "");
  const std::string platform = relativeTo(path, r.requiredChild("platform"));
  const std::string workload = relativeTo(path, r.requiredChild("workload"));
  const Node* axes = r.child("axes");
  const Node* variants = r.child("variants");
  if ((axes == nullptr) == (variants == nullptr))
    root.fail("a sweep needs exactly one of 'axes' (a grid over key paths) or 'variants' (a list)");
  if (variants) {
    if (!variants->isSequence() || variants->items().empty())
      variants->expected("a non-empty list of variants");
    for (const auto& v : variants->items()) {
      MapReader vr(v);
      SweepPoint p;
      p.name = vr.required<std::string>("name");
      p.platformFile = vr.has("platform") ? relativeTo(path, *vr.child("platform")) : platform;
      p.workloadFile = vr.has("workload") ? relativeTo(path, *vr.child("workload")) : workload;
      if (const Node* set = vr.child("set")) {
        if (!set->isMap()) set->expected("a map of key.path: value");
        for (const auto& [key, value] : set->entries()) {
          p.sets.push_back(overrideFor(key, value, value));
          p.varied.emplace_back(key, value.text());
        }
      }
      vr.finish();
      for (const auto& q : s.points)
        if (q.name == p.name) v.fail("duplicate variant name '" + p.name + "'");
      s.points.push_back(std::move(p));
    }
  } else {
    if (!axes->isSequence() || axes->items().empty()) axes->expected("a non-empty list of axes");
    std::vector<Group> groups;
    for (const auto& a : axes->items()) {
      if (const Node* zip = a.get("zip")) {
        MapReader zr(a);
        zr.requiredChild("zip");
        zr.finish();
        if (!zip->isSequence() || zip->items().empty()) zip->expected("a non-empty list of axes");
        Group g;
        for (const auto& z : zip->items()) g.push_back(decodeAxis(z));
        for (const auto& ax : g)
          if (ax.values.size() != g.front().values.size())
            ax.keyNode->fail("zip axes must have the same number of values (" +
                             std::to_string(g.front().values.size()) + " for '" + g.front().key +
                             "', " + std::to_string(ax.values.size()) + " here)");
        groups.push_back(std::move(g));
      } else {
        groups.push_back(Group{decodeAxis(a)});
      }
    }
    for (std::size_t gi = 0; gi < groups.size(); ++gi)
      for (std::size_t ai = 0; ai < groups[gi].size(); ++ai)
        for (std::size_t gj = 0; gj <= gi; ++gj)
          for (std::size_t aj = 0; aj < (gj == gi ? ai : groups[gj].size()); ++aj)
            if (groups[gj][aj].key == groups[gi][ai].key)
              groups[gi][ai].keyNode->fail("key '" + groups[gi][ai].key +
                                           "' is swept twice (also at line " +
                                           std::to_string(groups[gj][aj].keyNode->loc().line) +
                                           "): each key may be one axis only");
    std::size_t total = 1;
    for (const auto& g : groups) {
      total *= g.front().values.size();
      if (total > kMaxPoints)
        axes->fail("the grid has more than " + std::to_string(kMaxPoints) + " points");
    }
    // Mixed-radix counter: the first group varies slowest.
    std::vector<std::size_t> idx(groups.size(), 0);
    for (std::size_t n = 0; n < total; ++n) {
      SweepPoint p;
      p.platformFile = platform;
      p.workloadFile = workload;
      for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        for (const auto& ax : groups[gi]) {
          const Node& v = ax.values[idx[gi]];
          p.sets.push_back(overrideFor(ax.key, v, v));
          p.varied.emplace_back(ax.key, v.text());
          p.name += (p.name.empty() ? "" : ",") + shortKey(ax.key) + "=" + v.text();
        }
      }
      s.points.push_back(std::move(p));
      for (std::size_t gi = groups.size(); gi-- > 0;) {
        if (++idx[gi] < groups[gi].front().values.size()) break;
        idx[gi] = 0;
      }
    }
  }
  r.finish();
  return s;
}

namespace {
void loadPoint(const SweepPoint& p) {
  std::vector<config::SetOverride> ps, ws;
  for (const auto& o : p.sets) (o.scope == "platform" ? ps : ws).push_back(o);
  loadPlatform(p.platformFile, ps);
  loadWorkload(p.workloadFile, ws);
}
}  // namespace

void checkSomePointLoads(const SweepSpec& sweep, const SourceLoc& where, const std::string& noun) {
  std::optional<ConfigError> first;
  for (const auto& p : sweep.points) {
    try {
      loadPoint(p);
      return;
    } catch (const ConfigError& e) {
      if (!first)
        first = ConfigError(where, "",
                            "no " + noun + " loads; the first, '" + p.name + "': " + e.what());
    }
  }
  if (first) throw *first;
}

void checkSweepPoints(const SweepSpec& sweep) {
  for (const auto& p : sweep.points) {
    try {
      loadPoint(p);
    } catch (const ConfigError& e) {
      throw ConfigError(SourceLoc{sweep.file, 0, 0}, "",
                        "point '" + p.name + "' is invalid: " + e.what());
    }
  }
}

}  // namespace chipletsim
