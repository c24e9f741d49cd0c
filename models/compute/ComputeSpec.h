#pragma once
// The parameters of one compute chiplet: a clock, tensor engines with a peak rate per data
// type, vector engines, on-chip SRAM and DMA engines. Plain data, constructible in C++ without
// any config file; validate() checks the invariants the models rely on.

#include <array>

#include "common/Units.h"
#include "compute/Dtype.h"

namespace chipletsim {

/// Bandwidth and first-byte latency of the memory a chiplet streams operands from (HBM as
/// seen through the NoC and, in unified mode, the D2D links). The driver fills it from the
/// platform; the analytical models below use it as the roofline's memory side.
struct MemoryPath {
  Bandwidth bandwidth;  // bytes per second, reads and writes together
  Duration latency;     // request to first byte
};

struct ComputeSpec {
  Frequency clock;  // core clock of tensor and vector engines

  // Tensor (matrix) engines: a count and, per engine, dense FLOP per cycle for each Dtype
  // (index dtypeIndex(d)); 0 means the format is not supported. One FMA counts as 2 FLOP.
  int tensorEngines = 0;
  std::array<double, kDtypeCount> tensorFlopsPerCycle{};
  // Smallest output-tile edge (elements) at which an engine runs at its peak: the native
  // matrix-instruction shape. Smaller tiles are padded up to it.
  int tensorTileEdge = 64;
  // Fraction of the peak tensor rate the engines sustain at best (power-limited clocks,
  // instruction issue), measured as the maximum achievable matmul throughput over shapes
  // divided by the peak; tensor math runs at peak x this. 1: the peak is sustained.
  double tensorSustainedFraction = 1.0;

  // Vector engines for elementwise work, reductions and softmax: count and fp32 FLOP per
  // cycle per engine (an FMA counts as 2).
  int vectorEngines = 0;
  double vectorFlopsPerCycle = 0.0;
  // Transcendental operations (exp, sigmoid, tanh, rsqrt) per cycle per vector engine, on
  // the special-function units; 0 means they run at vectorFlopsPerCycle.
  double vectorSpecialPerCycle = 0.0;

  // Local SRAM (scratchpad / shared memory) of each tensor engine, holding operand tiles,
  // and the engine's port bandwidth into it.
  DataSize sramPerEngine;
  Bandwidth sramBandwidthPerEngine;
  // Accumulator storage per engine (register file); 0 means accumulators live in sramPerEngine.
  DataSize accumulatorPerEngine;
  // Shared on-chip SRAM (last-level cache) in front of memory, all engines together, and its
  // aggregate read bandwidth; 0 capacity means operands come straight from memory.
  DataSize sharedSram;
  Bandwidth sharedSramBandwidth;

  // DMA engines moving data between memory and SRAM, each with at most `dmaMaxOutstanding`
  // transactions of `dmaTransactionSize` in flight.
  int dmaEngines = 0;
  int dmaMaxOutstanding = 0;
  DataSize dmaTransactionSize;

  /// Peak dense tensor rate for `d`, all engines: engines x FLOP/cycle x clock.
  FlopRate peakTensorFlops(Dtype d) const;
  /// Seconds of tensor math per FLOP of `d` on one engine at the sustained rate.
  double tensorSecondsPerFlop(Dtype d) const;
  /// Peak vector rate, all engines, FLOP per second.
  FlopRate peakVectorFlops() const;
  /// Peak transcendental rate, all engines, operations per second.
  FlopRate peakSpecialOps() const;
  /// Bytes in flight the DMA engines can sustain: engines x outstanding x transaction size.
  DataSize dmaBytesInFlight() const;
  /// Little's law: the most bandwidth the DMA engines can draw from a memory whose
  /// request-to-data latency is `latency` (bytes in flight / latency).
  Bandwidth dmaBandwidthLimit(Duration latency) const;
  /// Bandwidth the chiplet actually gets from `path`: min(path bandwidth, DMA limit).
  Bandwidth effectiveBandwidth(const MemoryPath& path) const;
  /// Throws SpecError naming the first field that breaks an invariant.
  void validate() const;
};

}  // namespace chipletsim
