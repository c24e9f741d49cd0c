#include <gtest/gtest.h>

#include <set>

#include "ModelZoo.h"
#include "common/Errors.h"
#include "workload/TrainingStepBuilder.h"
#include "workload/TransformerMath.h"

using namespace chipletsim;

namespace {

TransformerSpec tpSpec(bool sequenceParallel) {
  TransformerSpec s = test::llama2_70b();
  s.parallel = {};
  s.parallel.tp = 8;
  s.parallel.dp = 4;
  s.parallel.packages = 32;
  s.parallel.sequenceParallel = sequenceParallel;
  s.globalBatch = 8;
  return s;
}

const TrainingOp* find(const TrainingStep& step, const std::string& name) {
  for (const TrainingOp& op : step.ops)
    if (op.name == name) return &op;
  return nullptr;
}

const TrainingOp* findLast(const TrainingStep& step, const std::string& name) {
  const TrainingOp* found = nullptr;
  for (const TrainingOp& op : step.ops)
    if (op.name == name) found = &op;
  return found;
}

}  // namespace

TEST(TrainingStepBuilder, DependenciesPointToEarlierOps) {
  TransformerSpec s = tpSpec(true);
  s.recompute = Recompute::kFull;
  s.parallel.sharding = DataSharding::kZero3;
  const TrainingStep step = TrainingStepBuilder(s).build(0);
  ASSERT_FALSE(step.ops.empty());
  for (const TrainingOp& op : step.ops) {
    EXPECT_EQ(op.id, &op - step.ops.data());
    for (int d : op.deps) EXPECT_LT(d, op.id) << op.name;
  }
}

TEST(TrainingStepBuilder, TensorParallelShardsGemmShapes) {
  const TransformerSpec s = tpSpec(false);
  const TrainingStep step = TrainingStepBuilder(s).build(0);
  const TrainingOp* qkv = find(step, "l0.fwd.qkv");
  ASSERT_NE(qkv, nullptr);
  // 64 query heads / 8 = 8 heads of 128, and the 8 KV heads split one per rank.
  EXPECT_EQ(qkv->gemm.m, 4096);
  EXPECT_EQ(qkv->gemm.n, 8192 / 8 + 2 * 128);
  EXPECT_EQ(qkv->gemm.k, 8192);
  const TrainingOp* down = find(step, "l0.fwd.mlp_down");
  ASSERT_NE(down, nullptr);
  EXPECT_EQ(down->gemm.k, 28672 / 8);
  const TrainingOp* attn = find(step, "l0.fwd.attention");
  ASSERT_NE(attn, nullptr);
  EXPECT_EQ(attn->attention.heads, 8);
  EXPECT_EQ(attn->attention.kvHeads, 1);
}

TEST(TrainingStepBuilder, SequenceParallelTurnsAllReducesIntoEqualReduceScattersAndGathers) {
  const TrainingStep plain = TrainingStepBuilder(tpSpec(false)).build(0);
  const TrainingStep sp = TrainingStepBuilder(tpSpec(true)).build(0);
  auto count = [](const TrainingStep& st, CollectiveKind k) {
    int n = 0;
    for (const TrainingOp& op : st.ops)
      if (op.kind == OpKind::kCommunication && op.comm.group.kind == ParallelGroup::kTensor &&
          op.comm.kind == k && op.layer == 0)
        ++n;
    return n;
  };
  // Per layer and micro-batch: 2 all-reduces forward and 2 backward.
  EXPECT_EQ(count(plain, CollectiveKind::kAllReduce), 4 * 2);
  EXPECT_EQ(count(sp, CollectiveKind::kAllReduce), 0);
  EXPECT_EQ(count(sp, CollectiveKind::kReduceScatter), 4 * 2);
  // Gathers: 2 forward, 2 backward of the reduce-scatters, 2 re-gathers for weight grads.
  EXPECT_EQ(count(sp, CollectiveKind::kAllGather), 6 * 2);
}

TEST(TrainingStepBuilder, DataParallelAllReducesTwoBytesPerLocalParameter) {
  const TransformerSpec s = tpSpec(false);
  const TrainingStep step = TrainingStepBuilder(s).build(0);
  // formulas.md 5.7: all-reduce of 2 bytes x N per replica; here N / tp per package.
  EXPECT_NEAR(step.commBytes(ParallelGroup::kData) / (2.0 * parameterCount(s).total() / 8), 1.0,
              1e-3);
}

TEST(TrainingStepBuilder, GradientSyncOverlapsTheRestOfBackward) {
  const TransformerSpec s = tpSpec(false);
  const TrainingStep step = TrainingStepBuilder(s).build(0);
  std::set<int> syncs;
  for (const TrainingOp& op : step.ops)
    if (op.phase == OpPhase::kGradientSync) syncs.insert(op.id);
  ASSERT_EQ(syncs.size(), static_cast<std::size_t>(s.layers + 2));  // layers, embedding, head
  for (const TrainingOp& op : step.ops) {
    for (int d : op.deps) {
      if (syncs.count(d)) {
        EXPECT_EQ(op.phase, OpPhase::kOptimizer) << op.name;
      }
    }
    if (op.phase == OpPhase::kGradientSync) {
      for (int d : op.deps) {
        const std::string& dep = step.ops[static_cast<std::size_t>(d)].name;
        EXPECT_TRUE(dep.find(".dw") != std::string::npos ||
                    dep.find("scatter_add") != std::string::npos)
            << dep;
      }
    }
  }
  // In the last micro-batch, the last layer's gradients are reduced before the first
  // layer's backward is emitted.
  EXPECT_LT(find(step, "dp.grad_sync.l79.mb1")->id, findLast(step, "l0.bwd.qkv.dw")->id);
}

