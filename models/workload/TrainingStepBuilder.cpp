#include "workload/TrainingStepBuilder.h"

#include <algorithm>
#include <map>

#include "common/Errors.h"
#include "workload/TransformerMath.h"

namespace chipletsim {

namespace {

constexpr Dtype kAct = Dtype::kBf16;  // activations and gradients between ops
constexpr double kActBytes = 2.0;
constexpr double kGradBytes = 2.0;  // bf16 gradients reduced over data parallel

// Operation counts per element (see VectorOpModel.h for the convention).
constexpr double kResidualFlops = 1.0;
constexpr double kRotaryFlops = 3.0;  // x cos + rotate(x) sin
// Each of these also takes one transcendental (exp or tanh) per element.
constexpr double kSwigluFlops = 4.0;  // sigmoid (add, divide), times x, times up
constexpr double kSwigluBackFlops = 8.0;
constexpr double kGeluFlops = 7.0;  // tanh approximation
constexpr double kGeluBackFlops = 10.0;
constexpr double kCrossEntropyFlops = 4.0;  // softmax over the vocabulary

/// `c` with one transcendental per output element of `elements`.
VectorOpCost withSpecial(VectorOpCost c, double elements) {
  c.special = elements;
  return c;
}

/// Emits ops into a step, keeping ids and dependencies straight.
class Emitter {
 public:
  Emitter(const TransformerSpec& s, Dtype layerDtype, int dies, TrainingStep& step)
      : m_s(s), m_dtype(layerDtype), m_step(step) {
    const ParallelismSpec& p = s.parallel;
    m_t = static_cast<std::int64_t>(p.tp) * dies;
    m_tokens = static_cast<std::int64_t>(s.microBatch) * s.seqLen / p.cp;
    m_spTokens = p.sequenceParallel ? m_tokens / m_t : m_tokens;
    m_kvLocal = std::max<std::int64_t>(1, s.kvHeads / m_t);
    m_tensor = {ParallelGroup::kTensor, static_cast<int>(m_t), 1, dies};
    m_context = {ParallelGroup::kContext, p.cp, p.tp, 1};
    m_data = {ParallelGroup::kData, p.dp * p.cp, p.tp, 1};  // gradients reduce over dp x cp
    m_pipe = {ParallelGroup::kPipeline, p.pp, p.tp * p.cp * p.dp, 1};
  }

  // Context of the ops emitted next.
  int layer = -1;
  int microBatch = -1;
  int chunk = 0;
  int slot = -1;
  OpPhase phase = OpPhase::kForward;

  int add(TrainingOp op, std::vector<int> deps) {
    op.id = static_cast<int>(m_step.ops.size());
    op.layer = layer;
    op.microBatch = microBatch;
    op.chunk = chunk;
    op.slot = slot;
    op.phase = phase;
    for (int d : deps)
      if (d >= 0) op.deps.push_back(d);
    m_step.ops.push_back(std::move(op));
    return static_cast<int>(m_step.ops.size()) - 1;
  }

  int gemm(const std::string& name, std::int64_t m, std::int64_t n, std::int64_t k, Dtype dt,
           double modelFlops, std::vector<int> deps) {
    TrainingOp op;
    op.name = name;
    op.kind = OpKind::kGemm;
    op.gemm.m = m;
    op.gemm.n = n;
    op.gemm.k = k;
    op.gemm.dtype = dt;
    op.gemm.outDtype = kAct;
    op.hardwareFlops = op.gemm.flops();
    op.modelFlops = phase == OpPhase::kRecompute ? 0.0 : modelFlops;
    return add(std::move(op), std::move(deps));
  }
  int gemm(const std::string& name, std::int64_t m, std::int64_t n, std::int64_t k, Dtype dt,
           std::vector<int> deps) {
    return gemm(name, m, n, k, dt, 2.0 * m * n * k, std::move(deps));
  }

  int vector(const std::string& name, const VectorOpCost& c, std::vector<int> deps) {
    TrainingOp op;
    op.name = name;
    op.kind = OpKind::kVector;
    op.vector = c;
    return add(std::move(op), std::move(deps));
  }

  int comm(const std::string& name, CollectiveKind kind, const CommGroup& g, double bytes,
           std::vector<int> deps, int peer = 0, bool receive = false) {
    if (g.size <= 1 && kind != CollectiveKind::kSendRecv) return deps.empty() ? -1 : deps.back();
    TrainingOp op;
    op.name = name;
    op.kind = OpKind::kCommunication;
    op.comm.kind = kind;
    op.comm.group = g;
    op.comm.bytes = bytes;
    op.comm.peerOffset = peer;
    op.comm.receive = receive;
    return add(std::move(op), std::move(deps));
  }

