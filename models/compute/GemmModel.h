#pragma once
// Time of a (batched) GEMM C[m,n] = A[m,k] x B[k,n] on one compute chiplet, from tiling:
// output tiles sized so that double-buffered operand slices fit the engine's SRAM, tiles
// dealt to the tensor engines in waves (wave quantisation), operand panels shared through
// the shared SRAM by the tiles of one wave (reuse sets the bytes read from memory), and per
// wave time = max(math, memory, SRAM) with the pipeline fill before the first wave and the
// drain after the last. Efficiency is the result, never an input.

#include <cstdint>
#include <vector>

#include "common/Units.h"
#include "compute/ComputeSpec.h"
#include "compute/Dtype.h"

namespace chipletsim {

struct GemmShape {
  std::int64_t m = 0;
  std::int64_t n = 0;
  std::int64_t k = 0;
  std::int64_t batch = 1;         // independent GEMMs of the same shape
  Dtype dtype = Dtype::kBf16;     // operands A and B
  Dtype outDtype = Dtype::kBf16;  // C (accumulation is fp32 on chip)

  /// Useful FLOP: 2 m n k per GEMM.
  double flops() const { return 2.0 * batch * m * n * k; }
  /// Compulsory memory traffic in bytes: A and B read once, C written once.
  double minBytes() const;
};

/// Output tile of one engine (m x n) and the depth of one operand slice along k.
struct GemmTile {
  int m = 0;
  int n = 0;
  int k = 0;
};

struct GemmEstimate {
  GemmTile tile;
  std::int64_t tiles = 0;      // output tiles, all batches
  std::int64_t waves = 0;      // ceil(tiles / engines)
  double flops = 0.0;          // useful FLOP (shape.flops())
  double executedFlops = 0.0;  // including the padding of partial tiles
  double bytesRead = 0.0;      // from memory, after SRAM reuse
  double bytesWritten = 0.0;   // to memory
  Duration mathTime;           // sum over waves of the per-tile engine time
  Duration memoryTime;         // sum over waves of memory transfer time
  Duration fillTime;           // pipeline fill before the first wave's math plus final drain
  Duration time;               // total
  double efficiency = 0.0;     // flops / (time x peak), in [0, 1]
  bool memoryBound = false;    // memory time exceeds math time
};

class GemmModel {
 public:
  /// `spec` must be valid; `path` is the memory the operands stream from.
  GemmModel(const ComputeSpec& spec, MemoryPath path);

  /// Best estimate over all tiles that fit (ties go to the first candidate: deterministic).
  GemmEstimate estimate(const GemmShape& shape) const;
  /// Estimate with a given tile; SpecError if it does not fit SRAM or the dtype is
  /// unsupported.
  GemmEstimate estimateWithTile(const GemmShape& shape, GemmTile tile) const;
  /// Tiles that fit for `dtype`, in the order estimate() tries them.
  std::vector<GemmTile> candidateTiles(Dtype dtype) const;
  /// True when double-buffered operand slices and accumulators of `tile` fit one engine.
  bool fits(GemmTile tile, Dtype dtype) const;

  const ComputeSpec& spec() const { return m_spec; }
  Bandwidth bandwidth() const { return m_bandwidth; }

 private:
  ComputeSpec m_spec;
  MemoryPath m_path;
  Bandwidth m_bandwidth;  // effective: min(path, DMA Little's-law limit)
};

}  // namespace chipletsim
