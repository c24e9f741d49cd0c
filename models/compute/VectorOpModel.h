#pragma once
// Bytes and FLOPs of the vector-engine operations of a transformer (elementwise, reductions,
// softmax, layer/RMS norm, the Adam update) and their time on one chiplet: a streaming
// operation runs at max(FLOP / vector peak + transcendentals / special-function peak,
// bytes / memory bandwidth) plus one memory latency.
// FLOP counts are operation counts of the textbook algorithm, stated at each function.

#include <cstdint>

#include "common/Units.h"
#include "compute/ComputeSpec.h"
#include "compute/Dtype.h"

namespace chipletsim {

/// What one vector operation costs, independent of the machine.
struct VectorOpCost {
  double flops = 0.0;         // arithmetic FLOP on the vector engines
  double bytesRead = 0.0;     // from memory
  double bytesWritten = 0.0;  // to memory
  double special = 0.0;       // transcendental operations (exp, tanh, rsqrt, sqrt)

  double bytes() const { return bytesRead + bytesWritten; }
  VectorOpCost operator+(const VectorOpCost& o) const {
    return {flops + o.flops, bytesRead + o.bytesRead, bytesWritten + o.bytesWritten,
            special + o.special};
  }

  /// `elements` outputs each computed from `inputs` tensors with `flopsPerElement` FLOP.
  static VectorOpCost elementwise(double elements, int inputs, int outputs, double flopsPerElement,
                                  Dtype dtype);
  /// Softmax over `rows` rows of `cols`: max, subtract, sum, divide = 4 FLOP and one exp per
  /// element.
  static VectorOpCost softmax(double rows, double cols, Dtype dtype);
  /// Softmax backward: dX = Y (dY - sum(dY Y)): 4 FLOP/element, reads Y and dY, writes dX.
  static VectorOpCost softmaxBackward(double rows, double cols, Dtype dtype);
  /// LayerNorm forward (mean 1, variance 3, normalise 2, scale and shift 2 = 8 FLOP/element)
  /// or RMSNorm (square-accumulate 2, normalise 1, scale 1 = 4 FLOP/element).
  static VectorOpCost norm(double rows, double cols, bool rms, Dtype dtype);
  /// Norm backward: about twice the forward FLOP; reads x and dy, writes dx.
  static VectorOpCost normBackward(double rows, double cols, bool rms, Dtype dtype);
  /// Sum of `elements` values into `outputs` values (1 FLOP per input element).
  static VectorOpCost reduction(double elements, double outputs, Dtype dtype);
  /// Adam with fp32 state for `params` parameters: first moment 3, second moment 4, bias
  /// corrections 2, epsilon 1, divide 1, learning rate 1, weight decay 2, update 1 =
  /// 15 FLOP and one sqrt per parameter. Reads gradient, master weight, m and v; writes master, m,
  /// v and the working copy of the weights (`weightDtype`).
  static VectorOpCost adam(double params, Dtype gradDtype, Dtype masterDtype, Dtype weightDtype);
};

struct VectorOpEstimate {
  Duration time;
  Duration mathTime;
  Duration memoryTime;
  bool memoryBound = false;
};

class VectorOpModel {
 public:
  VectorOpModel(const ComputeSpec& spec, MemoryPath path);
  /// Time of `cost` streamed through all vector engines.
  VectorOpEstimate estimate(const VectorOpCost& cost) const;

 private:
  ComputeSpec m_spec;
  MemoryPath m_path;
  Bandwidth m_bandwidth;
};

}  // namespace chipletsim
