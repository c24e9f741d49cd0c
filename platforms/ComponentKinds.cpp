// The registry of instance kinds a platform file may name. Each domain's decoder lives in
// platforms/<Domain>Config.cpp; add one line per kind here.
#include <set>

#include "Component.h"
#include "ComputeConfig.h"
#include "D2dConfig.h"
#include "HbmConfig.h"
#include "NetworkConfig.h"
#include "NocConfig.h"

namespace chipletsim {

namespace {
std::vector<ComponentKind> makeKinds() {
  std::vector<ComponentKind> kinds = {
      d2dLinkKind(), trafficSinkKind(),    hbmStackKind(),
      nocKind(),     computeChipletKind(), networkKind(),
  };
  std::set<std::string> seen;
  for (const auto& k : kinds)
    if (!seen.insert(k.name).second) throw InternalError("duplicate component kind " + k.name);
  return kinds;
}
}  // namespace

const std::vector<ComponentKind>& componentKinds() {
  static const std::vector<ComponentKind> kinds = makeKinds();
  return kinds;
}

const ComponentKind* findComponentKind(const std::string& name) {
  for (const auto& k : componentKinds())
    if (k.name == name) return &k;
  return nullptr;
}

}  // namespace chipletsim
