#include "Simulation.h"

#include "CostModel.h"

#include <chrono>

#include <systemc>

namespace chipletsim {

std::vector<InstanceSummary> summarise(const PlatformSpec& platform) {
  std::vector<InstanceSummary> out;
  for (const auto& i : platform.instances) {
    InstanceSummary s{i.name, i.kind, {}};
    i.spec->describe(s.summary);
    out.push_back(std::move(s));
  }
  if (platform.packaging) {
    // The package itself, as a summary of its own: what it is built with and how full it is.
    InstanceSummary pkg{"package", "package", {}};
    pkg.summary.label("packaging", platform.packaging->name);
    if (platform.packageArea.si() > 0.0) {
      pkg.summary.add("package_area", toMm2(platform.packageArea), "mm2");
      pkg.summary.add("package_area_use", platform.packageArea / platform.packaging->maxArea, "1");
    }
    platform.packaging->describe(pkg.summary);
    out.push_back(std::move(pkg));
  }
  return out;
}

SimulationResult simulate(const PlatformSpec& platformSpec, const LoadedWorkload& workload) {
  const auto wallStart = std::chrono::steady_clock::now();
  SimulationResult r;
  r.platformName = platformSpec.name;
  r.platformDescription = platformSpec.description;
  r.workloadName = workload.name;
  r.workloadKind = workload.kind;
  r.resultKind = workload.spec->resultKind();
  r.instances = summarise(platformSpec);
  workload.spec->describe(r.workload);
  for (const auto& i : r.instances)
    for (const auto& [k, v] : i.summary.labels)
      if (k == "fidelity") r.fidelity.emplace_back(i.name, v);

  Platform platform(platformSpec);
  std::unique_ptr<WorkloadRun> run = workload.spec->build(platform);

  // Run in growing slices until the workload reports completion; models with periodic
  // processes (refresh) never let the kernel run out of events on its own.
  sc_core::sc_time slice(1, sc_core::SC_US);
  const sc_core::sc_time maxSlice(10, sc_core::SC_MS);
  while (!run->finished()) {
    sc_core::sc_start(slice);
    if (!run->finished() && !sc_core::sc_pending_activity())
      throw InternalError("simulation ran out of events before the workload '" + workload.name +
                          "' finished (deadlock)");
    if (slice < maxSlice) slice = slice * 2;
  }
  r.simulatedSeconds = run->simulatedSeconds();
  run->reportMetrics(r.metrics);
  reportPackageCost(platformSpec, r.metrics);
  platform.reportStats(r.stats);
  run->reportStats(r.stats.child("workload"));
  r.transactions = run->transactions();
  r.wallSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
  return r;
}

}  // namespace chipletsim