  int attention(const std::string& name, bool backward, std::vector<int> deps) {
    const ParallelismSpec& p = m_s.parallel;
    TrainingOp op;
    op.name = name;
    op.kind = OpKind::kAttention;
    op.attention.batch = m_s.microBatch;
    op.attention.heads = m_s.heads / m_t;
    op.attention.kvHeads = m_kvLocal;
    op.attention.seqQ = m_s.seqLen / p.cp;
    op.attention.seqKv = m_s.seqLen;
    op.attention.headDim = m_s.headDim();
    op.attention.causal = true;
    op.attention.dtype = kAct;
    op.attentionBackward = backward;
    op.fusedAttention = m_s.flashAttention;
    const double dense = op.attention.denseForwardFlops();
    op.modelFlops = phase == OpPhase::kRecompute ? 0.0 : (backward ? 2.0 : 1.0) * dense;
    op.hardwareFlops = (backward ? (m_s.flashAttention ? 2.5 : 2.0) : 1.0) * dense;
    return add(std::move(op), std::move(deps));
  }

  /// Forward of one transformer layer; returns the id of its last op.
  int layerForward(int in) {
    const std::int64_t h = m_s.hidden;
    const std::int64_t d = m_s.headDim();
    const std::int64_t qkvN = h / m_t + 2 * m_kvLocal * d;
    const double qkvModel = 2.0 * m_tokens * h * (h + 2.0 * m_s.kvHeads * d) / m_t;
    const bool rms = m_s.norm == NormKind::kRmsNorm;
    const std::string p =
        "l" + std::to_string(layer) + (phase == OpPhase::kRecompute ? ".rec." : ".fwd.");
    int x = in;
    if (gatherWeights()) x = std::max(x, weightGather(p + "fsdp_gather", in));
    x = vector(p + "norm1", VectorOpCost::norm(m_spTokens, h, rms, kAct), {x});
    x = tpGather(p + "sp_gather1", x);
    x = gemm(p + "qkv", m_tokens, qkvN, h, m_dtype, qkvModel, {x});
    if (m_s.position == PositionKind::kRotary)
      x = vector(
          p + "rotary",
          VectorOpCost::elementwise(m_tokens * (h / m_t + m_kvLocal * d), 1, 1, kRotaryFlops, kAct),
          {x});
    x = comm(p + "cp_gather_kv", CollectiveKind::kAllGather, m_context,
             kActBytes * 2.0 * m_kvLocal * d * m_tokens * m_s.parallel.cp, {x});
    x = attention(p + "attention", false, {x});
    x = gemm(p + "attn_out", m_tokens, h, h / m_t, m_dtype, {x});
    x = tpReduce(p + "tp_reduce1", x);
    x = vector(p + "residual1",
               VectorOpCost::elementwise(m_spTokens * h, 2, 1, kResidualFlops, kAct), {x});
    const int residual = x;
    x = vector(p + "norm2", VectorOpCost::norm(m_spTokens, h, rms, kAct), {x});
    x = tpGather(p + "sp_gather2", x);
    const bool gated = m_s.mlp == MlpKind::kGatedSilu;
    const std::int64_t f = m_s.ffn / m_t;
    x = gemm(p + "mlp_up", m_tokens, (gated ? 2 : 1) * f, h, m_dtype, {x});
    x = vector(p + (gated ? "swiglu" : "gelu"),
               withSpecial(VectorOpCost::elementwise(m_tokens * f, gated ? 2 : 1, 1,
                                                     gated ? kSwigluFlops : kGeluFlops, kAct),
                           static_cast<double>(m_tokens * f)),
               {x});
    x = gemm(p + "mlp_down", m_tokens, h, f, m_dtype, {x});
    x = tpReduce(p + "tp_reduce2", x);
    return vector(p + "residual2",
                  VectorOpCost::elementwise(m_spTokens * h, 2, 1, kResidualFlops, kAct),
                  {x, residual});
  }

