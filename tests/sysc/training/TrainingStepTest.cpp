// SystemC tests of the training step: the compute chiplet on the h100-like platform follows
// the roofline, bandwidth changes move the step the way physics says, and the step's metrics
// are self-consistent. Each test is one simulation (its own process under CTest); the A/B
// comparisons run the chipletsim CLI once per design point.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <systemc>

#include "platforms/ComputeConfig.h"
#include "platforms/Loading.h"
#include "platforms/NocConfig.h"
#include "platforms/Platform.h"
#include "platforms/Simulation.h"
#include "workload/OpCostModel.h"

namespace chipletsim {
namespace {

const std::string kSrc = CHIPLETSIM_SOURCE_DIR;
const std::string kH100 = kSrc + "/configs/platforms/h100-like.yaml";
const std::string kB200 = kSrc + "/configs/platforms/b200-like.yaml";
const std::string kTiny = kSrc + "/configs/workloads/tiny-llama.yaml";

// --- GEMMs on the simulated chiplet, NoC and HBM --------------------------------------------

/// Runs one GEMM on die0 of `platform` through ComputeChiplet::execute and records its time.
class GemmRunner : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(GemmRunner);
  GemmRunner(sc_core::sc_module_name n, ComputeChiplet& chip, std::vector<MemoryRegion> regions,
             GemmShape shape)
      : sc_core::sc_module(n), m_chip(chip), m_regions(std::move(regions)), m_shape(shape) {
    SC_THREAD(run);
  }
  void run() {
    TrainingOp op;
    op.kind = OpKind::kGemm;
    op.gemm = m_shape;
    const OpCostModel model(m_chip.spec().compute, {Bandwidth(1e30), Duration(0.0)});
    cost = model.cost(op);
    const double t0 = sc_core::sc_time_stamp().to_seconds();
    m_chip.execute(cost.time, cost.bytesRead, cost.bytesWritten, cost.tensorFlops, m_regions);
    seconds = sc_core::sc_time_stamp().to_seconds() - t0;
  }
  OpCost cost;
  double seconds = 0.0;

