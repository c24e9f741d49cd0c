#pragma once
// Runs one training step of a transformer on one accelerator package in simulated time.
//
// The op graph of the package (TrainingStepBuilder) is executed on the package's compute
// chiplets: compute ops on each die's engines in program order (one stream), communication
// ops on one stream per parallel group (tensor, context, data, pipeline), each op starting
// when its dependencies are done. Compute ops move their bytes through the chiplets' DMA
// engines into the NoC, D2D links and HBM; collectives move theirs step by step (ring or
// tree, collectiveCost / hierarchicalCollective) through HBM, the D2D links (in-package part
// of a partitioned package) and the scale-up / scale-out network ports, so every kind of
// traffic contends with every other in simulated time.
//
// Identical passes are simulated once and reused: one steady-state forward pass, one
// backward pass, and the tail (the last backward pass with the data-parallel gradient
// reduction overlapping it, the optimizer and the parameter gather). The pipeline schedule
// is then timed with the simulated pass times (PipelineSchedule::simulate), which gives the
// bubble; the step is the schedule's makespan plus the tail beyond a plain backward pass.
// Counters of the platform (bytes, energy) are read before and after each simulated segment
// and scaled by how many times the segment occurs in the step.
//
// Tracing (setTrace): every die gets a track for its compute engines and one per
// communication stream it runs; each carries the step, its simulated segments, the layers
// and phases inside them and the ops (and collective steps) as nested slices, as fine as the
// recorder's detail asks. Slices show simulated time: each segment once, in the order run.
//
// Mapping: `unified` spreads every kernel over all dies (package-level tiling, memory
// interleaved over all stacks so remote stripes cross the D2D links); `partitioned` runs a
// tensor-parallel share of every layer on each die, on its local stacks, with the
// in-package part of the tensor collectives over the D2D links.

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include "common/Trace.h"
#include "compute/ComputeChiplet.h"
#include "workload/CollectiveCost.h"
#include "workload/NetworkPort.h"
#include "workload/OpCostModel.h"
#include "workload/TrainingStepBuilder.h"
#include "workload/TransformerSpec.h"

namespace chipletsim {

enum class MappingMode { kUnified, kPartitioned };

/// The memory one die reaches through its chiplet's `mem` socket.
struct DieMemory {
  std::vector<MemoryRegion> local;  // the die's own stacks
  std::vector<MemoryRegion> all;    // every stack of the package (unified interleaving)
  std::vector<MemoryRegion> peer;   // the next die's stacks, behind a D2D link (may be empty)
};

struct TrainingDriverConfig {
  TransformerSpec model;  // validated
  MappingMode mode = MappingMode::kUnified;
  CollectiveAlgorithm algorithm = CollectiveAlgorithm::kRing;
  bool hasScaleUp = false;  // the `scale_up` socket is bound
  bool hasScaleOut = false;
  NetworkSpec scaleUp;
  NetworkSpec scaleOut;
};

/// Where the time of a stretch of simulated time went, seconds; the parts sum to its length.
struct TimeBreakdown {
  double compute = 0.0;
  double hbmBound = 0.0;
  double d2dBound = 0.0;
  double exposedComm = 0.0;
  double pipelineBubble = 0.0;
  double idle = 0.0;
  double total() const {
    return compute + hbmBound + d2dBound + exposedComm + pipelineBubble + idle;
  }
  void addScaled(const TimeBreakdown& o, double k);
};

/// One simulated segment of the step.
struct SegmentResult {
  std::string name;  // "forward", "backward", "tail"
  double seconds = 0.0;
  double weight = 0.0;  // times it occurs in the step
  TimeBreakdown breakdown;
  std::vector<double> counters;  // platform counters accrued during the segment
};

struct StepResult {
  double stepSeconds = 0.0;
  TimeBreakdown breakdown;  // sums to stepSeconds
  double makespan = 0.0;    // schedule, first forward to last backward
  double bubbleFraction = 0.0;
  double p2pSeconds = 0.0;  // pipeline send time per pass, simulated
  double modelFlops = 0.0;  // executed on this package per step (MFU's numerator)
  double hardwareFlops = 0.0;
  std::vector<SegmentResult> segments;
  std::vector<double> counters;  // per step: sum of segment counters x weight
};

class TrainingDriver : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket_optional<TrainingDriver> scale_up;
  tlm_utils::simple_initiator_socket_optional<TrainingDriver> scale_out;

