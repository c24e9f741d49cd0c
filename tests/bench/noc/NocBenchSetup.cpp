#include "NocBenchSetup.h"

#include "Loading.h"
#include "NocConfig.h"
#include "NocTrafficWorkload.h"

namespace nocBench {

using namespace chipletsim;

Setup load(const std::string& platform, const std::string& workload,
           const std::vector<config::SetOverride>& sets) {
  std::vector<config::SetOverride> p, w;
  for (const auto& s : sets) (s.scope == "platform" ? p : w).push_back(s);
  const PlatformSpec ps = loadPlatform(platform, p);
  const LoadedWorkload lw = loadWorkload(workload, w);
  Setup out;
  out.platformName = ps.name;
  out.workloadName = lw.name;
  const noc::NocSpec* found = nullptr;
  for (const auto& i : ps.instances)
    if (const noc::NocSpec* s = nocSpecOf(*i.spec)) {
      if (found) throw ConfigError(platform + ": more than one noc instance");
      found = s;
    }
  if (!found) throw ConfigError(platform + ": no noc instance");
  out.noc = *found;
  const workload::NocTrafficSpec* t = nocTrafficSpecOf(*lw.spec);
  if (!t) throw ConfigError(workload + ": not a noc_traffic workload");
  out.traffic = *t;
  return out;
}

}  // namespace nocBench