 private:
  ComputeChiplet& m_chip;
  std::vector<MemoryRegion> m_regions;
  GemmShape m_shape;
};

struct GemmResult {
  double seconds;
  OpCost cost;
  double peakFlops;
  double hbmPeak;
};

GemmResult runGemm(const GemmShape& shape) {
  const PlatformSpec spec = loadPlatform(kH100);
  Platform platform(spec);
  auto* die = dynamic_cast<ComputeComponent*>(platform.component("die0"));
  auto* noc = dynamic_cast<NocComponent*>(platform.component("noc0"));
  EXPECT_NE(die, nullptr);
  EXPECT_NE(noc, nullptr);
  std::vector<MemoryRegion> regions;
  for (const auto& e : noc->spec().resolvedEndpoints())
    if (e.addressSize > 0) regions.push_back({e.addressBase, e.addressSize, false});
  GemmRunner runner("gemm", die->chiplet(), regions, shape);
  sc_core::sc_start();
  double hbmPeak = 0.0;
  for (const auto& d : spec.instances)
    if (d.kind == "hbm_stack") {
      Summary s;
      d.spec->describe(s);
      hbmPeak += s.find("peak_bandwidth")->value;
    }
  return {runner.seconds, runner.cost,
          die->chiplet().spec().compute.peakTensorFlops(Dtype::kBf16).si(), hbmPeak};
}

// Tolerance: issue 6 asks >= 70% of peak for large square bf16 GEMMs.
TEST(TrainingRoofline, LargeSquareBf16GemmIsComputeBoundAboveSeventyPercentOfPeak) {
  const GemmShape g{8192, 8192, 8192, 1, Dtype::kBf16, Dtype::kBf16};
  const GemmResult r = runGemm(g);
  ASSERT_GT(r.seconds, 0.0);
  const double achieved = g.flops() / r.seconds;
  std::printf("square GEMM: %.1f%% of peak\n", 100.0 * achieved / r.peakFlops);
  EXPECT_GE(achieved, 0.70 * r.peakFlops) << "achieved " << achieved << " FLOP/s";
  EXPECT_LE(achieved, r.peakFlops);
}

// Tolerance: issue 6 asks >= 85% of HBM bandwidth for skinny GEMMs (matrix-vector-like:
// the weight matrix streams once, the arithmetic intensity ~m FLOP/B is far below the ridge).
TEST(TrainingRoofline, SkinnyGemmIsMemoryBoundAboveEightyFivePercentOfHbmBandwidth) {
  const GemmShape g{16, 16384, 16384, 1, Dtype::kBf16, Dtype::kBf16};
  const GemmResult r = runGemm(g);
  ASSERT_GT(r.seconds, 0.0);
  const double bytes = r.cost.bytesRead + r.cost.bytesWritten;
  EXPECT_GE(bytes, g.minBytes() * 0.99);  // the weights are read at least once
  const double achieved = bytes / r.seconds;
  std::printf("skinny GEMM: %.1f%% of HBM bandwidth\n", 100.0 * achieved / r.hbmPeak);
  EXPECT_GE(achieved, 0.85 * r.hbmPeak) << "achieved " << achieved << " B/s";
  EXPECT_LE(achieved, r.hbmPeak * 1.0001);
}

// --- One training step, self-consistency ----------------------------------------------------

SimulationResult runStep(const std::string& platform, const std::string& workload,
                         const std::vector<std::string>& sets = {}) {
  std::vector<config::SetOverride> ps, ws;
  for (const auto& s : sets) {
    config::SetOverride o = config::parseSetOverride(s);
    (o.scope == "platform" ? ps : ws).push_back(o);
  }
  const PlatformSpec p = loadPlatform(platform, ps);
  const LoadedWorkload w = loadWorkload(workload, ws);
  return simulate(p, w);
}

double metric(const SimulationResult& r, const std::string& path) {
  const StatValue* v = r.metrics.lookup(path);
  EXPECT_NE(v, nullptr) << path;
  return v ? v->value : std::nan("");
}

double stat(const SimulationResult& r, const std::string& path) {
  const StatValue* v = r.stats.lookup(path);
  EXPECT_NE(v, nullptr) << path;
  return v ? v->value : std::nan("");
}

TEST(TrainingStep, MfuAndHfuNeverExceedOne) {
  const SimulationResult r = runStep(kH100, kTiny);
  EXPECT_GT(metric(r, "mfu"), 0.0);
  EXPECT_LE(metric(r, "mfu"), 1.0);
  EXPECT_LE(metric(r, "hfu"), 1.0);
  // HFU counts recomputation on top of the model FLOPs.
  EXPECT_GE(metric(r, "hfu"), metric(r, "mfu"));
}

// Tolerance: 1% (issue 6).
TEST(TrainingStep, BreakdownSumsToStepTimeWithinOnePercent) {
  const SimulationResult r =
      runStep(kH100, kTiny, {"workload.parallel.pp=2", "workload.parallel.packages=2"});
  double sum = 0.0;
  for (const char* k :
       {"compute", "hbm_bound", "d2d_bound", "exposed_comm", "pipeline_bubble", "idle"}) {
    const double v = metric(r, std::string("breakdown_s.") + k);
    EXPECT_GE(v, 0.0) << k;
    sum += v;
  }
  const double step = metric(r, "step_time_s");
  EXPECT_NEAR(sum, step, 0.01 * step);
  // Two stages and four micro-batches: 1F1B leaves a bubble (Narayanan et al. SC'21).
  EXPECT_GT(metric(r, "breakdown_s.pipeline_bubble"), 0.0);
}

// Tolerance: 1e-6 relative (the breakdown sums per-op times kept at SystemC's 1 ps resolution,
// some thousand ops a step; the error this guards against was 9%). No stage finishes its step
// before the pipeline schedule ends: the step is the schedule's makespan (first forward to last
// backward, Narayanan et al. SC'21 sec. 2.2) plus what the tail (gradient reduction, optimizer)
// adds beyond a plain backward pass. Here the simulated last stage is the lighter one: 22 layers on
// 4 stages put 6 on stages 0-1 and 5 on stages 2-3, and a 2048-word vocabulary keeps the
// output head smaller than a layer, so the last stage waits for the busier first ones.
TEST(TrainingStep, StepIsTheScheduleMakespanPlusTheTailWhenStagesAreUneven) {
  const SimulationResult r = runStep(
      kH100, kTiny,
      {"workload.parallel.pp=4", "workload.parallel.packages=4", "workload.model.vocab=2048"});
  const double makespan = stat(r, "workload.pipeline_makespan_s");
  const double tail = stat(r, "workload.segments.tail.seconds");
  const double backward = stat(r, "workload.segments.backward.seconds");
  const double step = metric(r, "step_time_s");
  ASSERT_GT(makespan, 0.0);
  EXPECT_GE(step, makespan);
  EXPECT_NEAR(step, makespan + (tail - backward), 1e-6 * step);
  double sum = 0.0;
  for (const char* k :
       {"compute", "hbm_bound", "d2d_bound", "exposed_comm", "pipeline_bubble", "idle"})
    sum += metric(r, std::string("breakdown_s.") + k);
  EXPECT_NEAR(sum, step, 1e-6 * step);
}

// Tolerance: 1e-9 relative (an identity of the report).
TEST(TrainingStep, TokensPerSecondTimesStepTimeIsTokensPerStep) {
  const SimulationResult r = runStep(kH100, kTiny);
  const double tokens = 4.0 * 2048.0;  // tiny-llama: global_batch 4 x seq_len 2048
  EXPECT_NEAR(metric(r, "tokens_per_s") * metric(r, "step_time_s"), tokens, 1e-9 * tokens);
  EXPECT_NEAR(metric(r, "tokens_per_s_per_package"), metric(r, "tokens_per_s"), 1e-9 * tokens);
}

TEST(TrainingStep, ModelThatDoesNotFitIsRejectedWithFootprintAndCapacity) {
  // Llama 2 70B on one package without model parallelism: ~1.1 TB of weights, gradients
  // and Adam state against 80 GiB of HBM.
  try {
    runStep(kH100, kSrc + "/configs/workloads/llama2-70b.yaml",
            {"workload.parallel.tp=1", "workload.parallel.pp=1", "workload.parallel.dp=1",
             "workload.parallel.packages=1", "workload.parallel.sequence_parallel=false",
             "workload.parallel.sharding=none", "workload.batch.global_batch=1"});
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("needs"), std::string::npos) << msg;
    EXPECT_NE(msg.find("optimizer state"), std::string::npos) << msg;
    EXPECT_NE(msg.find("80"), std::string::npos) << msg;  // 5 x 16 GiB of HBM
    EXPECT_NE(msg.find("of HBM"), std::string::npos) << msg;
    // Reported where the user fixes it: the workload file's `parallel` map.
    EXPECT_NE(msg.find("llama2-70b.yaml:"), std::string::npos) << msg;
    EXPECT_EQ(e.keyPath(), "parallel") << msg;
  }
}

