#include <gtest/gtest.h>

#include "workload/PipelineSchedule.h"

using namespace chipletsim;

TEST(PipelineSchedule, OneFOneBBubbleIsPMinusOneOverMPlusPMinusOne) {
  for (int p : {2, 4, 8})
    for (int m : {1, 4, 8, 32}) {
      const PipelineSchedule s(PipelineKind::kOneFOneB, p, m, 1);
      // Backward takes twice the forward (two matmuls per forward one).
      const PipelineTiming t = s.simulate(1.0, 2.0);
      EXPECT_NEAR(t.bubbleFraction, double(p - 1) / (m + p - 1), 1e-12) << p << " " << m;
      EXPECT_NEAR(t.makespan, (m + p - 1) * 3.0, 1e-9);
    }
}

TEST(PipelineSchedule, InterleavedBubbleIsDividedByVirtualStages) {
  for (int v : {2, 4})
    for (int m : {4, 8, 16}) {
      const int p = 4;
      const PipelineSchedule s(PipelineKind::kInterleaved, p, m, v);
      // Each chunk holds 1/v of the stage's layers.
      const PipelineTiming t = s.simulate(1.0 / v, 2.0 / v);
      // Narayanan et al.: bubble time (p-1)(tf+tb)/v; tolerance 1% of the fraction.
      EXPECT_NEAR(t.bubbleFraction / PipelineSchedule::analyticBubble(p, m, v), 1.0, 0.01)
          << "v=" << v << " m=" << m;
      const PipelineTiming plain =
          PipelineSchedule(PipelineKind::kOneFOneB, p, m, 1).simulate(1, 2);
      EXPECT_LT(t.bubbleFraction, plain.bubbleFraction);
    }
}

TEST(PipelineSchedule, EveryMicroBatchChunkRunsForwardAndBackwardOnce) {
  const PipelineSchedule s(PipelineKind::kInterleaved, 4, 8, 3);
  for (int stage = 0; stage < 4; ++stage) {
    int fwd = 0;
    int bwd = 0;
    for (const PipelineSlot& slot : s.order(stage)) (slot.forward ? fwd : bwd)++;
    EXPECT_EQ(fwd, 8 * 3);
    EXPECT_EQ(bwd, 8 * 3);
  }
}

TEST(PipelineSchedule, OneFOneBStageHoldsAtMostPMinusStageMicroBatches) {
  const PipelineSchedule s(PipelineKind::kOneFOneB, 8, 32, 1);
  for (int stage = 0; stage < 8; ++stage) EXPECT_EQ(s.peakInFlight(stage), 8 - stage);
  // Fewer micro-batches than stages: all of them.
  EXPECT_EQ(PipelineSchedule(PipelineKind::kOneFOneB, 8, 3, 1).peakInFlight(0), 3);
}

TEST(PipelineSchedule, P2pLatencyLengthensTheStep) {
  const PipelineSchedule s(PipelineKind::kOneFOneB, 4, 8, 1);
  EXPECT_GT(s.simulate(1.0, 2.0, 0.1).makespan, s.simulate(1.0, 2.0, 0.0).makespan);
}

TEST(PipelineSchedule, SlowestStageSetsThePace) {
  const int p = 4;
  const int m = 16;
  const PipelineSchedule s(PipelineKind::kOneFOneB, p, m, 1);
  std::vector<double> fwd(p, 1.0);
  std::vector<double> bwd(p, 2.0);
  EXPECT_DOUBLE_EQ(s.simulate(fwd, bwd).makespan, s.simulate(1.0, 2.0).makespan);
  fwd[p - 1] = 1.5;  // the last stage also runs the output head
  bwd[p - 1] = 3.0;
  const PipelineTiming t = s.simulate(fwd, bwd);
  EXPECT_GE(t.makespan, m * 4.5);
  EXPECT_GT(t.makespan, s.simulate(1.0, 2.0).makespan);
}
