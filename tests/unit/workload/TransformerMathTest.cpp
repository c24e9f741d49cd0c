#include <gtest/gtest.h>

#include "ModelZoo.h"
#include "common/Errors.h"
#include "workload/TrainingStepBuilder.h"
#include "workload/TransformerMath.h"

using namespace chipletsim;

TEST(TransformerMath, ParameterCountsMatchPublishedSizesWithin2Percent) {
  // Published sizes: Llama 2 model card (6.74B, 13.0B, 69B rounded to 70B in the name),
  // Llama 3 paper (8B, 70B, 405B), GPT-3 paper (175B).
  const std::pair<TransformerSpec, double> cases[] = {
      {test::llama2_7b(), 6.74e9}, {test::llama2_13b(), 13.0e9}, {test::llama2_70b(), 70e9},
      {test::llama3_8b(), 8.03e9}, {test::llama3_70b(), 70.6e9}, {test::llama3_405b(), 405e9},
      {test::gpt3_175b(), 175e9}};
  for (const auto& [spec, published] : cases)
    EXPECT_NEAR(parameterCount(spec).total() / published, 1.0, 0.02) << spec.name;
}

TEST(TransformerMath, Llama2_7bFlopsPerTokenFromOpGraphMatch6NPlusAttentionWithin1Percent) {
  TransformerSpec s = test::llama2_7b();
  const TrainingStep step = TrainingStepBuilder(s).build(0);
  // Each of the 8 DP packages trains micro_batch x seq tokens per micro-batch.
  const double perToken = step.modelFlops() * s.parallel.packages / step.tokensPerStep;
  const ParameterCount pc = parameterCount(s);
  // formulas.md 5.7 (PaLM): 6 N + 12 L H Q T, with N the matmul weights.
  const double formula = 6.0 * pc.matmul() + 12.0 * s.layers * s.hidden * s.seqLen;
  EXPECT_NEAR(perToken / formula, 1.0, 0.01);
  EXPECT_NEAR(modelFlopsPerToken(s) / formula, 1.0, 1e-12);
  // And against 6N with all parameters (Kaplan): the input embedding is a lookup, 2% of N.
  EXPECT_NEAR(perToken / (6.0 * pc.total() + 12.0 * s.layers * s.hidden * s.seqLen), 1.0, 0.02);
}

TEST(TransformerMath, Gpt3OpGraphMatchesMegatronModelFlopsWithTensorParallel) {
  TransformerSpec s = test::gpt3_175b();
  s.parallel = {};
  s.parallel.tp = 8;
  s.parallel.dp = 2;
  s.parallel.packages = 16;
  s.globalBatch = 4;
  s.linearBias = false;  // the Megatron formula counts weights only
  const TrainingStep step = TrainingStepBuilder(s).build(0);
  const double B = s.globalBatch, sq = s.seqLen, l = s.layers, h = s.hidden, V = s.vocab;
  // formulas.md 5.7 (Korthikanti et al.): 72 B s l h^2 (1 + s/(6h) + V/(12 l h)).
  const double megatron = 72.0 * B * sq * l * h * h * (1 + sq / (6 * h) + V / (12 * l * h));
  EXPECT_NEAR(step.modelFlops() * s.parallel.packages / megatron, 1.0, 0.01);
}

TEST(TransformerMath, FullRecomputeHardwareFlopsMatchMegatron96Formula) {
  TransformerSpec s = test::gpt3_175b();
  s.recompute = Recompute::kFull;
  s.flashAttention = false;
  s.linearBias = false;
  const double sq = s.seqLen, l = s.layers, h = s.hidden, V = s.vocab;
  // formulas.md 5.7 (Narayanan et al. SC'21): 96 B s l h^2 (1 + s/(6h) + V/(16 l h)).
  const double perToken = 96.0 * l * h * h * (1 + sq / (6 * h) + V / (16 * l * h));
  EXPECT_NEAR(hardwareFlopsPerToken(s) / perToken, 1.0, 0.01);
  const TrainingStep step = TrainingStepBuilder(s).build(0);
  EXPECT_NEAR(step.hardwareFlops() * s.parallel.packages / step.tokensPerStep / perToken, 1.0,
              0.01);
  EXPECT_GT(step.hardwareFlops(), step.modelFlops());
}

