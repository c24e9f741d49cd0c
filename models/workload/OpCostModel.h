#pragma once
// Time and memory traffic of the compute ops of a training step on one compute die, from the
// compute models (GEMM tiling, attention, vector ops) and the memory path the die sees.
// Communication ops are not costed here: the driver moves their bytes over the fabric.
// GEMM estimates are cached by shape (an ordered map: deterministic).

#include <map>
#include <tuple>

#include "common/Units.h"
#include "compute/AttentionModel.h"
#include "compute/ComputeSpec.h"
#include "compute/GemmModel.h"
#include "compute/VectorOpModel.h"
#include "workload/TrainingOp.h"
#include "workload/TrainingStepBuilder.h"

namespace chipletsim {

struct OpCost {
  Duration time;              // on one die, no contention beyond `path`
  double bytesRead = 0.0;     // from memory
  double bytesWritten = 0.0;  // to memory
  double tensorFlops = 0.0;   // executed on tensor engines
  double vectorFlops = 0.0;   // executed on vector engines
  bool memoryBound = false;
};

class OpCostModel {
 public:
  OpCostModel(const ComputeSpec& spec, MemoryPath path);

  /// Cost of a GEMM, attention or vector op; InternalError for a communication op.
  OpCost cost(const TrainingOp& op) const;
  /// Sum of the compute ops' times of `step`: the die's busy time if every communication
  /// were hidden, a lower bound on the step time of one die.
  Duration computeTime(const TrainingStep& step) const;

  const ComputeSpec& spec() const { return m_spec; }

 private:
  using GemmKey = std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t, int, int>;

  ComputeSpec m_spec;
  GemmModel m_gemm;
  AttentionModel m_attention;
  VectorOpModel m_vector;
  mutable std::map<GemmKey, GemmEstimate> m_gemmCache;
};

}  // namespace chipletsim
