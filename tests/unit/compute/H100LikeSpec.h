#pragma once
// An H100-SXM5-like compute chiplet for the unit tests, built in C++ (no YAML).
// Sources:
//  - 132 SMs, 4 tensor cores per SM, 1.83 GHz tensor clock, 228 KB shared memory and 256 KB
//    register file per SM, 50 MB L2, 989.4 dense BF16 TFLOPS, 66.9 FP32 TFLOPS:
//    glennklockwood.com/garden/processors/h100 (from the NVIDIA Hopper whitepaper) and
//    shared/reference/products.md section 4.1 (H100 SXM5 row: 989.4 TFLOPS, 3.35 TB/s).
//  - FLOP/cycle/SM [D]: bf16 989.4e12 / (132 x 1.83e9) = 4096; tf32 half, fp8 double;
//    fp32 on the CUDA cores 128 FMA/cycle = 256 FLOP/cycle.
//  - Special functions (exp): 3.9 TFLOPS on H100 SXM5 against 989 TFLOPS of FP16 matmul,
//    Shah et al. 2024, "FlashAttention-3" (arXiv 2407.08608) sec. 1 [P]; 3.9e12 / (132 x
//    1.83e9) = 16 per cycle per SM [D].
//  - Shared-memory port 128 B/cycle/SM (32 banks x 4 B) and L2 bandwidth ~9.0 TB/s, memory
//    latency ~400 cycles: microbenchmark table in Ultrasonics Sonochem. 99:106546 (2023),
//    table 3 (Hopper column) [M].
//  - DMA: 132 engines (one TMA unit per SM) x 32 outstanding x 256 B is a test assumption,
//    chosen so that Little's law does not cap the 3.35 TB/s HBM (1.08 MB in flight / 230 ns).

#include "compute/ComputeSpec.h"

namespace chipletsim::test {

inline ComputeSpec h100LikeSpec() {
  ComputeSpec s;
  s.clock = gigahertz(1.83);
  s.tensorEngines = 132;
  s.tensorFlopsPerCycle[dtypeIndex(Dtype::kFp32)] = 256.0;
  s.tensorFlopsPerCycle[dtypeIndex(Dtype::kTf32)] = 2048.0;
  s.tensorFlopsPerCycle[dtypeIndex(Dtype::kBf16)] = 4096.0;
  s.tensorFlopsPerCycle[dtypeIndex(Dtype::kFp16)] = 4096.0;
  s.tensorFlopsPerCycle[dtypeIndex(Dtype::kFp8)] = 8192.0;
  s.tensorFlopsPerCycle[dtypeIndex(Dtype::kFp4)] = 0.0;
  s.tensorTileEdge = 64;
  s.vectorEngines = 132;
  s.vectorFlopsPerCycle = 256.0;
  s.vectorSpecialPerCycle = 16.0;
  s.sramPerEngine = DataSize(228.0 * 1024);
  s.sramBandwidthPerEngine = Bandwidth(128.0 * 1.83e9);
  s.accumulatorPerEngine = DataSize(256.0 * 1024);
  s.sharedSram = DataSize(50.0 * 1024 * 1024);
  s.sharedSramBandwidth = gigabytesPerSecond(8986.0);
  s.dmaEngines = 132;
  s.dmaMaxOutstanding = 32;
  s.dmaTransactionSize = DataSize(256.0);
  return s;
}

/// HBM3 of an H100 SXM5: 3.35 TB/s (products.md 4.1), ~230 ns latency (400 cycles [M]).
inline MemoryPath h100LikeMemory() {
  return {gigabytesPerSecond(3350.0), nanoseconds(230.0)};
}

}  // namespace chipletsim::test