  /// Reads the platform's cumulative counters (bytes, joules); called between segments.
  using CounterProbe = std::function<std::vector<double>()>;

  SC_HAS_PROCESS(TrainingDriver);
  /// `dies` are the package's chiplets (die i uses memory[i]). SpecError when the model does
  /// not split over the dies.
  TrainingDriver(sc_core::sc_module_name name, const TrainingDriverConfig& config,
                 std::vector<ComputeChiplet*> dies, std::vector<DieMemory> memory,
                 CounterProbe probe);

  bool finished() const { return m_finished; }
  /// Valid once finished().
  const StepResult& result() const { return m_result; }
  /// Simulated time at which the last segment ended, seconds.
  double endSeconds() const { return m_endSeconds; }
  /// Network transfers issued (TLM transactions on scale_up / scale_out).
  std::uint64_t networkTransactions() const { return m_netTransactions; }
  /// The op graph the dies run.
  const TrainingStep& step() const { return m_step; }
  /// Pipeline stage that was simulated.
  int simulatedStage() const { return m_step.stage; }
  /// Records slices into `trace` from now on (nullptr: none); call before the simulation
  /// starts. The recorder must outlive the run.
  void setTrace(TraceRecorder* trace) { m_trace = trace; }

 private:
  struct OpState {
    bool done = false;
    double start = 0.0, end = 0.0;
    sc_core::sc_event event;
  };
  struct DieRun {
    std::vector<OpState> ops;  // indexed like m_step.ops
    double computeEnd = 0.0;
    double commEnd = 0.0;  // last non-pipeline communication op
    TimeBreakdown bd;
  };

  void run();
  SegmentResult runSegment(const std::string& name, const std::vector<int>& ops, bool withComm);
  void computeStream(int die, const std::vector<int>& ops, const std::vector<char>& inSegment);
  void commStream(int die, const std::vector<int>& ops, const std::vector<char>& inSegment);
  void waitDeps(int die, const TrainingOp& op, const std::vector<char>& inSegment, double& exposed,
                double& idle);
  void runCollective(int die, const TrainingOp& op);
  /// Unified mode: waits until every die has finished op `id`; returns the seconds waited.
  double barrier(int id);
  void networkStep(int die, double bytes, bool send, bool receive, int level, int hops);
  void d2dStep(int die, double bytes);
  void netTransfer(int level, bool write, double bytes);
  void parallel(std::vector<std::function<void()>> jobs);
  /// Network level (0 scale-up, 1 scale-out) for a group spanning `span` packages.
  int levelFor(int span) const;
  const std::vector<MemoryRegion>& regions(int die) const;
  std::vector<double> perStagePassTimes(bool forward, double simulated, int slot) const;
  // Tracing; no-ops without a recorder. `stream` is -1 for the compute engines, else a
  // ParallelGroup.
  int traceTrack(int die, int stream);
  void traceOp(int die, int stream, const TrainingOp& op, double start, double end,
               const TraceArgs& args);
  void traceSegment(const std::string& name, double start, double end);
  void traceStep(double start, double end);

  struct TraceSpan {
    int op;
    double start, end;
  };

  TrainingDriverConfig m_config;
  std::vector<ComputeChiplet*> m_dies;
  std::vector<DieMemory> m_memory;
  CounterProbe m_probe;
  TrainingStep m_step;
  std::vector<OpCost> m_costs;  // per op, compute ops only; times with an unlimited memory
  int m_costDies = 1;           // unified: each die moves 1/m_costDies of an op's bytes
  std::vector<DieRun> m_run;
  std::vector<int> m_arrived;                // dies done with each op (unified barrier)
  std::vector<sc_core::sc_event> m_barrier;  // notified when the last die arrives
  StepResult m_result;
  bool m_finished = false;
  double m_endSeconds = 0.0;
  std::uint64_t m_netTransactions = 0;
  std::vector<unsigned char> m_scratch;
  TraceRecorder* m_trace = nullptr;
  std::map<std::pair<int, int>, std::vector<TraceSpan>> m_spans;  // (die, stream): this segment
  std::set<std::pair<int, int>> m_traced;                         // every (die, stream) seen
  double m_stepStart = -1.0;  // simulated time the first segment started, seconds
};

}  // namespace chipletsim
