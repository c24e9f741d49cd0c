#include "workload/TransformerSpec.h"

#include <string>

#include "common/Errors.h"

namespace chipletsim {

int TransformerSpec::layersOnStage(int stage) const {
  const int p = parallel.pp;
  return layers / p + (stage < layers % p ? 1 : 0);
}

std::optional<TransformerSpec::Problem> TransformerSpec::firstProblem() const {
  const ParallelismSpec& p = parallel;
  if (layers < 1 || hidden < 1 || heads < 1 || kvHeads < 1 || ffn < 1 || vocab < 1)
    return Problem{"model", "layers, hidden, heads, kv_heads, ffn and vocab must be at least 1"};
  if (hidden % heads != 0) return Problem{"model", "hidden must be a multiple of heads"};
  if (heads % kvHeads != 0) return Problem{"model", "heads must be a multiple of kv_heads"};
  if (seqLen < 1 || microBatch < 1 || globalBatch < 1)
    return Problem{"batch", "seq_len, micro_batch and global_batch must be at least 1"};
  if (p.tp < 1 || p.pp < 1 || p.vpp < 1 || p.dp < 1 || p.cp < 1)
    return Problem{"parallel", "every parallel degree must be at least 1"};
  if (static_cast<long long>(p.tp) * p.cp * p.pp * p.dp != p.packages)
    return Problem{"parallel",
                   "packages (" + std::to_string(p.packages) + ") must equal tp x cp x pp x dp (" +
                       std::to_string(static_cast<long long>(p.tp) * p.cp * p.pp * p.dp) + ")"};
  if (heads % p.tp != 0) return Problem{"parallel", "heads must be a multiple of tp"};
  if (kvHeads % p.tp != 0 && p.tp % kvHeads != 0)
    return Problem{"parallel",
                   "kv_heads and tp must divide one another (kv heads are split or replicated)"};
  if (ffn % p.tp != 0) return Problem{"parallel", "ffn must be a multiple of tp"};
  if (seqLen % p.cp != 0) return Problem{"parallel", "seq_len must be a multiple of cp"};
  if (p.sequenceParallel && (seqLen / p.cp) % p.tp != 0)
    return Problem{"parallel", "with sequence parallelism seq_len / cp must be a multiple of tp"};
  // Products of degrees in 64 bits (int ones overflowed on absurd degrees).
  const long long vStages = static_cast<long long>(p.pp) * p.vpp;
  if (globalBatch % (static_cast<long long>(microBatch) * p.dp) != 0)
    return Problem{"parallel", "global_batch must be a multiple of micro_batch x dp"};
  if (layers < vStages)
    return Problem{"parallel", "fewer layers than pipeline stages x virtual stages"};
  if (p.schedule == PipelineKind::kOneFOneB && p.vpp != 1)
    return Problem{"parallel", "virtual stages need the interleaved schedule"};
  if (p.schedule == PipelineKind::kInterleaved) {
    if (layers % vStages != 0)
      return Problem{"parallel", "interleaving needs layers % (pp x vpp) == 0"};
    if (microBatchesPerStep() % p.pp != 0)
      return Problem{"parallel",
                     "interleaving needs micro-batches per step to be a multiple of pp"};
  }
  return std::nullopt;
}

void TransformerSpec::validate() const {
  if (const auto p = firstProblem()) throw SpecError("transformer '" + name + "': " + p->message);
}

}  // namespace chipletsim
