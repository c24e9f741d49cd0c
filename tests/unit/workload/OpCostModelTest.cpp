#include <gtest/gtest.h>

#include "../compute/H100LikeSpec.h"
#include "ModelZoo.h"
#include "common/Errors.h"
#include "workload/OpCostModel.h"

using namespace chipletsim;

TEST(OpCostModel, GemmOpCostIsTheTilingModelsEstimate) {
  const TrainingStep step = TrainingStepBuilder(test::llama2_7b()).build(0);
  const OpCostModel model(test::h100LikeSpec(), test::h100LikeMemory());
  const GemmModel gemm(test::h100LikeSpec(), test::h100LikeMemory());
  for (const TrainingOp& op : step.ops) {
    if (op.kind != OpKind::kGemm) continue;
    const OpCost c = model.cost(op);
    const GemmEstimate e = gemm.estimate(op.gemm);
    EXPECT_EQ(c.time, e.time) << op.name;
    EXPECT_EQ(c.bytesRead, e.bytesRead) << op.name;
  }
}

TEST(OpCostModel, CommunicationOpsAreNotCostedAsCompute) {
  TransformerSpec s = test::llama2_7b();
  const TrainingStep step = TrainingStepBuilder(s).build(0);
  const OpCostModel model(test::h100LikeSpec(), test::h100LikeMemory());
  for (const TrainingOp& op : step.ops) {
    if (op.kind == OpKind::kCommunication) {
      EXPECT_THROW(model.cost(op), InternalError) << op.name;
    }
  }
}

TEST(OpCostModel, StepComputeNeverExceedsPeakAndHfuIsAtLeastMfu) {
  const ComputeSpec spec = test::h100LikeSpec();
  const OpCostModel model(spec, test::h100LikeMemory());
  for (TransformerSpec s : {test::llama2_7b(), test::llama3_8b()}) {
    s.recompute = Recompute::kSelective;
    const TrainingStep step = TrainingStepBuilder(s).build(0);
    const double seconds = model.computeTime(step).si();
    const double peak = spec.peakTensorFlops(Dtype::kBf16).si();
    const double mfu = step.modelFlops() / seconds / peak;
    const double hfu = step.hardwareFlops() / seconds / peak;
    EXPECT_GT(mfu, 0.0) << s.name;
    EXPECT_LE(hfu, 1.0) << s.name;
    EXPECT_GE(hfu, mfu) << s.name;
  }
}
