#include <gtest/gtest.h>

#include "H100LikeSpec.h"
#include "common/Errors.h"
#include "compute/GemmModel.h"

using namespace chipletsim;

namespace {

GemmShape gemm(std::int64_t m, std::int64_t n, std::int64_t k) {
  GemmShape g;
  g.m = m;
  g.n = n;
  g.k = k;
  return g;
}

}  // namespace

TEST(ComputeSpec, PeakIsEnginesTimesFlopPerCycleTimesClock) {
  const ComputeSpec s = test::h100LikeSpec();
  // products.md 4.1: H100 SXM5 989.4 dense BF16 TFLOPS; tolerance 0.1% (clock rounding).
  EXPECT_NEAR(s.peakTensorFlops(Dtype::kBf16).si(), 989.4e12, 989.4e12 * 1e-3);
  EXPECT_DOUBLE_EQ(s.peakTensorFlops(Dtype::kFp8).si(), 2.0 * s.peakTensorFlops(Dtype::kBf16).si());
}

TEST(ComputeSpec, DmaBandwidthFollowsLittlesLaw) {
  ComputeSpec s = test::h100LikeSpec();
  const Duration lat = nanoseconds(1000.0);
  const double full = s.dmaBandwidthLimit(lat).si();
  EXPECT_DOUBLE_EQ(full, 132.0 * 32 * 256 / 1e-6);
  s.dmaMaxOutstanding = 16;
  EXPECT_DOUBLE_EQ(s.dmaBandwidthLimit(lat).si(), full / 2.0);
  // A path slower than the DMA limit keeps its own bandwidth.
  const MemoryPath slow{gigabytesPerSecond(100.0), lat};
  EXPECT_DOUBLE_EQ(s.effectiveBandwidth(slow).si(), 100e9);
}

TEST(ComputeSpec, InvalidSpecIsRejected) {
  ComputeSpec s = test::h100LikeSpec();
  s.tensorEngines = 0;
  EXPECT_THROW(s.validate(), SpecError);
}

TEST(ComputeSpec, SustainedFractionLiesInZeroToOne) {
  ComputeSpec s = test::h100LikeSpec();
  for (double f : {0.0, -0.5, 1.01}) {
    s.tensorSustainedFraction = f;
    EXPECT_THROW(s.validate(), SpecError) << f;
  }
  s.tensorSustainedFraction = 1.0;
  EXPECT_NO_THROW(s.validate());
}

TEST(GemmModel, LargeSquareBf16GemmIsComputeBoundAtLeast70PercentOfPeak) {
  const GemmModel model(test::h100LikeSpec(), test::h100LikeMemory());
  for (std::int64_t n : {4096, 8192, 16384}) {
    const GemmEstimate e = model.estimate(gemm(n, n, n));
    EXPECT_FALSE(e.memoryBound) << n;
    EXPECT_GE(e.efficiency, 0.70) << n;  // issue 6: >= 70% of peak
    EXPECT_LE(e.efficiency, 1.0) << n;
  }
}

TEST(GemmModel, SkinnyGemmIsMemoryBoundAtLeast85PercentOfHbmBandwidth) {
  const GemmModel model(test::h100LikeSpec(), test::h100LikeMemory());
  for (std::int64_t m : {1, 8, 16, 32}) {
    const GemmShape g = gemm(m, 16384, 8192);
    const GemmEstimate e = model.estimate(g);
    EXPECT_TRUE(e.memoryBound) << m;
    const double achieved = g.minBytes() / e.time.si();
    EXPECT_GE(achieved, 0.85 * 3350e9) << m;  // issue 6: >= 85% of HBM bandwidth
    EXPECT_LE(achieved, 3350e9) << m;
  }
}

