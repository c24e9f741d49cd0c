#include "workload/TransformerSpec.h"

#include <string>

#include "common/Errors.h"

namespace chipletsim {

int TransformerSpec::layersOnStage(int stage) const {
  const int p = parallel.pp;
  return layers / p + (stage < layers % p ? 1 : 0);
}

void TransformerSpec::validate() const {
  auto fail = [this](const std::string& what) {
    throw SpecError("transformer '" + name + "': " + what);
  };
  const ParallelismSpec& p = parallel;
  if (layers < 1 || hidden < 1 || heads < 1 || kvHeads < 1 || ffn < 1 || vocab < 1)
    fail("layers, hidden, heads, kv_heads, ffn and vocab must be at least 1");
  if (hidden % heads != 0) fail("hidden must be a multiple of heads");
  if (heads % kvHeads != 0) fail("heads must be a multiple of kv_heads");
  if (seqLen < 1 || microBatch < 1 || globalBatch < 1)
    fail("seq_len, micro_batch and global_batch must be at least 1");
  if (p.tp < 1 || p.pp < 1 || p.vpp < 1 || p.dp < 1 || p.cp < 1)
    fail("every parallel degree must be at least 1");
  if (static_cast<long long>(p.tp) * p.cp * p.pp * p.dp != p.packages)
    fail("packages (" + std::to_string(p.packages) + ") must equal tp x cp x pp x dp (" +
         std::to_string(static_cast<long long>(p.tp) * p.cp * p.pp * p.dp) + ")");
  if (heads % p.tp != 0) fail("heads must be a multiple of tp");
  if (kvHeads % p.tp != 0 && p.tp % kvHeads != 0)
    fail("kv_heads and tp must divide one another (kv heads are split or replicated)");
  if (ffn % p.tp != 0) fail("ffn must be a multiple of tp");
  if (seqLen % p.cp != 0) fail("seq_len must be a multiple of cp");
  if (p.sequenceParallel && (seqLen / p.cp) % p.tp != 0)
    fail("with sequence parallelism seq_len / cp must be a multiple of tp");
  if (globalBatch % (microBatch * p.dp) != 0)
    fail("global_batch must be a multiple of micro_batch x dp");
  if (layers < p.pp * p.vpp) fail("fewer layers than pipeline stages x virtual stages");
  if (p.schedule == PipelineKind::kOneFOneB && p.vpp != 1)
    fail("virtual stages need the interleaved schedule");
  if (p.schedule == PipelineKind::kInterleaved) {
    if (layers % (p.pp * p.vpp) != 0) fail("interleaving needs layers % (pp x vpp) == 0");
    if (microBatchesPerStep() % p.pp != 0)
      fail("interleaving needs micro-batches per step to be a multiple of pp");
  }
}

}  // namespace chipletsim
