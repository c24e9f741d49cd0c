#include "NocConfig.h"

#include "config/Reader.h"
#include "noc/FlitFabric.h"
#include "workload/NocChannelLoad.h"

namespace chipletsim {

using config::Limits;
using config::MapReader;
using config::Node;

namespace {

const config::EnumTable<noc::TopologyKind> kTopologies{{
    {"mesh", noc::TopologyKind::kMesh},
    {"torus", noc::TopologyKind::kTorus},
    {"ring", noc::TopologyKind::kRing},
    {"crossbar", noc::TopologyKind::kCrossbar},
    {"irregular", noc::TopologyKind::kIrregular},
}};
const config::EnumTable<noc::RoutingKind> kRoutings{{
    {"dimension_order", noc::RoutingKind::kDimensionOrder},
    {"table", noc::RoutingKind::kTable},
}};
const config::EnumTable<noc::Fidelity> kFidelities{{
    {"transaction", noc::Fidelity::kTransaction},
    {"flit", noc::Fidelity::kFlit},
}};
const config::EnumTable<bool> kEfficiencies{{
    {"ideal", false},
    {"calibrated", true},
}};
const config::EnumTable<noc::EndpointRole> kRoles{{
    {"generic", noc::EndpointRole::kGeneric},
    {"compute", noc::EndpointRole::kCompute},
    {"dma", noc::EndpointRole::kDma},
    {"memory", noc::EndpointRole::kMemory},
    {"d2d", noc::EndpointRole::kD2d},
}};

class NocInstanceSpec : public InstanceSpec {
 public:
  noc::NocSpec spec;
  noc::Fidelity fidelity = noc::Fidelity::kTransaction;
  bool calibrate = false;

