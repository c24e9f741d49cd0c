#include "ComputeConfig.h"

#include <optional>

#include "CostModel.h"
#include "config/Reader.h"

namespace chipletsim {

using config::Limits;
using config::MapReader;
using config::Node;

ComputeComponent::ComputeComponent(const std::string& name, const ComputeChipletSpec& spec)
    : m_chiplet(name.c_str(), spec) {}

tlm::tlm_initiator_socket<>* ComputeComponent::initiatorPort(const std::string& port) {
  return port == "mem" ? &m_chiplet.mem : nullptr;
}

void ComputeComponent::reportStats(StatGroup& group) const {
  m_chiplet.reportStats(group);
}

namespace {

class ComputeInstanceSpec : public InstanceSpec {
 public:
  ComputeChipletSpec spec;
  // Physical facts for the cost model (platforms/CostModel.h), when the platform gives them.
  std::optional<Area> dieArea;
  std::string processNode;

  std::unique_ptr<Component> build(const std::string& name) const override {
    return std::make_unique<ComputeComponent>(name, spec);
  }
  void describe(Summary& out) const override {
    const ComputeSpec& c = spec.compute;
    for (int i = 0; i < kDtypeCount; ++i) {
      const auto d = static_cast<Dtype>(i);
      if (c.tensorFlopsPerCycle[static_cast<std::size_t>(i)] > 0.0)
        out.add("peak_" + dtypeName(d) + "_flops", c.peakTensorFlops(d).si(), "FLOP/s");
    }
    out.add("tensor_sustained_fraction", c.tensorSustainedFraction, "1");
    out.add("peak_vector_flops", c.peakVectorFlops().si(), "FLOP/s");
    out.add("shared_sram", c.sharedSram.si(), "B");
    out.add("dma_bytes_in_flight", c.dmaBytesInFlight().si(), "B");
    out.add("dma_chunk", spec.dmaChunk.si(), "B");
    out.add("energy_per_flop", spec.energyPerFlop.si() * 1e12, "pJ");
    if (dieArea) out.add("die_area", toMm2(*dieArea), "mm2");
    if (!processNode.empty()) out.label("process_node", processNode);
  }
};

}  // namespace

ComputeChipletSpec decodeComputeChipletSpec(const Node& params) {
  MapReader r(params);
  ComputeChipletSpec out;
  ComputeSpec& s = out.compute;
  r.optional<std::string>("name", "");  // the preset's own name and description
  r.optional<std::string>("description", "");
  s.clock = r.required<Frequency>("clock", Limits::positive());
  s.tensorEngines = r.required<int>("tensor_engines", Limits::atLeast(1));
  {
    MapReader t(r.requiredChild("tensor_flops_per_cycle"));
    for (int i = 0; i < kDtypeCount; ++i)
      s.tensorFlopsPerCycle[static_cast<std::size_t>(i)] =
          t.optional<double>(dtypeName(static_cast<Dtype>(i)), 0.0, Limits::nonNegative());
    t.finish();
  }
  s.tensorTileEdge = r.optional<int>("tensor_tile_edge", s.tensorTileEdge, Limits::atLeast(1));
  s.tensorSustainedFraction =
      r.optional<double>("tensor_sustained_fraction", 1.0, Limits{0.0, 1.0, true});
  s.vectorEngines = r.required<int>("vector_engines", Limits::atLeast(1));
  s.vectorFlopsPerCycle = r.required<double>("vector_flops_per_cycle", Limits::positive());
  s.vectorSpecialPerCycle =
      r.optional<double>("vector_special_per_cycle", 0.0, Limits::nonNegative());
  s.sramPerEngine = r.required<DataSize>("sram_per_engine", Limits::positive());
  s.sramBandwidthPerEngine = r.required<Bandwidth>("sram_bandwidth_per_engine", Limits::positive());
  s.accumulatorPerEngine =
      r.optional<DataSize>("accumulator_per_engine", DataSize(0.0), Limits::nonNegative());
  s.sharedSram = r.optional<DataSize>("shared_sram", DataSize(0.0), Limits::nonNegative());
  s.sharedSramBandwidth =
      r.optional<Bandwidth>("shared_sram_bandwidth", Bandwidth(0.0), Limits::nonNegative());
  s.dmaEngines = r.required<int>("dma_engines", Limits::atLeast(1));
  s.dmaMaxOutstanding = r.required<int>("dma_max_outstanding", Limits::atLeast(1));
  s.dmaTransactionSize = r.required<DataSize>("dma_transaction_size", Limits::atLeast(1));
  // The chiplet stages one chunk in a host buffer: at most 4 GiB (a terabyte chunk ended the
  // run in std::bad_alloc).
  out.dmaChunk = r.optional<DataSize>("dma_chunk", out.dmaChunk, Limits::between(64, 4294967296.0));
  out.prefetchChunks = r.optional<int>("prefetch_chunks", out.prefetchChunks, Limits::atLeast(1));
  out.energyPerFlop = r.required<Energy>("energy_per_flop", Limits::nonNegative());
  r.finish();
  try {
    out.validate();
  } catch (const SpecError& e) {
    params.fail(e.what());
  }
  return out;
}

std::unique_ptr<InstanceSpec> decodeComputeChiplet(const Node& params) {
  auto out = std::make_unique<ComputeInstanceSpec>();
  // The die's area and process node feed the cost model only; the timing spec ignores them.
  Node timing = params;
  if (const Node* area = params.get("die_area")) {
    Area a;
    config::decode(*area, a);
    config::Limits::positive().check(*area, a.si());
    out->dieArea = a;
    timing.erase("die_area");
  }
  if (const Node* node = params.get("process_node")) {
    if (!node->isScalar()) node->expected("a process node name (configs/process/)");
    try {
      loadProcessNode(node->text());
    } catch (const ConfigError& e) {
      std::string why = e.what();
      if (why.rfind("error: ", 0) == 0) why = why.substr(7);
      node->fail(why);
    }
    out->processNode = node->text();
    timing.erase("process_node");
  }
  out->spec = decodeComputeChipletSpec(timing);
  return out;
}

ComponentKind computeChipletKind() {
  return {"compute_chiplet", "compute",
          "compute chiplet: tensor/vector engines, SRAM, DMA engines on initiator port `mem`",
          &decodeComputeChiplet};
}

}  // namespace chipletsim