  /// Backward of one layer; `grads` collects the ids of its weight-gradient GEMMs.
  int layerBackward(int in, std::vector<int>& grads) {
    const std::int64_t h = m_s.hidden;
    const std::int64_t d = m_s.headDim();
    const std::int64_t qkvN = h / m_t + 2 * m_kvLocal * d;
    const double qkvModel = 2.0 * m_tokens * h * (h + 2.0 * m_s.kvHeads * d) / m_t;
    const bool rms = m_s.norm == NormKind::kRmsNorm;
    const bool gated = m_s.mlp == MlpKind::kGatedSilu;
    const std::int64_t f = m_s.ffn / m_t;
    const std::string p = "l" + std::to_string(layer) + ".bwd.";
    int x = in;
    if (gatherWeights()) x = std::max(x, weightGather(p + "fsdp_gather", in));
    // MLP: the forward reduce's backward is a gather of the incoming gradient (SP only).
    x = tpGatherBackward(p + "sp_gather_dy2", x);
    const int downDx = gemm(p + "mlp_down.dx", m_tokens, f, h, m_dtype, {x});
    grads.push_back(gemm(p + "mlp_down.dw", f, h, m_tokens, m_dtype, {x}));
    x = vector(
        p + (gated ? "swiglu" : "gelu"),
        withSpecial(VectorOpCost::elementwise(m_tokens * f, gated ? 3 : 2, gated ? 2 : 1,
                                              gated ? kSwigluBackFlops : kGeluBackFlops, kAct),
                    static_cast<double>(m_tokens * f)),
        {downDx});
    const int upIn = tpGatherBackward(p + "sp_regather_x2", x);  // SP: input of dW again
    const int upDx = gemm(p + "mlp_up.dx", m_tokens, h, (gated ? 2 : 1) * f, m_dtype, {x});
    grads.push_back(gemm(p + "mlp_up.dw", h, (gated ? 2 : 1) * f, m_tokens, m_dtype, {upIn}));
    x = tpReduce(p + "tp_reduce_dx2", upDx);
    x = vector(p + "norm2", VectorOpCost::normBackward(m_spTokens, h, rms, kAct), {x});
    x = vector(p + "residual1",
               VectorOpCost::elementwise(m_spTokens * h, 2, 1, kResidualFlops, kAct), {x});
    // Attention block.
    x = tpGatherBackward(p + "sp_gather_dy1", x);
    const int outDx = gemm(p + "attn_out.dx", m_tokens, h / m_t, h, m_dtype, {x});
    grads.push_back(gemm(p + "attn_out.dw", h / m_t, h, m_tokens, m_dtype, {x}));
    x = outDx;
    if (m_s.recompute == Recompute::kSelective && !m_s.flashAttention) {
      const OpPhase saved = phase;
      phase = OpPhase::kRecompute;
      x = attention("l" + std::to_string(layer) + ".rec.attention", false, {x});
      phase = saved;
    }
    x = attention(p + "attention", true, {x});
    x = comm(p + "cp_reduce_dkv", CollectiveKind::kReduceScatter, m_context,
             kActBytes * 2.0 * m_kvLocal * d * m_tokens * m_s.parallel.cp, {x});
    if (m_s.position == PositionKind::kRotary)
      x = vector(
          p + "rotary",
          VectorOpCost::elementwise(m_tokens * (h / m_t + m_kvLocal * d), 1, 1, kRotaryFlops, kAct),
          {x});
    const int qkvIn = tpGatherBackward(p + "sp_regather_x1", x);
    const int qkvDx = gemm(p + "qkv.dx", m_tokens, h, qkvN, m_dtype, qkvModel, {x});
    grads.push_back(gemm(p + "qkv.dw", h, qkvN, m_tokens, m_dtype, qkvModel, {qkvIn}));
    x = tpReduce(p + "tp_reduce_dx1", qkvDx);
    x = vector(p + "norm1", VectorOpCost::normBackward(m_spTokens, h, rms, kAct), {x});
    return vector(p + "residual0",
                  VectorOpCost::elementwise(m_spTokens * h, 2, 1, kResidualFlops, kAct), {x});
  }

  int embeddingForward(int in) {
    const std::int64_t h = m_s.hidden;
    int x =
        vector("embed.fwd.lookup", VectorOpCost::elementwise(m_tokens * h, 1, 1, 0.0, kAct), {in});
    if (m_s.position == PositionKind::kLearned)
      x = vector("embed.fwd.position", VectorOpCost::elementwise(m_tokens * h, 2, 1, 1.0, kAct),
                 {x});
    return tpReduce("embed.fwd.tp_reduce", x);  // vocab-parallel table
  }

