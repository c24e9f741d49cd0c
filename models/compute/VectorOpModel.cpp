#include "compute/VectorOpModel.h"

#include <algorithm>

#include "common/Errors.h"

namespace chipletsim {

VectorOpCost VectorOpCost::elementwise(double elements, int inputs, int outputs,
                                       double flopsPerElement, Dtype dtype) {
  const double e = bytesPerElement(dtype);
  return {elements * flopsPerElement, elements * inputs * e, elements * outputs * e};
}

VectorOpCost VectorOpCost::softmax(double rows, double cols, Dtype dtype) {
  VectorOpCost c = elementwise(rows * cols, 1, 1, 4.0, dtype);
  c.special = rows * cols;
  return c;
}

VectorOpCost VectorOpCost::softmaxBackward(double rows, double cols, Dtype dtype) {
  return elementwise(rows * cols, 2, 1, 4.0, dtype);
}

VectorOpCost VectorOpCost::norm(double rows, double cols, bool rms, Dtype dtype) {
  VectorOpCost c = elementwise(rows * cols, 1, 1, rms ? 4.0 : 8.0, dtype);
  c.special = rows;                                                  // one rsqrt per row
  c.bytesRead += cols * bytesPerElement(dtype) * (rms ? 1.0 : 2.0);  // gain (and bias)
  return c;
}

VectorOpCost VectorOpCost::normBackward(double rows, double cols, bool rms, Dtype dtype) {
  VectorOpCost c = elementwise(rows * cols, 2, 1, rms ? 8.0 : 16.0, dtype);
  c.bytesWritten += cols * 4.0 * (rms ? 1.0 : 2.0);  // fp32 gain (and bias) gradients
  return c;
}

VectorOpCost VectorOpCost::reduction(double elements, double outputs, Dtype dtype) {
  const double e = bytesPerElement(dtype);
  return {elements, elements * e, outputs * e};
}

VectorOpCost VectorOpCost::adam(double params, Dtype gradDtype, Dtype masterDtype,
                                Dtype weightDtype) {
  constexpr double kStateBytes = 4.0;  // fp32 first and second moments
  const double master = bytesPerElement(masterDtype);
  const double read = bytesPerElement(gradDtype) + master + 2.0 * kStateBytes;
  const double written = master + 2.0 * kStateBytes + bytesPerElement(weightDtype);
  return {15.0 * params, read * params, written * params, params};
}

VectorOpModel::VectorOpModel(const ComputeSpec& spec, MemoryPath path)
    : m_spec(spec), m_path(path), m_bandwidth(spec.effectiveBandwidth(path)) {
  m_spec.validate();
  if (m_bandwidth.si() <= 0.0) throw SpecError("vector model: memory bandwidth must be positive");
}

VectorOpEstimate VectorOpModel::estimate(const VectorOpCost& cost) const {
  VectorOpEstimate r;
  r.mathTime = Duration(cost.flops / m_spec.peakVectorFlops().si() +
                        cost.special / m_spec.peakSpecialOps().si());
  r.memoryTime = Duration(cost.bytes() / m_bandwidth.si());
  r.memoryBound = r.memoryTime > r.mathTime;
  const double latency =
      cost.bytes() > 0.0 || cost.flops > 0.0 || cost.special > 0.0 ? m_path.latency.si() : 0.0;
  r.time = Duration(std::max(r.mathTime.si(), r.memoryTime.si()) + latency);
  return r;
}

}  // namespace chipletsim
