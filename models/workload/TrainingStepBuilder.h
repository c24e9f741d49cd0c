#pragma once
// Emits the op graph of one training step on one package (one rank of the pipeline stage
// `stage`): per micro-batch and model chunk, in the order of the pipeline schedule, the
// forward and backward passes of its layers (GEMMs after TP/SP sharding, attention, vector
// ops, recomputation, TP/CP collectives), pipeline send/recv, embedding and output head on
// the first and last virtual stage, the gradient reduction over the data-parallel group
// (per layer, depending only on that layer's last weight-gradient GEMM so that it overlaps
// the rest of the backward pass), ZeRO-3/FSDP weight gathers, and the optimizer update.
//
// A package in `partitioned` mode splits every layer tensor-parallel over its d dies: the
// builder then emits the ops of ONE die (all dies run the same ops), with shapes sharded by
// tp x d and a tensor group of tp x d ranks of which d share a package. With d = 1 (a
// monolithic or `unified` package) the ops are the package's.

#include <cstdint>
#include <vector>

#include "workload/PipelineSchedule.h"
#include "workload/TrainingOp.h"
#include "workload/TransformerSpec.h"

namespace chipletsim {

struct TrainingStep {
  int stage = 0;
  int dies = 1;                 // dies that each run `ops` (partitioned mode), else 1
  std::vector<TrainingOp> ops;  // topological: every dep id is smaller than the op's id
  PipelineSchedule schedule;    // the order the slots of `ops` follow
  std::int64_t tokensPerStep = 0;

  /// Sum of modelFlops (or hardwareFlops) over the ops of one die (x dies for the package).
  double modelFlops() const;
  double hardwareFlops() const;
  /// Sum of communication bytes (per-rank buffers) over ops of group `g`.
  double commBytes(ParallelGroup g) const;
};

class TrainingStepBuilder {
 public:
  /// `spec` is validated here; `diesPerPackage` >= 1 dies share each tensor-parallel rank's
  /// work (partitioned mode). SpecError when heads, kv heads or ffn do not split.
  explicit TrainingStepBuilder(const TransformerSpec& spec, int diesPerPackage = 1);

  /// The step of a package on pipeline stage `stage` (0 <= stage < pp).
  TrainingStep build(int stage) const;

  const TransformerSpec& spec() const { return m_spec; }
  /// GEMM operand type of the transformer layers (fp8 or bf16); the head stays bf16.
  Dtype layerDtype() const;

 private:
  TransformerSpec m_spec;
  int m_dies;
};

}  // namespace chipletsim