  int embeddingBackward(int in, std::vector<int>& grads) {
    const std::int64_t h = m_s.hidden;
    const int x = tpGatherBackward("embed.bwd.sp_gather", in);
    grads.push_back(vector("embed.bwd.scatter_add",
                           VectorOpCost::elementwise(m_tokens * h, 2, 1, 1.0, kAct), {x}));
    return grads.back();
  }

  int headForward(int in) {
    const std::int64_t h = m_s.hidden;
    const bool rms = m_s.norm == NormKind::kRmsNorm;
    int x = vector("head.fwd.final_norm", VectorOpCost::norm(m_spTokens, h, rms, kAct), {in});
    x = tpGather("head.fwd.sp_gather", x);
    x = gemm("head.fwd.logits", m_tokens, m_s.vocab / m_t, h, kAct, {x});
    x = vector("head.fwd.cross_entropy",
               withSpecial(VectorOpCost::elementwise(m_tokens * (m_s.vocab / m_t), 1, 0,
                                                     kCrossEntropyFlops, Dtype::kFp32),
                           static_cast<double>(m_tokens * (m_s.vocab / m_t))),
               {x});
    // Vocab-parallel cross-entropy: all-reduce of the row max and of the row sum (fp32).
    x = comm("head.fwd.tp_reduce_max", CollectiveKind::kAllReduce, m_tensor, 4.0 * m_tokens, {x});
    return comm("head.fwd.tp_reduce_sum", CollectiveKind::kAllReduce, m_tensor, 4.0 * m_tokens,
                {x});
  }

  int headBackward(int in, std::vector<int>& grads) {
    const std::int64_t h = m_s.hidden;
    const std::int64_t v = m_s.vocab / m_t;
    const bool rms = m_s.norm == NormKind::kRmsNorm;
    int x =
        vector("head.bwd.dlogits", VectorOpCost::elementwise(m_tokens * v, 1, 1, 2.0, kAct), {in});
    const int dx = gemm("head.bwd.logits.dx", m_tokens, h, v, kAct, {x});
    grads.push_back(gemm("head.bwd.logits.dw", v, h, m_tokens, kAct, {x}));
    x = tpReduce("head.bwd.tp_reduce_dx", dx);
    return vector("head.bwd.final_norm", VectorOpCost::normBackward(m_spTokens, h, rms, kAct), {x});
  }

  int pipeRecv(const std::string& name, int peer, std::vector<int> deps) {
    return comm(name, CollectiveKind::kSendRecv, m_pipe, pipeBytes(), std::move(deps), peer, true);
  }
  int pipeSend(const std::string& name, int peer, std::vector<int> deps) {
    return comm(name, CollectiveKind::kSendRecv, m_pipe, pipeBytes(), std::move(deps), peer, false);
  }

  /// Gradient reduction over data parallel of `params` local parameters.
  int gradSync(const std::string& name, double params, std::vector<int> deps) {
    const bool sharded = m_s.parallel.sharding != DataSharding::kNone;
    return comm(name, sharded ? CollectiveKind::kReduceScatter : CollectiveKind::kAllReduce, m_data,
                params * kGradBytes, std::move(deps));
  }

  const CommGroup& dataGroup() const { return m_data; }
  const CommGroup& pipeGroup() const { return m_pipe; }
  std::int64_t tokens() const { return m_tokens; }

  bool gatherWeights() const {
    const DataSharding z = m_s.parallel.sharding;
    return (z == DataSharding::kZero3 || z == DataSharding::kFsdp) && m_data.size > 1;
  }

 private:
  double pipeBytes() const { return kActBytes * m_spTokens * m_s.hidden; }

  int weightGather(const std::string& name, int prefetchAfter) {
    const ParameterCount pc = parameterCount(m_s);
    const double bytes = pc.perLayer() / m_t * bytesPerParameter(m_s.precision).weights;
    return comm(name, CollectiveKind::kAllGather, m_data, bytes, {prefetchAfter});
  }
  // Entering a TP region: with SP an all-gather of the sequence shards, else nothing.
  int tpGather(const std::string& name, int x) {
    if (!m_s.parallel.sequenceParallel) return x;
    return comm(name, CollectiveKind::kAllGather, m_tensor, kActBytes * m_tokens * m_s.hidden, {x});
  }
  // Leaving a TP region: all-reduce of the partial sums, or reduce-scatter with SP.
  int tpReduce(const std::string& name, int x) {
    return comm(
        name,
        m_s.parallel.sequenceParallel ? CollectiveKind::kReduceScatter : CollectiveKind::kAllReduce,
        m_tensor, kActBytes * m_tokens * m_s.hidden, {x});
  }
  // Backward of a forward reduce-scatter (SP): all-gather of the gradient.
  int tpGatherBackward(const std::string& name, int x) { return tpGather(name, x); }