TEST(GemmModel, WaveQuantisationStepWhenTilesJustExceedMultipleOfEngines) {
  const GemmModel model(test::h100LikeSpec(), test::h100LikeMemory());
  // 256 x 256 tiles keep the shared-SRAM (L2) traffic below its bandwidth, so the GEMM is
  // bound by the engines alone.
  const GemmTile tile{256, 256, 64};
  // 4 x 132 = 528 tiles (24 x 22) fill 4 waves; 529 tiles (23 x 23) need a fifth.
  const GemmEstimate full = model.estimateWithTile(gemm(24 * 256, 22 * 256, 16384), tile);
  const GemmEstimate over = model.estimateWithTile(gemm(23 * 256, 23 * 256, 16384), tile);
  EXPECT_EQ(full.waves, 4);
  EXPECT_EQ(over.waves, 5);
  // Compute-bound, so efficiency scales with useful tiles / tile slots: (529/660)/(528/528)
  // = 0.80; tolerance 3% for fill and drain.
  EXPECT_NEAR(over.efficiency / full.efficiency, 529.0 / 660.0, 0.03);
}

TEST(GemmModel, CandidateTilesFitSramWithDoubleBuffering) {
  ComputeSpec spec = test::h100LikeSpec();
  const GemmModel model(spec, test::h100LikeMemory());
  const auto tiles = model.candidateTiles(Dtype::kBf16);
  ASSERT_FALSE(tiles.empty());
  for (const GemmTile& t : tiles) {
    EXPECT_LE(2.0 * (t.m + t.n) * t.k * 2.0, spec.sramPerEngine.si());
    EXPECT_LE(t.m * t.n * 4.0, spec.accumulatorPerEngine.si());
  }
  spec.sramPerEngine = DataSize(spec.sramPerEngine.si() / 4.0);
  const GemmModel small(spec, test::h100LikeMemory());
  EXPECT_LT(small.candidateTiles(Dtype::kBf16).size(), tiles.size());
  EXPECT_THROW(small.estimateWithTile(gemm(1024, 1024, 1024), GemmTile{512, 512, 256}), SpecError);
}

TEST(GemmModel, SharedSramReuseReadsLessThanPerTileFetchButAtLeastOnce) {
  ComputeSpec spec = test::h100LikeSpec();
  const GemmShape g = gemm(16384, 16384, 4096);
  const GemmTile tile{128, 256, 64};
  const GemmEstimate withReuse = GemmModel(spec, test::h100LikeMemory()).estimateWithTile(g, tile);
  spec.sharedSram = DataSize(0.0);
  const GemmEstimate noReuse = GemmModel(spec, test::h100LikeMemory()).estimateWithTile(g, tile);
  // Without reuse every tile reads its own panels: tiles x (128 + 256) x k x 2 bytes.
  EXPECT_DOUBLE_EQ(noReuse.bytesRead, 128.0 * 64 * (128 + 256) * 4096 * 2.0);
  EXPECT_LT(withReuse.bytesRead, noReuse.bytesRead / 4.0);
  EXPECT_GE(withReuse.bytesRead, (16384.0 * 4096 * 2) * 2.0);
}

TEST(GemmModel, HalvingBandwidthSlowsMemoryBoundNotComputeBound) {
  const ComputeSpec spec = test::h100LikeSpec();
  MemoryPath half = test::h100LikeMemory();
  half.bandwidth = half.bandwidth / 2.0;
  const GemmModel fast(spec, test::h100LikeMemory());
  const GemmModel slow(spec, half);
  const GemmShape skinny = gemm(16, 16384, 8192);
  const GemmShape square = gemm(8192, 8192, 8192);
  EXPECT_NEAR(slow.estimate(skinny).time / fast.estimate(skinny).time, 2.0, 0.1);
  EXPECT_LT(slow.estimate(square).time / fast.estimate(square).time, 1.05);
}

TEST(GemmModel, EfficiencyNeverExceedsOneAndTimeCoversRoofline) {
  const ComputeSpec spec = test::h100LikeSpec();
  const GemmModel model(spec, test::h100LikeMemory());
  for (std::int64_t m : {1, 100, 1000, 5000})
    for (std::int64_t n : {64, 3000, 12288})
      for (std::int64_t k : {128, 4096}) {
        const GemmShape g = gemm(m, n, k);
        const GemmEstimate e = model.estimate(g);
        EXPECT_GT(e.efficiency, 0.0);
        EXPECT_LE(e.efficiency, 1.0);
        const double roofline =
            std::max(g.flops() / spec.peakTensorFlops(g.dtype).si(), g.minBytes() / 3350e9);
        EXPECT_GE(e.time.si(), roofline * (1 - 1e-9)) << m << "x" << n << "x" << k;
      }
}

