#include "D2dConfig.h"

#include <optional>

#include "PackagingTech.h"
#include "config/Reader.h"
#include "d2d/D2dLink.h"
#include "d2d/TrafficSink.h"

namespace chipletsim {

using config::Limits;
using config::MapReader;
using config::Node;

namespace {

const config::EnumTable<d2d::FlitFormat> kFlitFormats{{
    {"raw", d2d::FlitFormat::kRaw},
    {"68b", d2d::FlitFormat::kFlit68},
    {"standard_256b", d2d::FlitFormat::kStandard256},
    {"latency_optimised_256b", d2d::FlitFormat::kLatencyOptimised256},
}};

class D2dLinkComponent : public Component {
 public:
  D2dLinkComponent(const std::string& name, const d2d::D2dLinkSpec& spec)
      : m_link(name.c_str(), spec) {}
  tlm::tlm_target_socket<>* targetPort(const std::string& port) override {
    if (port == "a_in") return &m_link.a_in;
    if (port == "b_in") return &m_link.b_in;
    return nullptr;
  }
  tlm::tlm_initiator_socket<>* initiatorPort(const std::string& port) override {
    if (port == "a_out") return &m_link.a_out;
    if (port == "b_out") return &m_link.b_out;
    return nullptr;
  }
  void reportStats(StatGroup& group) const override { m_link.reportStats(group); }

 private:
  d2d::D2dLink m_link;
};

class D2dLinkInstanceSpec : public InstanceSpec {
 public:
  d2d::D2dLinkSpec spec;
  std::string packaging;  // "" when given explicitly
  Length shorelineUsed;   // 0 when given explicitly

  std::unique_ptr<Component> build(const std::string& name) const override {
    return std::make_unique<D2dLinkComponent>(name, spec);
  }
  void describe(Summary& out) const override {
    const auto& layout = d2d::flitLayout(spec.flitFormat);
    out.add("modules", spec.modules, "count");
    out.add("lanes_per_module", spec.activeLanesPerModule(), "count");
    out.add("data_rate", spec.dataRate.si() * 1e-9, "GT/s");
    out.add("raw_bandwidth_per_direction", spec.rawBandwidth().si(), "B/s");
    out.add("effective_bandwidth_per_direction", spec.effectiveBandwidth().si(), "B/s");
    // What traffic workloads compare against: the wire rate of one direction.
    out.add("peak_bandwidth", spec.rawBandwidth().si(), "B/s");
    out.add("framing_efficiency", layout.efficiency(), "1");
    // One flit's CRC unit must arrive before its data is used.
    const double unitS = layout.flitBytes / spec.rawBandwidth().si() / layout.crcUnits;
    out.add("unloaded_latency", (spec.oneWayLatency().si() + unitS) * 1e9, "ns");
    out.add("energy_per_bit", spec.energyPerBit.si() * 1e12, "pJ/bit");
    if (shorelineUsed.si() > 0.0) {
      out.add("shoreline_used", toMm(shorelineUsed), "mm");
      out.add("bandwidth_density_bidir", 2.0 * toGBps(spec.rawBandwidth()) / toMm(shorelineUsed),
              "GB/s/mm");
    }
  }
};

class TrafficSinkComponent : public Component {
 public:
  TrafficSinkComponent(const std::string& name, Duration latency) : m_sink(name.c_str(), latency) {}
  tlm::tlm_target_socket<>* targetPort(const std::string& port) override {
    return port == "in" ? &m_sink.in : nullptr;
  }
  void reportStats(StatGroup& group) const override { m_sink.reportStats(group); }