  const TransformerSpec& m_s;
  Dtype m_dtype;
  TrainingStep& m_step;
  std::int64_t m_t = 1;
  std::int64_t m_tokens = 0;
  std::int64_t m_spTokens = 0;
  std::int64_t m_kvLocal = 1;
  CommGroup m_tensor;
  CommGroup m_context;
  CommGroup m_data;
  CommGroup m_pipe;
};

}  // namespace

double TrainingStep::modelFlops() const {
  double f = 0.0;
  for (const TrainingOp& op : ops) f += op.modelFlops;
  return f;
}

double TrainingStep::hardwareFlops() const {
  double f = 0.0;
  for (const TrainingOp& op : ops) f += op.hardwareFlops;
  return f;
}

double TrainingStep::commBytes(ParallelGroup g) const {
  double b = 0.0;
  for (const TrainingOp& op : ops)
    if (op.kind == OpKind::kCommunication && op.comm.group.kind == g) b += op.comm.bytes;
  return b;
}

TrainingStepBuilder::TrainingStepBuilder(const TransformerSpec& spec, int diesPerPackage)
    : m_spec(spec), m_dies(diesPerPackage) {
  m_spec.validate();
  const int t = m_spec.parallel.tp * m_dies;
  if (m_dies < 1) throw SpecError("training step: dies per package must be at least 1");
  if (m_spec.heads % t != 0 || m_spec.ffn % t != 0 ||
      (m_spec.kvHeads % t != 0 && t % m_spec.kvHeads != 0))
    throw SpecError("training step: heads, kv_heads and ffn of '" + m_spec.name +
                    "' do not split over tp x dies = " + std::to_string(t));
  if (m_spec.parallel.sequenceParallel && (m_spec.seqLen / m_spec.parallel.cp) % t != 0)
    throw SpecError(
        "training step: sequence parallelism needs seq_len / cp divisible by tp x dies");
}

Dtype TrainingStepBuilder::layerDtype() const {
  return m_spec.precision == TrainingPrecision::kFp8 ? Dtype::kFp8 : Dtype::kBf16;
}

TrainingStep TrainingStepBuilder::build(int stage) const {
  const TransformerSpec& s = m_spec;
  const ParallelismSpec& par = s.parallel;
  if (stage < 0 || stage >= par.pp) throw SpecError("training step: stage out of range");
  const int m = s.microBatchesPerStep();
  TrainingStep step{
      stage, m_dies, {}, PipelineSchedule(par.schedule, par.pp, m, par.vpp), s.tokensPerStep()};
  Emitter e(s, layerDtype(), m_dies, step);

  // Global layer indices of each chunk of this stage.
  const int virtualStages = par.pp * par.vpp;
  std::vector<int> firstLayer(static_cast<std::size_t>(par.vpp));
  std::vector<int> layerCount(static_cast<std::size_t>(par.vpp));
  for (int c = 0; c < par.vpp; ++c) {
    if (par.vpp == 1) {
      int first = 0;
      for (int st = 0; st < stage; ++st) first += s.layersOnStage(st);
      firstLayer[0] = first;
      layerCount[0] = s.layersOnStage(stage);
    } else {
      const int per = s.layers / virtualStages;
      firstLayer[static_cast<std::size_t>(c)] = (c * par.pp + stage) * per;
      layerCount[static_cast<std::size_t>(c)] = per;
    }
  }

  const ParameterCount pc = parameterCount(s);
  const double t = static_cast<double>(par.tp) * m_dies;
  const double layerParams = pc.perLayer() / t;
  std::map<int, std::vector<int>> lastGrads;  // layer (-1 embedding, -2 head) -> dW op ids
  std::vector<int> syncs;
  int prev = -1;  // last compute op of this package's stream
  const auto& order = step.schedule.order(stage);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const PipelineSlot& sl = order[i];
    const int vs = sl.chunk * par.pp + stage;
    const bool firstVs = vs == 0;
    const bool lastVs = vs == virtualStages - 1;
    const int first = firstLayer[static_cast<std::size_t>(sl.chunk)];
    const int count = layerCount[static_cast<std::size_t>(sl.chunk)];
    e.microBatch = sl.microBatch;
    e.chunk = sl.chunk;
    e.slot = static_cast<int>(i);
    e.layer = -1;
    const bool lastMicroBatch = sl.microBatch == m - 1;
    const std::string mb = ".mb" + std::to_string(sl.microBatch);
    if (sl.forward) {
      e.phase = OpPhase::kForward;
      int x = prev;
      if (!firstVs) x = e.pipeRecv("pp.recv_act" + mb, -1, {prev});
      if (firstVs) x = e.embeddingForward(x);
      for (int l = first; l < first + count; ++l) {
        e.layer = l;
        x = e.layerForward(x);
      }
      e.layer = -1;
      if (lastVs)
        x = e.headForward(x);
      else
        e.pipeSend("pp.send_act" + mb, +1, {x});
      prev = x;
    } else {
      e.phase = OpPhase::kBackward;
      int x = prev;
      std::vector<int> grads;
      if (!lastVs) x = e.pipeRecv("pp.recv_grad" + mb, +1, {prev});
      if (lastVs) {
        x = e.headBackward(x, grads);
        lastGrads[-2] = grads;
      }
      for (int l = first + count - 1; l >= first; --l) {
        e.layer = l;
        if (s.recompute == Recompute::kFull) {
          e.phase = OpPhase::kRecompute;
          x = e.layerForward(x);
          e.phase = OpPhase::kBackward;
        }
        grads.clear();
        x = e.layerBackward(x, grads);
        lastGrads[l] = grads;
        // ZeRO-3 / FSDP reduce-scatter every micro-batch; otherwise once, after the last.
        if (e.gatherWeights() || lastMicroBatch) {
          e.phase = OpPhase::kGradientSync;
          syncs.push_back(
              e.gradSync("dp.grad_sync.l" + std::to_string(l) + mb, layerParams, grads));
          e.phase = OpPhase::kBackward;
        }
      }
      e.layer = -1;
      if (firstVs) {
        grads.clear();
        x = e.embeddingBackward(x, grads);
        lastGrads[-1] = grads;
      } else {
        e.pipeSend("pp.send_grad" + mb, -1, {x});
      }
      if (lastMicroBatch && (firstVs || lastVs)) {
        e.phase = OpPhase::kGradientSync;
        if (firstVs)
          syncs.push_back(
              e.gradSync("dp.grad_sync.embed", (pc.embedding + pc.position) / t, lastGrads[-1]));
        if (lastVs)
          syncs.push_back(
              e.gradSync("dp.grad_sync.head", (pc.outputHead + pc.finalNorm) / t, lastGrads[-2]));
        if (pc.outputHead == 0.0 && par.pp > 1)  // tied embedding: first and last stage agree
          syncs.push_back(e.comm("pp.tied_embedding_sync", CollectiveKind::kAllReduce,
                                 CommGroup{ParallelGroup::kPipeline, 2, e.pipeGroup().stride},
                                 pc.embedding / t * kGradBytes, {x}));
        e.phase = OpPhase::kBackward;
      }
      prev = x;
    }
  }

