#pragma once
// One simulation: elaborate the platform, attach the workload, run the SystemC kernel until
// the workload finishes, and gather everything a report needs. One per process: the SystemC
// kernel cannot be restarted.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "Loading.h"

namespace chipletsim {

struct InstanceSummary {
  std::string name;
  std::string kind;
  Summary summary;
};

struct SimulationResult {
  std::string platformName;
  std::string platformDescription;
  std::string workloadName;
  std::string workloadKind;  // registered kind ("memory_traffic", "training", ...)
  std::string resultKind;    // "training" or "traffic"
  std::vector<InstanceSummary> instances;
  Summary workload;
  StatGroup metrics{"metrics"};
  StatGroup stats{"stats"};
  double wallSeconds = 0.0;
  double simulatedSeconds = 0.0;
  std::uint64_t transactions = 0;
  /// (instance, fidelity) for every instance that has a choice of fidelity.
  std::vector<std::pair<std::string, std::string>> fidelity;
};

/// Runs `workload` on `platform`. ConfigError for inputs that cannot run together,
/// InternalError when the kernel stops before the workload completes.
SimulationResult simulate(const PlatformSpec& platform, const LoadedWorkload& workload);

/// The summaries of every instance (no elaboration): for `validate` and results.
std::vector<InstanceSummary> summarise(const PlatformSpec& platform);

}  // namespace chipletsim
