#pragma once
// One simulation: elaborate the platform, attach the workload, run the SystemC kernel until
// the workload finishes, and gather everything a report needs. One per process: the SystemC
// kernel cannot be restarted.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "Loading.h"
#include "common/Trace.h"

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

/// A timeline trace of the run (`chipletsim run --trace`).
struct TraceRequest {
  /// Chrome trace-event JSON (chrome://tracing, Perfetto); empty: no trace. Processes are the
  /// platform's instances in declaration order. Counters (fraction of capacity over each
  /// sample interval, at the interval's start): every HBM pseudo-channel ("chC.pcP", of the
  /// stack's peak / pseudo-channels), both directions of every D2D link ("a_to_b", "b_to_a",
  /// of the effective bandwidth), every NoC ("endpoints", of link bandwidth x endpoints),
  /// both directions of every network port ("send", "receive"), and every compute chiplet's
  /// engines ("engines", busy) and DMA engines ("dmaN", transaction in flight). Slices: the
  /// workload's phases (training: see TrainingDriver), as fine as `options.detail`.
  std::string file;
  TraceOptions options;
  /// VCD of the same utilisation counters through sc_trace (a waveform viewer such as
  /// GTKWave); empty: none. A value changes when the interval ending there is sampled.
  std::string vcdFile;
};

/// Runs `workload` on `platform`. ConfigError for inputs that cannot run together (or a
/// trace file that cannot be written), InternalError when the kernel stops before the
/// workload completes. A trace does not change the results.
SimulationResult simulate(const PlatformSpec& platform, const LoadedWorkload& workload,
                          const TraceRequest& trace = {});

/// The summaries of every instance (no elaboration): for `validate` and results.
std::vector<InstanceSummary> summarise(const PlatformSpec& platform);

}  // namespace chipletsim
