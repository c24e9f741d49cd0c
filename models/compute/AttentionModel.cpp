#include "compute/AttentionModel.h"

#include <algorithm>
#include <cmath>

#include "common/Errors.h"

namespace chipletsim {

namespace {

std::int64_t ceilDiv(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

// Vector FLOP per score element, besides one exp each. Forward: scale 1 + online softmax
// (max 1, subtract 1, sum 1, rescale of the running output amortised ~1) = 5. Backward:
// recompute P = exp(S - lse) (scale 1, subtract 1) and dS = P (dP - D) (subtract 1,
// multiply 1) = 4.
constexpr double kFusedForwardVectorFlops = 5.0;
constexpr double kFusedBackwardVectorFlops = 4.0;
constexpr double kStatBytes = 4.0;  // fp32 log-sum-exp and D = rowsum(dO * O) per row

void addEstimate(AttentionEstimate& r, const GemmEstimate& g) {
  r.tensorFlops += g.executedFlops;
  r.bytesRead += g.bytesRead;
  r.bytesWritten += g.bytesWritten;
  r.mathTime += g.mathTime;
  r.memoryTime += g.memoryTime;
  r.time += g.time;
}

void addEstimate(AttentionEstimate& r, const VectorOpCost& c, const VectorOpEstimate& v) {
  r.vectorFlops += c.flops;
  r.bytesRead += c.bytesRead;
  r.bytesWritten += c.bytesWritten;
  r.mathTime += v.mathTime;
  r.memoryTime += v.memoryTime;
  r.time += v.time;
}

}  // namespace

AttentionModel::AttentionModel(const ComputeSpec& spec, MemoryPath path)
    : m_spec(spec),
      m_path(path),
      m_bandwidth(spec.effectiveBandwidth(path)),
      m_gemm(spec, path),
      m_vector(spec, path) {}

AttentionEstimate AttentionModel::forward(const AttentionShape& s, bool fusedKernel) const {
  return fusedKernel ? fused(s, false) : unfused(s, false);
}

AttentionEstimate AttentionModel::backward(const AttentionShape& s, bool fusedKernel) const {
  return fusedKernel ? fused(s, true) : unfused(s, true);
}

std::pair<int, int> AttentionModel::fusedBlocks(std::int64_t headDim, Dtype dtype) const {
  const double e = bytesPerElement(dtype);
  const double d = static_cast<double>(headDim);
  const bool separateAcc = m_spec.accumulatorPerEngine.si() > 0.0;
  constexpr int kBlocks[] = {256, 128, 64, 32, 16};
  for (int br : kBlocks)
    for (int bc : kBlocks) {
      if (bc > br) continue;
      // Q block, double-buffered K and V blocks; fp32 S block and O accumulator.
      const double operands = br * d * e + 2.0 * 2.0 * bc * d * e;
      const double acc = br * static_cast<double>(bc) * 4.0 + br * d * 4.0;
      const bool ok = separateAcc ? operands <= m_spec.sramPerEngine.si() &&
                                        acc <= m_spec.accumulatorPerEngine.si()
                                  : operands + acc <= m_spec.sramPerEngine.si();
      if (ok) return {br, bc};
    }
  throw SpecError("attention model: no flash block of head size " + std::to_string(headDim) +
                  " fits the engine SRAM");
}

AttentionEstimate AttentionModel::fused(const AttentionShape& s, bool backward) const {
  if (s.heads % s.kvHeads != 0) throw SpecError("attention model: heads % kv_heads != 0");
  const double flopPerCycle =
      m_spec.tensorFlopsPerCycle[static_cast<std::size_t>(dtypeIndex(s.dtype))];
  if (flopPerCycle <= 0.0)
    throw SpecError("attention model: tensor engines do not support " + dtypeName(s.dtype));
  const auto [br, bc] = fusedBlocks(s.headDim, s.dtype);
  const double e = bytesPerElement(s.dtype);
  const double d = static_cast<double>(s.headDim);
  const std::int64_t nq = ceilDiv(s.seqQ, br);
  const std::int64_t nkv = ceilDiv(s.seqKv, bc);
  const std::int64_t offset = s.seqKv - s.seqQ;  // queries are the last seqQ positions

  // Blocks visited per (batch, head): all, or those at or below the causal diagonal.
  double visits = 0.0;
  for (std::int64_t i = 0; i < nq; ++i) {
    const std::int64_t lastKey = std::min<std::int64_t>(s.seqKv, (i + 1) * br + offset);
    visits += s.causal ? static_cast<double>(std::max<std::int64_t>(1, ceilDiv(lastKey, bc)))
                       : static_cast<double>(nkv);
  }
  const double heads = static_cast<double>(s.batch) * s.heads;

  // One visit = one Br x Bc block: forward QK^T and PV (2 matmuls), backward recompute QK^T,
  // dV, dP, dQ, dK (5 matmuls). The softmax of the block sits between its matmuls, so within
  // an engine the vector work serialises with the tensor work.
  const double edgeR = std::max(br, m_spec.tensorTileEdge);
  const double edgeC = std::max(bc, m_spec.tensorTileEdge);
  const double matmuls = backward ? 5.0 : 2.0;
  const double tensorPerVisit = matmuls * 2.0 * edgeR * edgeC * d;
  const double vectorPerVisit =
      (backward ? kFusedBackwardVectorFlops : kFusedForwardVectorFlops) * br * bc;
  const double specialPerVisit = static_cast<double>(br) * bc;  // one exp per score
  // Vector and special-function rates available to one tensor engine's work unit.
  const double vectorRate = m_spec.peakVectorFlops().si() / m_spec.tensorEngines;
  const double specialRate = m_spec.peakSpecialOps().si() / m_spec.tensorEngines;
  const double visitTime = tensorPerVisit * m_spec.tensorSecondsPerFlop(s.dtype) +
                           vectorPerVisit / vectorRate + specialPerVisit / specialRate;

  // Units: forward one query block of one head; backward one key block of one head.
  const std::int64_t units = static_cast<std::int64_t>(heads) * (backward ? nkv : nq);
  const double visitsPerUnit = visits * heads / units;
  const std::int64_t waves = ceilDiv(units, m_spec.tensorEngines);
  const double math = waves * visitsPerUnit * visitTime;

  // Memory. The streamed operand (K,V forward; Q, dO, dQ backward) of one head is read from
  // memory once when the heads active in one wave fit the shared SRAM, else once per visit.
  const double qkvoRow = d * e;
  const double perHeadQ = static_cast<double>(s.seqQ) * qkvoRow;
  const double perKvHeadKv = 2.0 * static_cast<double>(s.seqKv) * qkvoRow;
  AttentionEstimate r;
  const double unitsPerHead = static_cast<double>(units) / heads;
  const double activeHeads =
      std::ceil(std::min<double>(units, m_spec.tensorEngines) / unitsPerHead);
  if (!backward) {
    const double kvResident = activeHeads * perKvHeadKv;
    const bool reuse = kvResident <= m_spec.sharedSram.si();
    const double kvBytes = reuse ? static_cast<double>(s.batch) * s.kvHeads * perKvHeadKv
                                 : visits * heads * 2.0 * bc * qkvoRow;
    r.bytesRead = heads * perHeadQ + kvBytes;
    r.bytesWritten = heads * (perHeadQ + s.seqQ * kStatBytes);  // O and log-sum-exp
  } else {
    // Q, dO (bf16) and the fp32 dQ accumulator of one head stream past each key block.
    const double perHeadStream = s.seqQ * (2.0 * qkvoRow + d * 4.0 + 2.0 * kStatBytes);
    const bool reuse = activeHeads * perHeadStream <= m_spec.sharedSram.si();
    const double streamBytes =
        reuse ? heads * perHeadStream : visits * heads * br * (2.0 * qkvoRow + 2.0 * d * 4.0);
    // K and V read once per key block; O and dO read once more for D = rowsum(dO * O).
    r.bytesRead = static_cast<double>(s.batch) * s.kvHeads * perKvHeadKv + streamBytes +
                  heads * 2.0 * perHeadQ;
    // dQ (bf16), dK and dV (per query head before the GQA group sum) and D.
    r.bytesWritten = heads * (perHeadQ + 2.0 * s.seqKv * qkvoRow + s.seqQ * kStatBytes);
  }
  r.tensorFlops = visits * heads * tensorPerVisit;
  r.vectorFlops = visits * heads * (vectorPerVisit + specialPerVisit);
  r.mathTime = Duration(math);
  r.memoryTime = Duration((r.bytesRead + r.bytesWritten) / m_bandwidth.si());
  r.memoryBound = r.memoryTime > r.mathTime;
  const double fill = m_path.latency.si() + std::min<double>(units, m_spec.tensorEngines) * br *
                                                qkvoRow / m_bandwidth.si();
  r.time = Duration(std::max(math, r.memoryTime.si()) + fill);
  return r;
}

AttentionEstimate AttentionModel::unfused(const AttentionShape& s, bool backward) const {
  const std::int64_t bh = s.batch * s.heads;
  const double rows = static_cast<double>(bh) * s.seqQ;
  auto gemm = [&](std::int64_t m, std::int64_t n, std::int64_t k) {
    GemmShape g;
    g.m = m;
    g.n = n;
    g.k = k;
    g.batch = bh;
    g.dtype = s.dtype;
    g.outDtype = s.dtype;
    return m_gemm.estimate(g);
  };
  AttentionEstimate r;
  if (!backward) {
    addEstimate(r, gemm(s.seqQ, s.seqKv, s.headDim));  // S = Q K^T
    const auto c = VectorOpCost::softmax(rows, static_cast<double>(s.seqKv), s.dtype);
    addEstimate(r, c, m_vector.estimate(c));           // P = softmax(S)
    addEstimate(r, gemm(s.seqQ, s.headDim, s.seqKv));  // O = P V
  } else {
    addEstimate(r, gemm(s.seqQ, s.seqKv, s.headDim));  // dP = dO V^T
    addEstimate(r, gemm(s.seqKv, s.headDim, s.seqQ));  // dV = P^T dO
    const auto c = VectorOpCost::softmaxBackward(rows, static_cast<double>(s.seqKv), s.dtype);
    addEstimate(r, c, m_vector.estimate(c));           // dS
    addEstimate(r, gemm(s.seqQ, s.headDim, s.seqKv));  // dQ = dS K
    addEstimate(r, gemm(s.seqKv, s.headDim, s.seqQ));  // dK = dS^T Q
  }
  r.memoryBound = r.memoryTime > r.mathTime;
  return r;
}

}  // namespace chipletsim
