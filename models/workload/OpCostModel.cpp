#include "workload/OpCostModel.h"

#include "common/Errors.h"

namespace chipletsim {

OpCostModel::OpCostModel(const ComputeSpec& spec, MemoryPath path)
    : m_spec(spec), m_gemm(spec, path), m_attention(spec, path), m_vector(spec, path) {}

OpCost OpCostModel::cost(const TrainingOp& op) const {
  OpCost c;
  switch (op.kind) {
    case OpKind::kGemm: {
      const GemmShape& g = op.gemm;
      const GemmKey key{g.m, g.n, g.k, g.batch, dtypeIndex(g.dtype), dtypeIndex(g.outDtype)};
      auto it = m_gemmCache.find(key);
      if (it == m_gemmCache.end()) it = m_gemmCache.emplace(key, m_gemm.estimate(g)).first;
      const GemmEstimate& e = it->second;
      c.time = e.time;
      c.bytesRead = e.bytesRead;
      c.bytesWritten = e.bytesWritten;
      c.tensorFlops = e.executedFlops;
      c.memoryBound = e.memoryBound;
      return c;
    }
    case OpKind::kAttention: {
      const AttentionEstimate e = op.attentionBackward
                                      ? m_attention.backward(op.attention, op.fusedAttention)
                                      : m_attention.forward(op.attention, op.fusedAttention);
      c.time = e.time;
      c.bytesRead = e.bytesRead;
      c.bytesWritten = e.bytesWritten;
      c.tensorFlops = e.tensorFlops;
      c.vectorFlops = e.vectorFlops;
      c.memoryBound = e.memoryBound;
      return c;
    }
    case OpKind::kVector: {
      const VectorOpEstimate e = m_vector.estimate(op.vector);
      c.time = e.time;
      c.bytesRead = op.vector.bytesRead;
      c.bytesWritten = op.vector.bytesWritten;
      c.vectorFlops = op.vector.flops;
      c.memoryBound = e.memoryBound;
      return c;
    }
    case OpKind::kCommunication:
      break;
  }
  throw InternalError("OpCostModel: communication op '" + op.name + "' has no compute cost");
}

Duration OpCostModel::computeTime(const TrainingStep& step) const {
  Duration total;
  for (const TrainingOp& op : step.ops)
    if (op.kind != OpKind::kCommunication) total += cost(op).time;
  return total;
}

}  // namespace chipletsim
