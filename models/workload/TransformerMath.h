#pragma once
// Closed-form quantities of a TransformerSpec: parameter counts, model and hardware FLOPs per
// token, and the memory footprint of one package. The formulas follow
// shared/reference/formulas.md section 5.7 (Kaplan 2020, PaLM appendix B, Korthikanti 2022,
// ZeRO); the op graph of TrainingStepBuilder is checked against them in the tests.

#include <string>

#include "common/Units.h"
#include "workload/TransformerSpec.h"

namespace chipletsim {

/// Parameters of the model (counts, not bytes).
struct ParameterCount {
  double embedding = 0.0;          // vocab x hidden input table
  double position = 0.0;           // learned position table (0 with RoPE)
  double attentionPerLayer = 0.0;  // Wq, Wk, Wv, Wo weights
  double mlpPerLayer = 0.0;        // 2 or 3 ffn x hidden matrices
  double biasPerLayer = 0.0;       // linear-layer biases (GPT-3)
  double normPerLayer = 0.0;       // two norms' gains (and biases)
  double finalNorm = 0.0;
  double outputHead = 0.0;  // hidden x vocab, 0 when tied to the embedding
  int layers = 0;

  double perLayer() const { return attentionPerLayer + mlpPerLayer + biasPerLayer + normPerLayer; }
  double total() const {
    return embedding + position + layers * perLayer() + finalNorm + outputHead;
  }
  /// Weights that multiply a token's activations in a matmul (PaLM's N): the layers' weight
  /// matrices and the output projection (the tied embedding when tied). Lookup tables,
  /// biases and norms are not matmuls.
  double matmul() const {
    return layers * (attentionPerLayer + mlpPerLayer) + (outputHead > 0 ? outputHead : embedding);
  }
};

ParameterCount parameterCount(const TransformerSpec& s);

/// Model FLOP per trained token, PaLM's convention: 6 N_matmul + 12 L H Q T (attention
/// counted without the causal mask, no recomputation).
double modelFlopsPerToken(const TransformerSpec& s);

/// Hardware FLOP per token: model FLOP plus recomputation. Full recomputation runs every
/// layer's forward again (Megatron's 96 B s l h^2 form); selective reruns the attention core
/// forward (4 T d_attn per layer); a fused attention kernel's backward recomputes Q K^T
/// (2 T d_attn per layer) whatever the policy.
double hardwareFlopsPerToken(const TransformerSpec& s);

/// Activation bytes one layer keeps for its backward pass for one micro-batch on one rank,
/// after TP / SP / CP sharding (bf16 activations, no dropout). Without parallelism and with a
/// plain 4h MLP and unfused attention this is s b h (32 + 2 a s / h): Korthikanti et al.'s
/// s b h (34 + 5 a s / h) less the dropout masks and outputs.
double activationBytesPerLayer(const TransformerSpec& s);

/// Bytes of memory one package holds, at the pipeline stage that needs the most.
struct MemoryFootprint {
  DataSize weights;
  DataSize gradients;
  DataSize optimizerState;
  DataSize activations;
  int stage = 0;           // the pipeline stage it was computed for
  int inFlightChunks = 0;  // micro-batch chunks whose activations that stage holds at its peak

  DataSize total() const { return weights + gradients + optimizerState + activations; }
};

/// Footprint of the package at pipeline stage `stage`.
MemoryFootprint memoryFootprint(const TransformerSpec& s, int stage);
/// The largest footprint over all stages.
MemoryFootprint peakMemoryFootprint(const TransformerSpec& s);

/// Bytes per parameter of the working weights, gradients and optimizer state (Adam) for the
/// precision: bf16 2 + 2 + 12 (fp32 master, m, v); fp8 1 (fp8 copy) + 2 + 10 (bf16 master,
/// fp32 m and v).
struct BytesPerParameter {
  double weights;
  double gradients;
  double optimizer;
};
BytesPerParameter bytesPerParameter(TrainingPrecision p);

/// Throws SpecError "<what> needs ..." when `footprint` exceeds `capacity`, naming both and the
/// breakdown (the config layer rethrows it at the workload's `parallel` key).
void requireFits(const std::string& what, const MemoryFootprint& footprint, DataSize capacity);

}  // namespace chipletsim
