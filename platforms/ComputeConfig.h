#pragma once
// Decoder of kind `compute_chiplet` (presets in configs/compute/):
//
//   die0:
//     kind: compute_chiplet
//     preset: gh100                  # engines, SRAM, DMA, clock, energy
//     dma_chunk: "1 MiB"             # simulation transfer granularity (one stripe set)
//
// Keys: clock, tensor_engines, tensor_flops_per_cycle {fp32, tf32, bf16, fp16, fp8, fp4},
// tensor_tile_edge, vector_engines, vector_flops_per_cycle, vector_special_per_cycle,
// sram_per_engine, sram_bandwidth_per_engine, accumulator_per_engine, shared_sram,
// shared_sram_bandwidth, dma_engines, dma_max_outstanding, dma_transaction_size, dma_chunk,
// prefetch_chunks, energy_per_flop. The component has one initiator port, `mem`.

#include <memory>
#include <string>

#include "Component.h"
#include "compute/ComputeChiplet.h"
#include "config/Node.h"

namespace chipletsim {

/// The elaborated `compute_chiplet` instance.
class ComputeComponent : public Component {
 public:
  ComputeComponent(const std::string& name, const ComputeChipletSpec& spec);
  tlm::tlm_initiator_socket<>* initiatorPort(const std::string& port) override;
  void reportStats(StatGroup& group) const override;
  ComputeChiplet& chiplet() { return m_chiplet; }

 private:
  ComputeChiplet m_chiplet;
};

/// Decodes a compute_chiplet map (preset merged); ConfigError on bad input.
ComputeChipletSpec decodeComputeChipletSpec(const config::Node& params);
/// Kind `compute_chiplet`.
std::unique_ptr<InstanceSpec> decodeComputeChiplet(const config::Node& params);
/// Registry entry for ComponentKinds.cpp.
ComponentKind computeChipletKind();

}  // namespace chipletsim
