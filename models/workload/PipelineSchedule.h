#pragma once
// The order in which each pipeline stage runs the forward and backward passes of its
// micro-batches in one step, for 1F1B (PipeDream-flush) and the interleaved schedule with
// virtual stages (Narayanan et al. SC'21, sec. 2.2), and a timing of that order: given the
// time of one chunk's forward and backward, every stage starts each pass as soon as its
// input has arrived and the stage is free. The bubble fraction is measured from that
// timing, not assumed; analyticBubble() gives the paper's formula for comparison.

#include <vector>

#include "workload/TransformerSpec.h"

namespace chipletsim {

/// One pass of one micro-batch through one model chunk (virtual stage) of a stage.
struct PipelineSlot {
  bool forward = true;
  int microBatch = 0;
  int chunk = 0;  // 0..vpp-1; the chunk's virtual stage is chunk x pp + stage
};

struct PipelineTiming {
  double makespan = 0.0;        // seconds from the first forward to the last backward
  double bubbleFraction = 0.0;  // (makespan - busy) / makespan of the busiest stage
  std::vector<double> busy;     // seconds each stage computes
};

class PipelineSchedule {
 public:
  /// `stages` >= 1, `microBatches` >= 1, `virtualStages` >= 1 (1 unless interleaved; the
  /// interleaved schedule needs microBatches % stages == 0).
  PipelineSchedule(PipelineKind kind, int stages, int microBatches, int virtualStages);

  int stages() const { return m_stages; }
  int microBatches() const { return m_microBatches; }
  int virtualStages() const { return m_virtual; }
  /// Passes of stage `stage` in execution order: each micro-batch and chunk once forward and
  /// once backward.
  const std::vector<PipelineSlot>& order(int stage) const;
  /// Most chunks whose forward has run and whose backward has not, over the order of
  /// `stage`: the activations the stage must hold at its peak.
  int peakInFlight(int stage) const;
  /// Times the schedule. `forward` and `backward` are seconds per pass of one chunk of one
  /// micro-batch; `p2p` the seconds from a pass ending to its output arriving at the next
  /// stage. Throws InternalError if the order deadlocks.
  PipelineTiming simulate(double forward, double backward, double p2p = 0.0) const;
  /// Same with a forward and backward time per stage (index = stage), e.g. measured by
  /// simulating each stage's blocks; a slower stage sets the pace of the others.
  PipelineTiming simulate(const std::vector<double>& forward, const std::vector<double>& backward,
                          double p2p = 0.0) const;

  /// Narayanan et al.: bubble / total = ((p-1)/v) / (m + (p-1)/v); v = 1 for 1F1B.
  static double analyticBubble(int stages, int microBatches, int virtualStages);

 private:
  void build1F1B();
  void buildInterleaved();

  PipelineKind m_kind;
  int m_stages;
  int m_microBatches;
  int m_virtual;
  std::vector<std::vector<PipelineSlot>> m_order;
};

}  // namespace chipletsim
