#include <gtest/gtest.h>

#include "H100LikeSpec.h"
#include "compute/AttentionModel.h"
#include "compute/VectorOpModel.h"

using namespace chipletsim;

namespace {

AttentionShape llamaLike(std::int64_t seq, bool causal) {
  AttentionShape a;
  a.batch = 1;
  a.heads = 32;
  a.kvHeads = 8;
  a.seqQ = seq;
  a.seqKv = seq;
  a.headDim = 128;
  a.causal = causal;
  return a;
}

}  // namespace

TEST(AttentionModel, UnfusedMaterialisesScoresFusedDoesNot) {
  const AttentionModel model(test::h100LikeSpec(), test::h100LikeMemory());
  const AttentionShape a = llamaLike(4096, true);
  const double scores = static_cast<double>(a.batch) * a.heads * a.seqQ * a.seqKv * 2.0;
  const AttentionEstimate unfused = model.forward(a, false);
  const AttentionEstimate fused = model.forward(a, true);
  // Unfused writes S and P and reads them back: at least 4 score matrices of traffic.
  EXPECT_GE(unfused.bytesRead + unfused.bytesWritten, 4.0 * scores);
  // Fused traffic is O(s d), far below one score matrix.
  EXPECT_LT(fused.bytesRead + fused.bytesWritten, 0.25 * scores);
  EXPECT_LT(fused.time, unfused.time);
}

TEST(AttentionModel, CausalFusedKernelSkipsBlocksAboveDiagonal) {
  const AttentionModel model(test::h100LikeSpec(), test::h100LikeMemory());
  const auto [br, bc] = model.fusedBlocks(128, Dtype::kBf16);
  ASSERT_EQ(br % bc, 0);
  const std::int64_t seq = 8192;
  const double nq = static_cast<double>(seq / br);
  const double ratio = model.forward(llamaLike(seq, true), true).tensorFlops /
                       model.forward(llamaLike(seq, false), true).tensorFlops;
  // Query block i visits (i+1) Br/Bc key blocks of Br/Bc nq: ratio (nq + 1) / (2 nq).
  EXPECT_NEAR(ratio, (nq + 1) / (2 * nq), 1e-9);
}

TEST(AttentionModel, FusedBackwardRecomputesScoresFiveMatmulsPerBlock) {
  const AttentionModel model(test::h100LikeSpec(), test::h100LikeMemory());
  const AttentionShape a = llamaLike(2048, false);
  EXPECT_DOUBLE_EQ(model.backward(a, true).tensorFlops / model.forward(a, true).tensorFlops, 2.5);
  // Non-causal fused forward executes exactly the dense count (blocks divide the sequence).
  EXPECT_DOUBLE_EQ(model.forward(a, true).tensorFlops, a.denseForwardFlops());
}

TEST(AttentionModel, FusedLongSequenceIsComputeBound) {
  const AttentionModel model(test::h100LikeSpec(), test::h100LikeMemory());
  const AttentionEstimate e = model.forward(llamaLike(8192, true), true);
  EXPECT_FALSE(e.memoryBound);
  const double peak = test::h100LikeSpec().peakTensorFlops(Dtype::kBf16).si();
  EXPECT_LE(e.tensorFlops / e.time.si(), peak);
}

TEST(VectorOpModel, NormIsMemoryBoundAndMovesEachElementTwice) {
  const VectorOpModel model(test::h100LikeSpec(), test::h100LikeMemory());
  const double rows = 8192;
  const double cols = 8192;
  const VectorOpCost c = VectorOpCost::norm(rows, cols, true, Dtype::kBf16);
  EXPECT_DOUBLE_EQ(c.bytesWritten, rows * cols * 2.0);
  EXPECT_DOUBLE_EQ(c.bytesRead, rows * cols * 2.0 + cols * 2.0);
  const VectorOpEstimate e = model.estimate(c);
  EXPECT_TRUE(e.memoryBound);
  EXPECT_NEAR(e.time.si(), c.bytes() / 3350e9 + 230e-9, 1e-12);
}

TEST(VectorOpModel, AdamMovesStateOfSixteenBytesPerParameterEachWay) {
  // Mixed-precision Adam: bf16 grad, fp32 master, m, v read; fp32 master, m, v and bf16
  // weight written (formulas.md: 16 bytes/param of state).
  const VectorOpCost c = VectorOpCost::adam(1e9, Dtype::kBf16, Dtype::kFp32, Dtype::kBf16);
  EXPECT_DOUBLE_EQ(c.bytesRead, 14e9);
  EXPECT_DOUBLE_EQ(c.bytesWritten, 14e9);
}

TEST(AttentionModel, FusedKernelIsSlowedBySpecialFunctionThroughput) {
  ComputeSpec spec = test::h100LikeSpec();
  const AttentionShape a = llamaLike(8192, true);
  const AttentionEstimate base = AttentionModel(spec, test::h100LikeMemory()).forward(a, true);
  // The exp of every score runs on the special-function units between the two matmuls, so
  // per Br x Bc block the engine spends tensor + exp + vector cycles; efficiency is at most
  // tensor / (tensor + exp + vector), less the waves' quantisation and the fill (10%).
  const auto [br, bc] = AttentionModel(spec, test::h100LikeMemory()).fusedBlocks(128, Dtype::kBf16);
  const double tensorCycles = 2.0 * 2.0 * br * bc * 128 / 4096.0;
  const double expCycles = static_cast<double>(br) * bc / 16.0;
  const double vectorCycles = 5.0 * br * bc / 256.0;
  const double bound = tensorCycles / (tensorCycles + expCycles + vectorCycles);
  const double peak = spec.peakTensorFlops(Dtype::kBf16).si();
  EXPECT_LE(base.tensorFlops / base.time.si() / peak, bound);
  EXPECT_GE(base.tensorFlops / base.time.si() / peak, 0.9 * bound);
  spec.vectorSpecialPerCycle *= 4.0;
  EXPECT_LT(AttentionModel(spec, test::h100LikeMemory()).forward(a, true).time, base.time);
}

TEST(AttentionModel, FusedTensorWorkRunsAtTheSustainedFractionOfPeak) {
  // Vector and special-function units made fast enough not to matter and memory free: the
  // fused kernel is its matmuls alone, so at a sustained fraction f its time scales by 1/f.
  // Tolerance 1e-9 (rounding).
  ComputeSpec spec = test::h100LikeSpec();
  spec.vectorFlopsPerCycle *= 1e9;
  spec.vectorSpecialPerCycle *= 1e9;
  ComputeSpec derated = spec;
  derated.tensorSustainedFraction = 0.5;
  const MemoryPath free{gigabytesPerSecond(1e9), nanoseconds(0.0)};
  const AttentionShape a = llamaLike(8192, true);
  for (bool backward : {false, true}) {
    const AttentionModel full(spec, free);
    const AttentionModel slow(derated, free);
    const double ratio = backward ? slow.backward(a, true).time / full.backward(a, true).time
                                  : slow.forward(a, true).time / full.forward(a, true).time;
    EXPECT_NEAR(ratio, 2.0, 1e-6) << (backward ? "backward" : "forward");
  }
}
