#include "workload/TransformerMath.h"

#include <algorithm>
#include <cstdio>

#include "common/Errors.h"
#include "workload/PipelineSchedule.h"

namespace chipletsim {

namespace {

constexpr double kActivationBytes = 2.0;  // bf16 activations
constexpr double kStatBytes = 4.0;        // fp32 log-sum-exp per row
constexpr double kLogitBytes = 4.0;       // fp32 logits for the cross-entropy

/// Key/value heads one TP rank holds: split when there are enough, else replicated.
double kvHeadsPerRank(const TransformerSpec& s) {
  return std::max(1.0, static_cast<double>(s.kvHeads) / s.parallel.tp);
}

std::string gib(DataSize d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f GiB", d.si() / (1024.0 * 1024 * 1024));
  return buf;
}

}  // namespace

ParameterCount parameterCount(const TransformerSpec& s) {
  ParameterCount p;
  const double h = s.hidden;
  const double kv = static_cast<double>(s.kvHeads) * s.headDim();
  p.layers = s.layers;
  p.embedding = static_cast<double>(s.vocab) * h;
  p.position = s.position == PositionKind::kLearned ? static_cast<double>(s.seqLen) * h : 0.0;
  p.attentionPerLayer = h * h + 2.0 * h * kv + h * h;
  const double mlpMatrices = s.mlp == MlpKind::kGatedSilu ? 3.0 : 2.0;
  p.mlpPerLayer = mlpMatrices * h * s.ffn;
  if (s.linearBias) p.biasPerLayer = (h + 2.0 * kv) + h + (mlpMatrices - 1.0) * s.ffn + h;
  const double normParams = s.norm == NormKind::kLayerNorm ? 2.0 * h : h;
  p.normPerLayer = 2.0 * normParams;
  p.finalNorm = normParams;
  p.outputHead = s.tiedEmbeddings ? 0.0 : p.embedding;
  return p;
}

double modelFlopsPerToken(const TransformerSpec& s) {
  const double dAttn = static_cast<double>(s.heads) * s.headDim();
  return 6.0 * parameterCount(s).matmul() + 12.0 * s.layers * dAttn * s.seqLen;
}

double hardwareFlopsPerToken(const TransformerSpec& s) {
  const ParameterCount p = parameterCount(s);
  const double dAttn = static_cast<double>(s.heads) * s.headDim();
  const double attnCore = 4.0 * s.layers * dAttn * s.seqLen;  // forward QK^T and PV
  double extra = 0.0;
  if (s.recompute == Recompute::kFull)
    extra = 2.0 * s.layers * (p.attentionPerLayer + p.mlpPerLayer) + attnCore;
  else if (s.recompute == Recompute::kSelective && !s.flashAttention)
    extra = attnCore;
  if (s.flashAttention) extra += attnCore / 2.0;  // backward recomputes Q K^T
  return modelFlopsPerToken(s) + extra;
}

double activationBytesPerLayer(const TransformerSpec& s) {
  const ParallelismSpec& par = s.parallel;
  const double t = par.tp;
  const double tokens = static_cast<double>(s.microBatch) * s.seqLen / par.cp;
  const double h = s.hidden;
  const double d = s.headDim();
  const double sp = par.sequenceParallel ? t : 1.0;  // sharding of the non-TP regions
  if (s.recompute == Recompute::kFull) return kActivationBytes * tokens * h / sp;

  // Outside the TP regions: inputs of both norms and of the QKV and first MLP GEMMs.
  double bytes = 4.0 * kActivationBytes * tokens * h / sp;
  // Q, K, V for the attention core and its output O (input of the output projection).
  bytes += kActivationBytes * tokens * (h / t + 2.0 * kvHeadsPerRank(s) * d);
  bytes += kActivationBytes * tokens * h / t;
  // Attention core: the softmax output P unless recomputed or never materialised.
  const double headsPerRank = s.heads / t;
  if (s.flashAttention)
    bytes += kStatBytes * tokens * headsPerRank;
  else if (s.recompute != Recompute::kSelective)
    bytes += kActivationBytes * tokens * headsPerRank * s.seqLen;
  // MLP: gate and up outputs and the activation output, or fc1 output and GeLU output.
  const double mlpTensors = s.mlp == MlpKind::kGatedSilu ? 3.0 : 2.0;
  bytes += mlpTensors * kActivationBytes * tokens * s.ffn / t;
  return bytes;
}

BytesPerParameter bytesPerParameter(TrainingPrecision p) {
  if (p == TrainingPrecision::kFp8) return {1.0, 2.0, 10.0};
  return {2.0, 2.0, 12.0};
}

MemoryFootprint memoryFootprint(const TransformerSpec& s, int stage) {
  const ParallelismSpec& par = s.parallel;
  if (stage < 0 || stage >= par.pp) throw InternalError("memoryFootprint: stage out of range");
  const ParameterCount pc = parameterCount(s);
  const double t = par.tp;
  double params = s.layersOnStage(stage) * pc.perLayer() / t;
  if (stage == 0) params += (pc.embedding + pc.position) / t;
  if (stage == par.pp - 1) params += (pc.outputHead > 0 ? pc.outputHead / t : 0.0) + pc.finalNorm;
  if (stage == par.pp - 1 && par.pp > 1 && pc.outputHead == 0.0)
    params += pc.embedding / t;  // tied head keeps its own copy on the last stage

  const BytesPerParameter b = bytesPerParameter(s.precision);
  const double dp = par.dp;
  const bool shardOpt = par.sharding != DataSharding::kNone;
  const bool shardGrad = par.sharding == DataSharding::kZero2 ||
                         par.sharding == DataSharding::kZero3 ||
                         par.sharding == DataSharding::kFsdp;
  const bool shardWeights =
      par.sharding == DataSharding::kZero3 || par.sharding == DataSharding::kFsdp;

  MemoryFootprint f;
  f.stage = stage;
  double weights = params * b.weights / (shardWeights ? dp : 1.0);
  if (shardWeights && dp > 1)
    weights += 2.0 * pc.perLayer() / t * b.weights;  // gathered layer plus the prefetched one
  f.weights = DataSize(weights);
  f.gradients = DataSize(params * b.gradients / (shardGrad ? dp : 1.0));
  f.optimizerState = DataSize(params * b.optimizer / (shardOpt ? dp : 1.0));

  const PipelineSchedule schedule(par.schedule, par.pp, s.microBatchesPerStep(), par.vpp);
  f.inFlightChunks = schedule.peakInFlight(stage);
  const double layersPerChunk = static_cast<double>(s.layersOnStage(stage)) / par.vpp;
  double act = f.inFlightChunks * layersPerChunk * activationBytesPerLayer(s);
  if (stage == par.pp - 1) {
    const double tokens = static_cast<double>(s.microBatch) * s.seqLen / par.cp;
    act += kLogitBytes * tokens * s.vocab / t;
  }
  f.activations = DataSize(act);
  return f;
}

MemoryFootprint peakMemoryFootprint(const TransformerSpec& s) {
  MemoryFootprint best = memoryFootprint(s, 0);
  for (int stage = 1; stage < s.parallel.pp; ++stage) {
    MemoryFootprint f = memoryFootprint(s, stage);
    if (f.total() > best.total()) best = f;
  }
  return best;
}

void requireFits(const std::string& what, const MemoryFootprint& f, DataSize capacity) {
  if (f.total() <= capacity) return;
  throw SpecError(what + " needs " + gib(f.total()) +
                  " per package (pipeline stage " + std::to_string(f.stage) + ": weights " +
                  gib(f.weights) + ", gradients " + gib(f.gradients) + ", optimizer state " +
                  gib(f.optimizerState) + ", activations " + gib(f.activations) +
                  ") but the package has " + gib(capacity) + " of HBM");
}

}  // namespace chipletsim
