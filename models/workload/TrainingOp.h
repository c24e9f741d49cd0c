#pragma once
// One operation of a training step on one package, as emitted by TrainingStepBuilder and
// consumed by the training driver: a GEMM, an attention core, a vector-engine op or a
// communication op, with the ids of the ops it must wait for. Exactly the fields of its
// kind are meaningful. Shapes are per package, after tensor / sequence / context sharding.

#include <string>
#include <vector>

#include "compute/AttentionModel.h"
#include "compute/GemmModel.h"
#include "compute/VectorOpModel.h"
#include "workload/CollectiveCost.h"

namespace chipletsim {

enum class OpKind { kGemm, kAttention, kVector, kCommunication };
enum class OpPhase { kForward, kBackward, kRecompute, kGradientSync, kOptimizer };

/// Which parallel dimension a communication runs over. Ranks are numbered with tp innermost,
/// then cp, dp, pp (Megatron's order), so a group's members are `stride` ranks apart: the
/// driver maps that onto the in-package fabric, the scale-up or the scale-out network.
enum class ParallelGroup { kTensor, kContext, kData, kPipeline };

struct CommGroup {
  ParallelGroup kind = ParallelGroup::kTensor;
  int size = 1;    // ranks (packages) in the group
  int stride = 1;  // global rank distance between neighbouring members
  // Consecutive members that sit in one package: the dies of a partitioned package for the
  // tensor group (their traffic rides the D2D links), 1 otherwise.
  int perPackage = 1;
};

struct CommOp {
  CollectiveKind kind = CollectiveKind::kAllReduce;
  CommGroup group;
  double bytes = 0.0;    // per-rank buffer, as collectiveCost() defines it
  int peerOffset = 0;    // send/recv only: +1 next pipeline stage, -1 previous
  bool receive = false;  // send/recv only: this package receives (waits for its peer)
};

struct TrainingOp {
  int id = 0;
  std::string name;  // "l3.fwd.qkv", "l3.bwd.mlp_down.dw", "dp.grad_sync.l3", ...
  OpKind kind = OpKind::kGemm;
  OpPhase phase = OpPhase::kForward;
  int layer = -1;       // global layer index, -1 for embedding / head / optimizer
  int microBatch = -1;  // -1 for once-per-step ops
  int chunk = 0;        // model chunk (virtual stage) of this package
  int slot = -1;        // index into the pipeline schedule order of this stage, -1 if none

  GemmShape gemm;            // kGemm
  AttentionShape attention;  // kAttention
  bool attentionBackward = false;
  bool fusedAttention = true;
  VectorOpCost vector;  // kVector
  CommOp comm;          // kCommunication

  double modelFlops = 0.0;     // FLOP counted by MFU (PaLM convention; 0 for recomputation)
  double hardwareFlops = 0.0;  // FLOP counted by HFU (includes recomputation)
  std::vector<int> deps;       // ids of earlier ops that must finish first
};

}  // namespace chipletsim
