#include "TransformerConfig.h"

#include <limits>

#include "common/Errors.h"
#include "workload/PipelineSchedule.h"
#include "workload/TransformerMath.h"

namespace chipletsim {

namespace {

using config::EnumTable;
using config::Limits;
using config::MapReader;

const EnumTable<MlpKind> kMlp{{{"swiglu", MlpKind::kGatedSilu}, {"gelu", MlpKind::kPlain}}};
const EnumTable<NormKind> kNorm{
    {{"rmsnorm", NormKind::kRmsNorm}, {"layernorm", NormKind::kLayerNorm}}};
const EnumTable<PositionKind> kPosition{
    {{"rope", PositionKind::kRotary}, {"learned", PositionKind::kLearned}}};
const EnumTable<TrainingPrecision> kPrecision{
    {{"bf16", TrainingPrecision::kBf16}, {"fp8", TrainingPrecision::kFp8}}};
const EnumTable<Recompute> kRecompute{
    {{"none", Recompute::kNone}, {"selective", Recompute::kSelective}, {"full", Recompute::kFull}}};
const EnumTable<PipelineKind> kSchedule{
    {{"1f1b", PipelineKind::kOneFOneB}, {"interleaved", PipelineKind::kInterleaved}}};
const EnumTable<DataSharding> kSharding{{{"none", DataSharding::kNone},
                                         {"zero1", DataSharding::kZero1},
                                         {"zero2", DataSharding::kZero2},
                                         {"zero3", DataSharding::kZero3},
                                         {"fsdp", DataSharding::kFsdp}}};
enum class Optimizer { kAdam };
const EnumTable<Optimizer> kOptimizer{{{"adam", Optimizer::kAdam}}};

void decodeModel(const config::Node& n, TransformerSpec& s) {
  MapReader r(n);
  s.layers = r.required<int>("layers", Limits::atLeast(1));
  s.hidden = r.required<int>("hidden", Limits::atLeast(1));
  s.heads = r.required<int>("heads", Limits::atLeast(1));
  s.kvHeads = r.optional<int>("kv_heads", s.heads, Limits::atLeast(1));
  s.ffn = r.required<int>("ffn", Limits::atLeast(1));
  s.mlp = r.optionalEnum("mlp", kMlp, MlpKind::kGatedSilu);
  s.norm = r.optionalEnum("norm", kNorm, NormKind::kRmsNorm);
  s.position = r.optionalEnum("position", kPosition, PositionKind::kRotary);
  s.tiedEmbeddings = r.optional<bool>("tied_embeddings", false);
  s.linearBias = r.optional<bool>("linear_bias", false);
  s.vocab = r.required<int>("vocab", Limits::atLeast(1));
  r.finish();
}

void decodeBatch(const config::Node& n, TransformerSpec& s) {
  MapReader r(n);
  s.seqLen = r.required<int>("seq_len", Limits::atLeast(1));
  s.microBatch = r.optional<int>("micro_batch", 1, Limits::atLeast(1));
  s.globalBatch = r.required<int>("global_batch", Limits::atLeast(1));
  r.finish();
}

void decodeTraining(const config::Node* n, TransformerSpec& s) {
  if (!n) return;
  MapReader r(*n);
  s.precision = r.optionalEnum("precision", kPrecision, TrainingPrecision::kBf16);
  r.optionalEnum("optimizer", kOptimizer, Optimizer::kAdam);
  s.recompute = r.optionalEnum("recompute", kRecompute, Recompute::kNone);
  s.flashAttention = r.optional<bool>("flash_attention", true);
  r.finish();
}

void decodeParallel(const config::Node* n, TransformerSpec& s) {
  ParallelismSpec& p = s.parallel;
  if (!n) return;
  MapReader r(*n);
  p.tp = r.optional<int>("tp", 1, Limits::atLeast(1));
  p.pp = r.optional<int>("pp", 1, Limits::atLeast(1));
  p.vpp = r.optional<int>("vpp", 1, Limits::atLeast(1));
  p.dp = r.optional<int>("dp", 1, Limits::atLeast(1));
  p.cp = r.optional<int>("cp", 1, Limits::atLeast(1));
  p.sequenceParallel = r.optional<bool>("sequence_parallel", false);
  p.schedule = r.optionalEnum("schedule", kSchedule, PipelineKind::kOneFOneB);
  p.sharding = r.optionalEnum("sharding", kSharding, DataSharding::kNone);
  // The product in 64 bits: four int degrees overflowed an int (undefined) and wrapped.
  const long long product = static_cast<long long>(p.tp) * p.cp * p.pp * p.dp;
  if (product > std::numeric_limits<int>::max() && !r.has("packages"))
    n->fail("tp x cp x pp x dp is " + std::to_string(product) + " packages: expected at most " +
            std::to_string(std::numeric_limits<int>::max()));
  p.packages = r.optional<int>("packages", static_cast<int>(product), Limits::atLeast(1));
  r.finish();
}

}  // namespace

TransformerSpec decodeTransformerSpec(MapReader& top, const std::string& name) {
  TransformerSpec s;
  s.name = name;
  decodeModel(top.requiredChild("model"), s);
  decodeBatch(top.requiredChild("batch"), s);
  decodeTraining(top.child("training"), s);
  decodeParallel(top.child("parallel"), s);
  // Point at the section the broken rule belongs to (`parallel:` when packages do not
  // match the degrees); a section left out falls back to the workload's top level.
  if (const auto problem = s.firstProblem()) {
    const config::Node* section = top.child(problem->section);
    (section ? *section : top.node()).fail(problem->message);
  }
  return s;
}

TransformerSpec decodeTransformerSpec(const config::Node& root, const std::string& name) {
  MapReader r(root);
  TransformerSpec s = decodeTransformerSpec(r, name);
  r.finish();
  return s;
}

void describeTransformer(const TransformerSpec& s, Summary& out) {
  const ParallelismSpec& p = s.parallel;
  out.add("parameters", parameterCount(s).total(), "count");
  out.add("model_flops_per_token", modelFlopsPerToken(s), "FLOP");
  out.add("hardware_flops_per_token", hardwareFlopsPerToken(s), "FLOP");
  out.add("tokens_per_step", static_cast<double>(s.tokensPerStep()), "count");
  out.add("micro_batches_per_step", s.microBatchesPerStep(), "count");
  out.add("packages", p.packages, "count");
  out.add("pipeline_bubble_fraction",
          PipelineSchedule::analyticBubble(p.pp, s.microBatchesPerStep(), p.vpp), "1");
  const MemoryFootprint f = peakMemoryFootprint(s);
  out.add("footprint_weights", f.weights.si(), "B");
  out.add("footprint_gradients", f.gradients.si(), "B");
  out.add("footprint_optimizer_state", f.optimizerState.si(), "B");
  out.add("footprint_activations", f.activations.si(), "B");
  out.add("footprint_total", f.total().si(), "B");
}

}  // namespace chipletsim