  std::unique_ptr<Component> build(const std::string& name) const override {
    return std::make_unique<NocComponent>(name, spec, fidelity, calibrate);
  }
  void describe(Summary& out) const override {
    out.label("fidelity", noc::fidelityName(fidelity));
    out.label("link_efficiency", calibrate ? "calibrated" : "ideal");
    out.label("topology", noc::topologyName(spec.topology));
    out.label("routing", noc::routingName(spec.routing));
    out.label("energy", "not modelled: its energy is not counted");
    const noc::TransactionFabric probe(spec);
    const std::size_t endpoints = probe.endpoints().size();
    out.add("routers", spec.routers(), "count");
    out.add("endpoints", static_cast<double>(endpoints), "count");
    out.add("links", probe.topology().linkCount(), "count");
    const double linkBw = spec.flitSize.si() * spec.clock.si();
    out.add("link_bandwidth", linkBw, "B/s");
    const double periodNs = 1e9 / spec.clock.si();
    out.add("hop_latency", (spec.routerDelayCycles + spec.linkDelayCycles) * periodNs, "ns");
    // Uniform traffic over the endpoints: mean links per packet and the channel-load bound.
    double hops = 0.0;
    for (std::size_t a = 0; a < endpoints; ++a)
      for (std::size_t b = 0; b < endpoints; ++b)
        hops += probe.routeLength(noc::EndpointId(static_cast<std::uint32_t>(a)),
                                  noc::EndpointId(static_cast<std::uint32_t>(b)));
    out.add("mean_hops_uniform", hops / static_cast<double>(endpoints * endpoints), "links");
    const workload::NocTrafficPattern uniform(workload::NocPatternKind::kUniformRandom,
                                              static_cast<int>(endpoints), 1);
    const double bound = workload::channelLoadBound(probe, uniform);
    out.add("uniform_throughput_bound", bound, "flits/node/cycle");
    out.add("uniform_bandwidth_bound", bound * static_cast<double>(endpoints) * linkBw, "B/s");
  }
};

int readCount(MapReader& r, const char* key) {
  return r.required<int>(key, Limits::atLeast(1));
}

}  // namespace

NocComponent::NocComponent(const std::string& name, const noc::NocSpec& spec,
                           noc::Fidelity fidelity, bool calibrateLinks)
    : m_spec(spec),
      m_fidelity(fidelity),
      m_calibrate(calibrateLinks),
      m_module(name.c_str(), spec) {}

tlm::tlm_target_socket<>* NocComponent::targetPort(const std::string& port) {
  const auto& eps = m_module.fabric().endpoints();
  for (std::size_t e = 0; e < eps.size(); ++e)
    if (port == eps[e].name + "_in")
      return &m_module.in(noc::EndpointId(static_cast<std::uint32_t>(e)));
  return nullptr;
}

tlm::tlm_initiator_socket<>* NocComponent::initiatorPort(const std::string& port) {
  const auto& eps = m_module.fabric().endpoints();
  for (std::size_t e = 0; e < eps.size(); ++e)
    if (port == eps[e].name + "_out")
      return &m_module.out(noc::EndpointId(static_cast<std::uint32_t>(e)));
  return nullptr;
}

std::uint64_t NocComponent::addressSpan(const std::string& port) const {
  // Requests entering at any endpoint may reach every addressable endpoint behind it.
  const auto& eps = m_module.fabric().endpoints();
  std::uint64_t end = 0;
  bool known = false;
  for (const auto& e : eps) {
    known = known || port == e.name + "_in";
    if (e.addressSize) end = std::max(end, e.addressBase + e.addressSize);
  }
  return known ? end : 0;
}

noc::NocFabric& NocComponent::trafficFabric(double linkEfficiency) {
  if (m_fidelity == noc::Fidelity::kTransaction) {
    if (linkEfficiency >= 1.0) return m_module.fabric();
    if (!m_calibrated)
      m_calibrated = std::make_unique<noc::TransactionFabric>(m_spec, linkEfficiency);
    return *m_calibrated;
  }
  if (!m_flit) m_flit = std::make_unique<noc::FlitFabric>(m_spec);
  return *m_flit;
}

void NocComponent::reportStats(StatGroup& group) const {
  const Tick now = static_cast<Tick>(sc_core::sc_time_stamp().to_seconds() * 1e12 + 0.5);
  if (m_flit) {
    m_flit->reportStats(group, now / m_spec.periodTicks());
  } else if (m_calibrated) {
    m_calibrated->reportStats(group, now / m_spec.periodTicks());
    group.add("link_efficiency", m_calibrated->linkEfficiency(), "1",
              "share of link cycles carrying flits at saturation, from the flit fabric");
  } else {
    m_module.reportStats(group);
  }
}

std::unique_ptr<InstanceSpec> decodeNoc(const Node& params) {
  MapReader r(params);
  auto out = std::make_unique<NocInstanceSpec>();
  noc::NocSpec& s = out->spec;
  s.topology = r.requiredEnum("topology", kTopologies);
  switch (s.topology) {
    case noc::TopologyKind::kMesh:
    case noc::TopologyKind::kTorus:
      s.dimX = readCount(r, "dim_x");
      s.dimY = readCount(r, "dim_y");
      break;
    case noc::TopologyKind::kRing:
      s.dimX = readCount(r, "routers");
      s.dimY = 1;
      break;
    case noc::TopologyKind::kCrossbar:
      s.dimX = readCount(r, "ports");
      s.dimY = 1;
      break;
    case noc::TopologyKind::kIrregular: {
      s.routerCount = readCount(r, "routers");
      const Node& links = r.requiredChild("links");
      if (!links.isSequence()) links.expected("a list of {a: router, b: router}");
      for (const Node& l : links.items()) {
        MapReader lr(l);
        noc::LinkSpec ls;
        ls.a = lr.required<unsigned>("a");
        ls.b = lr.required<unsigned>("b");
        ls.delayCycles = lr.optional<int>("delay_cycles", 0, Limits::atLeast(1));
        lr.finish();
        if (ls.a >= static_cast<unsigned>(s.routerCount) ||
            ls.b >= static_cast<unsigned>(s.routerCount))
          l.fail("link joins a router that does not exist (routers: " +
                 std::to_string(s.routerCount) + ")");
        s.links.push_back(ls);
      }
      break;
    }
  }
  s.clock = r.required<Frequency>("clock", Limits::positive());
  s.flitSize = r.required<DataSize>("flit_size", Limits::atLeast(1));
  s.routerDelayCycles = readCount(r, "router_pipeline_cycles");
  s.linkDelayCycles = readCount(r, "link_delay_cycles");
  s.virtualChannels = readCount(r, "virtual_channels");
  s.bufferDepthFlits = readCount(r, "buffer_depth_flits");
  s.routing = r.optionalEnum("routing", kRoutings,
                             s.topology == noc::TopologyKind::kIrregular
                                 ? noc::RoutingKind::kTable
                                 : noc::RoutingKind::kDimensionOrder);
  out->fidelity = r.optionalEnum("fidelity", kFidelities, noc::Fidelity::kTransaction);
  out->calibrate = r.optionalEnum("link_efficiency", kEfficiencies, false);
  if (const Node* eps = r.child("endpoints")) {
    if (!eps->isSequence()) eps->expected("a list of {name, role, router}");
    for (const Node& e : eps->items()) {
      MapReader er(e);
      noc::EndpointSpec es;
      es.name = er.required<std::string>("name");
      es.role = er.optionalEnum("role", kRoles, noc::EndpointRole::kGeneric);
      es.router = er.required<unsigned>("router");
      if (er.has("address_size")) {
        es.addressBase = static_cast<std::uint64_t>(
            er.optional<DataSize>("address_base", DataSize(0.0), Limits::nonNegative()).si());
        es.addressSize = static_cast<std::uint64_t>(
            er.required<DataSize>("address_size", Limits::atLeast(1)).si());
      }
      er.finish();
      if (static_cast<int>(es.router) >= s.routers())
        e.get("router")->fail("no router " + std::to_string(es.router) + " (the NoC has " +
                              std::to_string(s.routers()) + ")");
      s.endpoints.push_back(es);
    }
  }
  r.finish();
  s.validate();  // SpecError: the platform loader names the instance
  return out;
}

const noc::NocSpec* nocSpecOf(const InstanceSpec& spec) {
  const auto* s = dynamic_cast<const NocInstanceSpec*>(&spec);
  return s ? &s->spec : nullptr;
}

noc::Fidelity nocFidelityOf(const InstanceSpec& spec) {
  const auto* s = dynamic_cast<const NocInstanceSpec*>(&spec);
  return s ? s->fidelity : noc::Fidelity::kTransaction;
}

ComponentKind nocKind() {
  return {"noc", "",
          "network-on-chip (mesh/torus/ring/crossbar/irregular; transaction or flit fidelity)",
          &decodeNoc};
}

}  // namespace chipletsim