TEST(TrainingStepBuilder, PipelineStageRunsItsLayersForEveryMicroBatch) {
  TransformerSpec s = tpSpec(false);
  s.parallel.pp = 4;
  s.parallel.dp = 1;
  s.parallel.packages = 32;
  s.globalBatch = 8;
  const TrainingStep mid = TrainingStepBuilder(s).build(1);
  int fwd = 0;
  int bwd = 0;
  int recv = 0;
  for (const TrainingOp& op : mid.ops) {
    if (op.kind == OpKind::kAttention) (op.attentionBackward ? bwd : fwd)++;
    if (op.kind == OpKind::kCommunication && op.comm.kind == CollectiveKind::kSendRecv &&
        op.comm.receive)
      ++recv;
    EXPECT_TRUE(op.layer < 0 || (op.layer >= 20 && op.layer < 40)) << op.name;
  }
  EXPECT_EQ(fwd, 8 * 20);
  EXPECT_EQ(bwd, 8 * 20);
  EXPECT_EQ(recv, 2 * 8);  // activations from stage 0, gradients from stage 2
  EXPECT_EQ(find(mid, "head.fwd.logits"), nullptr);
  EXPECT_EQ(find(mid, "embed.fwd.lookup"), nullptr);
}

TEST(TrainingStepBuilder, Fp8RunsLayerGemmsInFp8AndHeadInBf16) {
  TransformerSpec s = test::llama3_8b();
  s.precision = TrainingPrecision::kFp8;
  const TrainingStep step = TrainingStepBuilder(s).build(0);
  EXPECT_EQ(find(step, "l0.fwd.mlp_up")->gemm.dtype, Dtype::kFp8);
  EXPECT_EQ(find(step, "head.fwd.logits")->gemm.dtype, Dtype::kBf16);
}

TEST(TrainingStepBuilder, SameSpecGivesIdenticalGraph) {
  const TrainingStep a = TrainingStepBuilder(tpSpec(true)).build(0);
  const TrainingStep b = TrainingStepBuilder(tpSpec(true)).build(0);
  ASSERT_EQ(a.ops.size(), b.ops.size());
  for (std::size_t i = 0; i < a.ops.size(); ++i) {
    EXPECT_EQ(a.ops[i].name, b.ops[i].name);
    EXPECT_EQ(a.ops[i].deps, b.ops[i].deps);
  }
}

TEST(TrainingStepBuilder, PartitionedPackageSplitsEachRankOverItsDies) {
  const TransformerSpec s = tpSpec(true);
  const TrainingStep whole = TrainingStepBuilder(s).build(0);
  const TrainingStep perDie = TrainingStepBuilder(s, 4).build(0);
  EXPECT_EQ(perDie.dies, 4);
  EXPECT_EQ(find(perDie, "l0.fwd.mlp_down")->gemm.k, 28672 / 32);
  EXPECT_EQ(find(perDie, "l0.fwd.attention")->attention.heads, 64 / 32);
  const TrainingOp* rs = find(perDie, "l0.fwd.tp_reduce1");
  ASSERT_NE(rs, nullptr);
  EXPECT_EQ(rs->comm.group.size, 32);
  EXPECT_EQ(rs->comm.group.perPackage, 4);
  // The package's dies together do the package's work.
  EXPECT_NEAR(perDie.modelFlops() * perDie.dies / whole.modelFlops(), 1.0, 1e-3);
  EXPECT_THROW(TrainingStepBuilder(s, 3), SpecError);  // 64 heads do not split over 24
}

TEST(TrainingStepBuilder, InterleavedStageHoldsEveryPthBlockOfLayers) {
  TransformerSpec s = test::llama2_7b();  // 32 layers
  s.parallel = {};
  s.parallel.pp = 4;
  s.parallel.vpp = 2;
  s.parallel.schedule = PipelineKind::kInterleaved;
  s.parallel.packages = 4;
  s.globalBatch = 8;
  std::set<int> layers;
  const TrainingStep step = TrainingStepBuilder(s).build(1);
  for (const TrainingOp& op : step.ops)
    if (op.layer >= 0) layers.insert(op.layer);
  // Virtual stages 1 and 5 of 8, four layers each.
  EXPECT_EQ(layers, (std::set<int>{4, 5, 6, 7, 20, 21, 22, 23}));
  EXPECT_EQ(find(step, "embed.fwd.lookup"), nullptr);
  const TrainingStep last = TrainingStepBuilder(s).build(3);
  const TrainingOp* head = find(last, "head.fwd.logits");
  ASSERT_NE(head, nullptr);
  EXPECT_EQ(head->chunk, 1);
}
