// The registry of workload kinds a workload file may name (`kind:`). Add one line per kind.
#include <set>

#include "NocTrafficWorkload.h"
#include "TrafficWorkload.h"
#include "TrainingWorkload.h"
#include "Workload.h"

namespace chipletsim {

namespace {
std::vector<WorkloadKind> makeKinds() {
  std::vector<WorkloadKind> kinds = {
      memoryTrafficKind(),
      nocTrafficKind(),
      trainingKind(),
  };
  std::set<std::string> seen;
  for (const auto& k : kinds)
    if (!seen.insert(k.name).second) throw InternalError("duplicate workload kind " + k.name);
  return kinds;
}
}  // namespace

const std::vector<WorkloadKind>& workloadKinds() {
  static const std::vector<WorkloadKind> kinds = makeKinds();
  return kinds;
}

const WorkloadKind* findWorkloadKind(const std::string& name) {
  for (const auto& k : workloadKinds())
    if (k.name == name) return &k;
  return nullptr;
}

}  // namespace chipletsim