// --- A/B: halved bandwidths, one CLI run per design point -----------------------------------

nlohmann::json runCli(const std::string& platform, const std::string& workload,
                      const std::vector<std::string>& sets, const std::string& tag) {
  const std::string out = std::string(::testing::TempDir()) + "training_" + tag + ".json";
  std::string cmd = std::string(CHIPLETSIM_BIN_DIR) + "/chipletsim run " + platform + " " +
                    workload + " --quiet --json " + out;
  for (const auto& s : sets) cmd += " --set '" + s + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream in(out);
  nlohmann::json j;
  in >> j;
  return j;
}

std::vector<std::string> halveH100Hbm() {
  // 5.23 -> 2.615 Gb/s per pin; one BL8 burst then lasts 8 / 2.615e9 = 3.06 ns.
  std::vector<std::string> s;
  for (int i = 0; i < 5; ++i) {
    const std::string h = "platform.instances.hbm" + std::to_string(i);
    s.push_back(h + ".organisation.pin_rate=2.615 Gb/s");
    s.push_back(h + ".timing.t_ccd_s=3.06 ns");
  }
  return s;
}

double stepTime(const nlohmann::json& j) {
  return j.at("metrics").at("step_time_s").get<double>();
}

// Short sequences and one sequence per micro-batch: GEMMs with m = 128 tokens sit far below
// the H100 ridge (295 FLOP/B, formulas.md 5.7), so the step streams weights from HBM.
const std::vector<std::string> kMemoryBound = {"workload.batch.seq_len=128"};

