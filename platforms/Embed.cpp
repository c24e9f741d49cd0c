#include "Embed.h"

#include "HbmConfig.h"
#include "Loading.h"
#include "NocConfig.h"
#include "common/Errors.h"
#include "config/Loader.h"

namespace chipletsim {

namespace {

// The fragment's map with its preset merged and `kind` removed, as a kind's decoder sees it.
config::Node fragmentParams(const ComponentKind& kind, const std::string& yamlText) {
  config::Node root = config::parseYaml(yamlText, "<" + kind.name + " fragment>");
  if (!root.isMap()) root.expected("a map of the " + kind.name + " instance's keys");
  if (const config::Node* k = root.get("kind")) {
    if (!k->isScalar() || k->text() != kind.name)
      k->fail("the fragment is decoded as kind '" + kind.name + "'");
    root.erase("kind");
  }
  return kind.presetCategory.empty() ? root : withPreset(root, kind.presetCategory);
}

const ComponentKind& kindNamed(const std::string& name) {
  const ComponentKind* k = findComponentKind(name);
  if (!k) {
    std::string known;
    for (const auto& c : componentKinds()) known += (known.empty() ? "" : ", ") + c.name;
    throw ConfigError("unknown component kind '" + name + "'; expected one of: " + known);
  }
  return *k;
}

}  // namespace

std::unique_ptr<InstanceSpec> decodeInstance(const std::string& kind, const std::string& yamlText) {
  const ComponentKind& k = kindNamed(kind);
  return k.decode(fragmentParams(k, yamlText));
}

hbm::HbmSpec hbmSpecFromYaml(const std::string& yamlText) {
  return decodeHbmSpec(fragmentParams(kindNamed("hbm_stack"), yamlText));
}

noc::NocSpec nocSpecFromYaml(const std::string& yamlText) {
  const auto spec = decodeInstance("noc", yamlText);
  const noc::NocSpec* s = nocSpecOf(*spec);
  if (!s) throw InternalError("kind 'noc' decoded into something other than a NoC");
  return *s;
}

}  // namespace chipletsim
