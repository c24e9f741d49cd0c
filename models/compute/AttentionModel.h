#pragma once
// Time, FLOPs and bytes of the attention core softmax(Q K^T / sqrt(d)) V on one chiplet, in two
// implementations:
//  - unfused: two batched GEMMs with the score matrix S and probabilities P written to and
//    read back from memory (b h sq skv elements each way), timed by GemmModel and
//    VectorOpModel;
//  - fused (flash-style): query blocks of Br rows stay in the engine's SRAM while key/value
//    blocks of Bc rows stream past; S and P never leave the chip, causal blocks above the
//    diagonal are skipped, and the backward pass recomputes P. Block sizes are chosen to fit
//    the SRAM; work units (one query block of one head) are dealt to the engines in waves.

#include <cstdint>

#include "common/Units.h"
#include "compute/ComputeSpec.h"
#include "compute/Dtype.h"
#include "compute/GemmModel.h"
#include "compute/VectorOpModel.h"

namespace chipletsim {

struct AttentionShape {
  std::int64_t batch = 1;
  std::int64_t heads = 1;    // query heads
  std::int64_t kvHeads = 1;  // key/value heads (GQA: heads is a multiple of kvHeads)
  std::int64_t seqQ = 1;     // query positions
  std::int64_t seqKv = 1;  // key/value positions (>= seqQ; the last seqQ of them are the queries')
  std::int64_t headDim = 1;
  bool causal = true;
  Dtype dtype = Dtype::kBf16;

  /// Forward matmul FLOP counted without the causal mask (PaLM's convention):
  /// QK^T and PV, 2 b h sq skv d each.
  double denseForwardFlops() const { return 4.0 * batch * heads * seqQ * seqKv * headDim; }
};

struct AttentionEstimate {
  double tensorFlops = 0.0;   // executed on the tensor engines
  double vectorFlops = 0.0;   // executed on the vector engines
  double bytesRead = 0.0;     // from memory
  double bytesWritten = 0.0;  // to memory
  Duration mathTime;
  Duration memoryTime;
  Duration time;
  bool memoryBound = false;
};

class AttentionModel {
 public:
  AttentionModel(const ComputeSpec& spec, MemoryPath path);

  /// Forward pass; `fused` picks the flash-style kernel.
  AttentionEstimate forward(const AttentionShape& s, bool fused) const;
  /// Backward pass (dQ, dK, dV from dO); the fused kernel recomputes P from the saved
  /// log-sum-exp, the unfused one reads the saved P.
  AttentionEstimate backward(const AttentionShape& s, bool fused) const;

  /// Query and key block rows (Br, Bc) of the fused kernel for head size `headDim`.
  std::pair<int, int> fusedBlocks(std::int64_t headDim, Dtype dtype) const;

 private:
  AttentionEstimate fused(const AttentionShape& s, bool backward) const;
  AttentionEstimate unfused(const AttentionShape& s, bool backward) const;

  ComputeSpec m_spec;
  MemoryPath m_path;
  Bandwidth m_bandwidth;
  GemmModel m_gemm;
  VectorOpModel m_vector;
};

}  // namespace chipletsim
