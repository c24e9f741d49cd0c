#pragma once
// Workloads: a YAML file with a `kind:` registered in WorkloadKinds.cpp. The kind's
// decoder gives a WorkloadSpec; elaboration against a built Platform gives a WorkloadRun,
// which owns the driver sc_modules (traffic generators, the training-step driver), runs
// during sc_start() and afterwards reports the metrics of DESIGN.md's results JSON.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "Component.h"
#include "common/StatGroup.h"
#include "common/Trace.h"
#include "config/Node.h"

namespace chipletsim {

class Platform;

class WorkloadRun {
 public:
  virtual ~WorkloadRun() = default;
  /// Metrics with the stable names of DESIGN.md ("achieved_bytes_per_s", "latency_ns" group
  /// with mean/p50/p99, "step_time_s", ...). Units are given but JSON "metrics" drops them.
  virtual void reportMetrics(StatGroup& metrics) const = 0;
  /// The driver's own stats (generators, per-phase times), under stats.workload.
  virtual void reportStats(StatGroup& stats) const = 0;
  /// TLM transactions issued, for results' sim.transactions.
  virtual std::uint64_t transactions() const = 0;
  /// True when the workload completed (a run that stops early is an internal error).
  virtual bool finished() const = 0;
  /// Simulated time at which the workload completed, in seconds (results' sim.simulated_s;
  /// the kernel may have run a little past it).
  virtual double simulatedSeconds() const = 0;
  /// Records the workload's phases as slices into `trace` (before the simulation starts);
  /// workloads without phases record nothing.
  virtual void attachTrace(TraceRecorder& trace) { (void)trace; }
};

class WorkloadSpec {
 public:
  virtual ~WorkloadSpec() = default;
  /// "training" or "traffic": results JSON's workload.kind.
  virtual std::string resultKind() const = 0;
  /// Instantiates drivers and binds them to `platform`; a platform that lacks what the
  /// workload needs is a ConfigError.
  virtual std::unique_ptr<WorkloadRun> build(Platform& platform) const = 0;
  virtual void describe(Summary& out) const = 0;
};

struct WorkloadKind {
  std::string name;  // the `kind:` spelling
  std::string description;
  std::unique_ptr<WorkloadSpec> (*decode)(const config::Node& root);
};

const std::vector<WorkloadKind>& workloadKinds();
const WorkloadKind* findWorkloadKind(const std::string& name);

}  // namespace chipletsim