  // Optimizer: Adam over this package's shard, after every gradient reduction.
  e.microBatch = -1;
  e.layer = -1;
  e.slot = -1;
  e.chunk = 0;
  e.phase = OpPhase::kOptimizer;
  double params = 0.0;
  for (int c = 0; c < par.vpp; ++c) params += layerCount[static_cast<std::size_t>(c)] * layerParams;
  if (stage == 0) params += (pc.embedding + pc.position) / t;
  if (stage == par.pp - 1) params += (pc.outputHead + pc.finalNorm) / t;
  const bool sharded = par.sharding != DataSharding::kNone && e.dataGroup().size > 1;
  const double shard = sharded ? params / e.dataGroup().size : params;
  const bool fp8 = s.precision == TrainingPrecision::kFp8;
  std::vector<int> deps = syncs;
  deps.push_back(prev);
  const int update =
      e.vector("optimizer.adam",
               VectorOpCost::adam(shard, Dtype::kBf16, fp8 ? Dtype::kBf16 : Dtype::kFp32,
                                  fp8 ? Dtype::kFp8 : Dtype::kBf16),
               deps);
  // ZeRO-1/2: every replica gathers the updated weights (ZeRO-3/FSDP gather per layer).
  if (sharded && !e.gatherWeights())
    e.comm("dp.param_gather", CollectiveKind::kAllGather, e.dataGroup(),
           params * bytesPerParameter(s.precision).weights, {update});
  return step;
}

}  // namespace chipletsim