TEST(TransformerMath, ActivationsPerLayerMatchKorthikantiWithoutDropout) {
  TransformerSpec s = test::gpt3_175b();
  s.flashAttention = false;
  const double sq = s.seqLen, b = s.microBatch, h = s.hidden, a = s.heads;
  // Korthikanti et al. 2022: s b h (34 + 5 a s / h) with dropout; without its masks (2 sbh
  // bytes for two 1-byte masks; a s^2 b for the attention mask, 2 a s^2 b for its output):
  EXPECT_NEAR(activationBytesPerLayer(s) / (sq * b * h * (32 + 2 * a * sq / h)), 1.0, 1e-12);
  s.parallel = {};
  s.parallel.tp = 8;
  s.parallel.packages = 8;
  s.globalBatch = 1;
  EXPECT_NEAR(activationBytesPerLayer(s) / (sq * b * h * (8 + 24 / 8.0 + 2 * a * sq / (h * 8))),
              1.0, 1e-12);
  s.parallel.sequenceParallel = true;
  EXPECT_NEAR(activationBytesPerLayer(s) / (sq * b * h * (32 + 2 * a * sq / h) / 8), 1.0, 1e-12);
  s.recompute = Recompute::kSelective;  // the a s^2 term goes
  EXPECT_NEAR(activationBytesPerLayer(s) / (sq * b * h * 32 / 8), 1.0, 1e-12);
  s.recompute = Recompute::kFull;  // only the layer input stays
  EXPECT_NEAR(activationBytesPerLayer(s) / (sq * b * h * 2 / 8), 1.0, 1e-12);
}

TEST(TransformerMath, MixedPrecisionAdamNeedsSixteenBytesPerParameter) {
  TransformerSpec s = test::llama3_405b();
  s.parallel = {};
  s.globalBatch = 1;
  const MemoryFootprint f = memoryFootprint(s, 0);
  const double n = parameterCount(s).total();
  EXPECT_NEAR((f.weights + f.gradients + f.optimizerState).si() / n, 16.0, 1e-9);
  // formulas.md 5.7: 405B -> ~6.48 TB before activations [L]: within 2%.
  EXPECT_NEAR((f.weights + f.gradients + f.optimizerState).si() / 6.48e12, 1.0, 0.02);
}

TEST(TransformerMath, ZeroStagesShardStateOverDataParallel) {
  TransformerSpec s = test::llama2_7b();  // dp = 8
  const MemoryFootprint none = memoryFootprint(s, 0);
  s.parallel.sharding = DataSharding::kZero1;
  const MemoryFootprint z1 = memoryFootprint(s, 0);
  EXPECT_DOUBLE_EQ(z1.optimizerState.si(), none.optimizerState.si() / 8);
  EXPECT_DOUBLE_EQ(z1.gradients.si(), none.gradients.si());
  s.parallel.sharding = DataSharding::kZero2;
  EXPECT_DOUBLE_EQ(memoryFootprint(s, 0).gradients.si(), none.gradients.si() / 8);
  s.parallel.sharding = DataSharding::kZero3;
  const MemoryFootprint z3 = memoryFootprint(s, 0);
  const double gatherBuffers = 2.0 * parameterCount(s).perLayer() * 2.0;
  EXPECT_DOUBLE_EQ(z3.weights.si(), none.weights.si() / 8 + gatherBuffers);
  EXPECT_DOUBLE_EQ(z3.activations.si(), none.activations.si());
}

TEST(TransformerMath, PipelineFirstStageHoldsActivationsOfPMicroBatches) {
  TransformerSpec s = test::llama2_70b();
  s.parallel = {};
  s.parallel.tp = 8;
  s.parallel.pp = 4;
  s.parallel.sequenceParallel = true;
  s.parallel.packages = 32;
  s.globalBatch = 16;
  const MemoryFootprint first = memoryFootprint(s, 0);
  EXPECT_EQ(first.inFlightChunks, 4);
  EXPECT_NEAR(first.activations.si(), 4 * 20 * activationBytesPerLayer(s), 1.0);
  EXPECT_EQ(memoryFootprint(s, 3).inFlightChunks, 1);
}

TEST(TransformerMath, ModelThatDoesNotFitIsRejectedWithFootprintAndCapacity) {
  TransformerSpec s = test::llama2_70b();
  s.parallel = {};
  s.globalBatch = 1;
  const MemoryFootprint f = peakMemoryFootprint(s);
  try {
    requireFits(s.name, f, DataSize(80e9));
    FAIL() << "70B parameters at 16 B each cannot fit 80 GB";
  } catch (const SpecError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("needs"), std::string::npos) << msg;
    EXPECT_NE(msg.find("74.51 GiB of HBM"), std::string::npos) << msg;  // 80e9 B
    EXPECT_NE(msg.find("optimizer state"), std::string::npos) << msg;
  }
  EXPECT_NO_THROW(requireFits(s.name, f, DataSize(f.total().si() + 1.0)));
}

TEST(TransformerSpec, InconsistentParallelismIsRejected) {
  TransformerSpec s = test::llama2_7b();
  s.parallel.packages = 16;  // tp cp pp dp = 8
  EXPECT_THROW(s.validate(), SpecError);
  s = test::llama2_7b();
  s.parallel.tp = 3;  // 32 heads
  s.parallel.packages = 24;
  EXPECT_THROW(s.validate(), SpecError);
}
