#pragma once
// A decoder-only transformer training job: architecture, batch, precision, recomputation,
// attention kernel and how it is parallelised over packages. Plain data, constructible in
// C++ without YAML; validate() checks every invariant the builder and the formulas rely on.
// A package is one device (one rank) to the training framework.

#include <cstdint>
#include <optional>
#include <string>

namespace chipletsim {

enum class MlpKind { kGatedSilu, kPlain };  // SwiGLU (3 matrices) or GeLU MLP (2)
enum class NormKind { kRmsNorm, kLayerNorm };
enum class PositionKind { kRotary, kLearned };        // RoPE (no parameters) or a table
enum class TrainingPrecision { kBf16, kFp8 };         // fp8 GEMMs keep bf16 master weights
enum class Recompute { kNone, kSelective, kFull };    // Korthikanti et al. 2022
enum class PipelineKind { kOneFOneB, kInterleaved };  // Narayanan et al. SC'21
enum class DataSharding { kNone, kZero1, kZero2, kZero3, kFsdp };

struct ParallelismSpec {
  int tp = 1;                     // tensor parallel ranks (packages)
  int pp = 1;                     // pipeline stages
  int vpp = 1;                    // virtual stages (model chunks) per rank, interleaved only
  int dp = 1;                     // data-parallel replicas
  int cp = 1;                     // context-parallel ranks (sequence split for attention)
  bool sequenceParallel = false;  // shard norm/dropout activations over tp (Megatron SP)
  PipelineKind schedule = PipelineKind::kOneFOneB;
  DataSharding sharding = DataSharding::kNone;
  int packages = 1;  // total packages; must equal tp x cp x pp x dp
};

struct TransformerSpec {
  std::string name;
  // Architecture.
  int layers = 0;
  int hidden = 0;   // model width d_model
  int heads = 0;    // query heads
  int kvHeads = 0;  // key/value heads (= heads for MHA, fewer for GQA)
  int ffn = 0;      // MLP inner width (per matrix)
  MlpKind mlp = MlpKind::kGatedSilu;
  NormKind norm = NormKind::kRmsNorm;
  PositionKind position = PositionKind::kRotary;
  bool tiedEmbeddings = false;  // output head shares the input embedding
  bool linearBias = false;      // biases on the linear layers (GPT-3)
  int vocab = 0;
  // Batch.
  int seqLen = 0;       // tokens per sequence
  int microBatch = 0;   // sequences per micro-batch per DP replica
  int globalBatch = 0;  // sequences per step, all replicas
  // Numerics and kernels.
  TrainingPrecision precision = TrainingPrecision::kBf16;
  Recompute recompute = Recompute::kNone;
  bool flashAttention = true;
  ParallelismSpec parallel;

  int headDim() const { return hidden / heads; }
  /// Micro-batches each pipeline runs per step: global / (micro x dp).
  int microBatchesPerStep() const { return globalBatch / (microBatch * parallel.dp); }
  /// Tokens the whole system trains on per step.
  std::int64_t tokensPerStep() const { return static_cast<std::int64_t>(globalBatch) * seqLen; }
  /// Layers held by pipeline stage `stage` (0-based); uneven splits give the first stages one
  /// more. With interleaving each stage holds vpp chunks of layers / (pp vpp) layers.
  int layersOnStage(int stage) const;
  /// The first violated invariant: the config section it belongs to ("model", "batch" or
  /// "parallel", where a config reader points the error) and what is wrong.
  struct Problem {
    std::string section;
    std::string message;
  };
  std::optional<Problem> firstProblem() const;
  /// Throws SpecError naming the first violated invariant.
  void validate() const;
};

}  // namespace chipletsim