 private:
  d2d::TrafficSink m_sink;
};

class TrafficSinkInstanceSpec : public InstanceSpec {
 public:
  Duration latency;
  std::unique_ptr<Component> build(const std::string& name) const override {
    return std::make_unique<TrafficSinkComponent>(name, latency);
  }
  void describe(Summary& out) const override { out.add("latency", toNs(latency), "ns"); }
};

}  // namespace

std::unique_ptr<InstanceSpec> decodeD2dLink(const Node& params) {
  MapReader r(params);
  auto out = std::make_unique<D2dLinkInstanceSpec>();
  d2d::D2dLinkSpec& s = out->spec;
  std::optional<PackagingTech> tech;
  if (const Node* p = r.child("packaging")) {
    tech = loadPackagingTech(*p);
    out->packaging = tech->name;
  }

  s.dataRate = r.required<BitRate>("data_rate", Limits::positive());
  const Node& rateNode = *params.get("data_rate");
  if (tech) tech->checkDataRate(s.dataRate, rateNode);

  if (const Node* shore = r.child("shoreline")) {
    if (!tech) shore->fail("a link given by shoreline needs `packaging:` to size its modules");
    for (const char* k : {"modules", "lanes_per_module"})
      if (const Node* n = params.get(k))
        n->fail(std::string("give either shoreline or ") + k + ", not both");
    Length shoreline;
    config::decode(*shore, shoreline);
    Limits::positive().check(*shore, shoreline.si());
    const Length dieEdge = r.optional<Length>("die_edge", Length(0.0), Limits::positive());
    const ShorelineLink sl = tech->linkFromShoreline(shoreline, s.dataRate, dieEdge, *shore);
    s.modules = sl.modules;
    s.lanesPerModule = sl.lanesPerModule;
    s.redundantLanesPerModule = tech->redundantLanesPerModule;
    out->shorelineUsed = sl.shorelineUsed;
  } else {
    s.modules = r.required<int>("modules", Limits::atLeast(1));
    s.lanesPerModule =
        tech ? r.optional<int>("lanes_per_module", tech->lanesPerModule, Limits::atLeast(1))
             : r.required<int>("lanes_per_module", Limits::atLeast(1));
    s.redundantLanesPerModule =
        r.optional<int>("redundant_lanes_per_module", tech ? tech->redundantLanesPerModule : 0,
                        Limits::nonNegative());
  }
  s.failedLanes = r.optional<int>("failed_lanes", 0, Limits::nonNegative());
  s.flitFormat = r.requiredEnum("flit_format", kFlitFormats);
  // A read request or a write response carries no data: its header is the whole message, and
  // an empty message cannot be sent.
  s.headerBytes =
      static_cast<std::uint64_t>(r.required<DataSize>("protocol_header", Limits::atLeast(1)).si());
  s.channelLength = r.required<Length>("channel_length", Limits::nonNegative());
  if (tech) tech->checkReach(s.channelLength, *params.get("channel_length"));
  if (tech) {
    s.adapterPhyLatency =
        r.optional<Duration>("adapter_phy_latency", tech->adapterPhyLatency, Limits::nonNegative());
    s.dielectricConstant =
        r.optional<double>("dielectric_constant", tech->dielectricConstant, Limits::atLeast(1));
    s.energyPerBit = r.optional<EnergyPerBit>("energy_per_bit", tech->energyAt(s.dataRate),
                                              Limits::nonNegative());
  } else {
    s.adapterPhyLatency = r.required<Duration>("adapter_phy_latency", Limits::nonNegative());
    s.dielectricConstant = r.required<double>("dielectric_constant", Limits::atLeast(1));
    s.energyPerBit = r.required<EnergyPerBit>("energy_per_bit", Limits::nonNegative());
  }
  const DataSize buffer = r.required<DataSize>("rx_buffer", Limits::atLeast(1));
  s.rxBufferBytes = static_cast<std::uint64_t>(buffer.si());
  s.bitErrorRate = r.required<double>("bit_error_rate", Limits{0.0, 1.0, false});
  if (s.bitErrorRate >= 1.0) params.get("bit_error_rate")->fail("expected a BER below 1");
  s.seed = r.optional<std::uint64_t>("seed", 1);
  r.finish();
  s.validate();  // SpecError: the platform loader names the instance
  return out;
}

std::unique_ptr<InstanceSpec> decodeTrafficSink(const Node& params) {
  MapReader r(params);
  auto out = std::make_unique<TrafficSinkInstanceSpec>();
  out->latency = r.required<Duration>("latency", Limits::nonNegative());
  r.finish();
  return out;
}

ComponentKind d2dLinkKind() {
  return {"d2d_link", "",
          "die-to-die link (UCIe-class): flits, credits, CRC/go-back-N retry, lane repair",
          &decodeD2dLink};
}

ComponentKind trafficSinkKind() {
  return {"traffic_sink", "", "TLM target that responds after a fixed latency", &decodeTrafficSink};
}

}  // namespace chipletsim