// Tolerance: a memory-bound step slows by at least 30% when HBM bandwidth halves (the ideal
// is 2x on its memory-bound part).
TEST(TrainingBandwidth, HalvingHbmBandwidthSlowsAMemoryBoundStep) {
  const double base = stepTime(runCli(kH100, kTiny, kMemoryBound, "mb_base"));
  std::vector<std::string> sets = kMemoryBound;
  for (const auto& s : halveH100Hbm()) sets.push_back(s);
  const double half = stepTime(runCli(kH100, kTiny, sets, "mb_half"));
  std::printf("memory-bound step %.4g s -> %.4g s\n", base, half);
  EXPECT_GT(half, 1.3 * base) << base << " s -> " << half << " s";
}

// Tolerance: a compute-bound step moves by less than 10%. Four Llama-2-70B-sized layers
// (hidden 8192, ffn 28672) at 4k tokens per sequence: the GEMMs sit far above the ridge;
// only the elementwise ops and the optimizer, which stream memory, slow down.
TEST(TrainingBandwidth, HalvingHbmBandwidthBarelyChangesAComputeBoundStep) {
  const std::vector<std::string> sets = {
      "workload.model.layers=4",       "workload.model.hidden=8192", "workload.model.heads=64",
      "workload.model.kv_heads=8",     "workload.model.ffn=28672",   "workload.batch.seq_len=4096",
      "workload.batch.global_batch=16"};
  const double base = stepTime(runCli(kH100, kTiny, sets, "cb_base"));
  std::vector<std::string> half = sets;
  for (const auto& s : halveH100Hbm()) half.push_back(s);
  const double slow = stepTime(runCli(kH100, kTiny, half, "cb_half"));
  std::printf("compute-bound step %.4g s -> %.4g s\n", base, slow);
  EXPECT_GE(slow, base * 0.999);
  EXPECT_LT(slow, 1.10 * base) << base << " s -> " << slow << " s";
}

}  // namespace
}  // namespace chipletsim

namespace chipletsim {
namespace {

// Tolerance: at least 3% slower. b200-like in unified mode interleaves memory over both
// dies' stacks, so half of every die's traffic crosses the NV-HBI-class link: at most half
// of a die's 4 TB/s of HBM, 2 TB/s per direction. The full 7.8 mm (20 modules, 5.1 TB/s per
// direction) and half of it (2.6 TB/s) carry that with room to spare, and remote reads cut
// through the link, so halving it barely moves the step (measured +0.07%). A sixth of the
// shoreline, 1.3 mm (3 modules, 0.77 TB/s per direction; configs/packaging/nv-hbi.yaml
// geometry), is narrower than the remote traffic and must slow the step.
TEST(TrainingBandwidth, AD2dLinkNarrowerThanTheRemoteTrafficSlowsAUnifiedTwoDiePackage) {
  const nlohmann::json base = runCli(kB200, kTiny, {"workload.mapping=unified"}, "d2d_base");
  const nlohmann::json half =
      runCli(kB200, kTiny,
             {"workload.mapping=unified", "platform.instances.nvhbi.shoreline=1.3 mm"}, "d2d_half");
  std::printf("unified b200-like step %.4g s -> %.4g s\n", stepTime(base), stepTime(half));
  EXPECT_GT(stepTime(half), 1.03 * stepTime(base));
  EXPECT_GT(half.at("metrics").at("breakdown_s").at("d2d_bound").get<double>(),
            base.at("metrics").at("breakdown_s").at("d2d_bound").get<double>());
}

}  // namespace
}  // namespace chipletsim

namespace chipletsim {
namespace {

// A monolithic package has no D2D link to halve: none of its step may be charged to one, so
// D2D bandwidth cannot slow it (exactly zero D2D-bound time, no D2D utilisation reported).
TEST(TrainingBandwidth, AMonolithicPackageSpendsNoTimeBoundByD2d) {
  const nlohmann::json mono = runCli(kH100, kTiny, {}, "d2d_mono");
  EXPECT_EQ(mono.at("metrics").at("breakdown_s").at("d2d_bound").get<double>(), 0.0);
  for (const auto& [name, value] : mono.at("metrics").at("utilisation").items())
    EXPECT_EQ(name.find("d2d"), std::string::npos) << name << " " << value;
}

}  // namespace
}  // namespace chipletsim
