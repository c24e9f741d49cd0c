#pragma once
// Workload kind `training`: one training step of a decoder-only transformer on the
// platform's package (TransformerConfig.h describes the model/batch/training/parallel
// sections), plus:
//
//   mapping: unified              # unified | partitioned (how a package's dies share a layer)
//   collective_algorithm: ring    # ring | tree (across packages; in-package is a ring)
//
// The platform must have at least one `compute_chiplet` whose `mem` port reaches HBM stacks
// (directly or through a `noc`; a noc endpoint whose `_out` port leads to a `d2d_link` is the
// way to another die's stacks), and `network` instances (level scale_up / scale_out) when the
// job spans packages. A model whose footprint exceeds the package's HBM capacity is a
// ConfigError naming both.
//
// Metrics (DESIGN.md): step_time_s, tokens_per_s, tokens_per_s_per_package,
// model_flops_per_token, achieved_flops, mfu, hfu, breakdown_s {compute, hbm_bound,
// d2d_bound, exposed_comm, pipeline_bubble, idle}, energy_j_per_step, energy_j_per_token,
// memory_footprint_bytes, and groups utilisation, energy_j_by_component, footprint_bytes.

#include <memory>

#include "Workload.h"
#include "config/Node.h"

namespace chipletsim {

/// Kind `training`.
std::unique_ptr<WorkloadSpec> decodeTrainingWorkload(const config::Node& root);
/// Registry entry for WorkloadKinds.cpp.
WorkloadKind trainingKind();

}  // namespace chipletsim