TEST(GemmModel, TensorMathRunsAtTheSustainedFractionOfPeak) {
  // With memory, the shared SRAM and the engines' SRAM ports that cost nothing, a GEMM is
  // its engines' math alone: at a sustained fraction f of the peak every tile takes 1/f as
  // long, so time scales by 1/f and efficiency (against the peak) by f, for any shape.
  // Tolerance 1e-6 (the operands' first slices still take a few femtoseconds to arrive).
  const MemoryPath free{gigabytesPerSecond(1e9), nanoseconds(0.0)};
  ComputeSpec spec = test::h100LikeSpec();
  spec.sharedSramBandwidth = gigabytesPerSecond(1e9);
  spec.sramBandwidthPerEngine = gigabytesPerSecond(1e9);
  ComputeSpec derated = spec;
  derated.tensorSustainedFraction = 0.8;
  const GemmModel full(spec, free);
  const GemmModel slow(derated, free);
  for (const GemmShape& g :
       {gemm(8192, 8192, 8192), gemm(2048, 2048, 13312), gemm(100, 3000, 512)}) {
    const GemmEstimate a = full.estimateWithTile(g, GemmTile{128, 128, 64});
    const GemmEstimate b = slow.estimateWithTile(g, GemmTile{128, 128, 64});
    EXPECT_NEAR(b.mathTime / a.mathTime, 1.0 / 0.8, 1e-9) << g.m << "x" << g.n << "x" << g.k;
    EXPECT_NEAR(b.efficiency / a.efficiency, 0.8, 1e-6) << g.m << "x" << g.n << "x" << g.k;
  }
}

TEST(GemmModel, NoShapeBeatsTheSustainedFractionOfPeak) {
  ComputeSpec spec = test::h100LikeSpec();
  spec.tensorSustainedFraction = 0.803;  // gh100.yaml: measured 794.5 of 989 TFLOPS
  const GemmModel model(spec, test::h100LikeMemory());
  for (std::int64_t m : {1, 1000, 4096, 16384})
    for (std::int64_t n : {64, 3000, 16384})
      for (std::int64_t k : {128, 4096, 16384}) {
        const GemmEstimate e = model.estimate(gemm(m, n, k));
        EXPECT_LE(e.efficiency, 0.803 * (1 + 1e-9)) << m << "x" << n << "x" << k;
      }
  // A memory-bound GEMM does not notice: it waits on HBM, not on its engines.
  const GemmShape skinny = gemm(8, 16384, 8192);
  EXPECT_DOUBLE_EQ(
      model.estimate(skinny).time.si(),
      GemmModel(test::h100LikeSpec(), test::h100LikeMemory()).estimate(skinny).time.si());
}

TEST(GemmModel, UnsupportedDtypeIsRejected) {
  const GemmModel model(test::h100LikeSpec(), test::h100LikeMemory());
  GemmShape g = gemm(256, 256, 256);
  g.dtype = Dtype::kFp4;
  EXPECT_THROW(model.estimate(g), SpecError);
}

TEST(GemmModel, ExecutedFlopsExceedUsefulOnlyByTilePadding) {
  const GemmModel model(test::h100LikeSpec(), test::h100LikeMemory());
  const GemmTile tile{128, 128, 64};
  const GemmEstimate exact = model.estimateWithTile(gemm(1024, 1024, 1024), tile);
  EXPECT_DOUBLE_EQ(exact.executedFlops, exact.flops);
  // 100 rows in a 128-row tile: 28% of the engine's work is padding.
  const GemmEstimate padded = model.estimateWithTile(gemm(100, 1024, 1024), tile);
  EXPECT_DOUBLE_EQ(padded.executedFlops / padded.flops, 128.0 / 100.0);
}
