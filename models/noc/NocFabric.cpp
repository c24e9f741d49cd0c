#include "noc/NocFabric.h"

#include <string>

#include "common/Errors.h"

namespace chipletsim::noc {

const char* fidelityName(Fidelity f) {
  return f == Fidelity::kFlit ? "flit" : "transaction";
}

namespace {
const NocSpec& validated(const NocSpec& spec) {
  spec.validate();
  return spec;
}
}  // namespace

NocFabric::NocFabric(const NocSpec& spec)
    : m_spec(validated(spec)),
      m_topo(m_spec),
      m_routing(makeRouting(m_spec, m_topo)),
      m_endpoints(m_spec.resolvedEndpoints()) {
  m_stats.linkFlits.assign(static_cast<std::size_t>(m_topo.linkCount()), 0);
  m_stats.routerStalls.assign(static_cast<std::size_t>(m_topo.routerCount()), 0);
}

EndpointId NocFabric::endpoint(const std::string& name) const {
  for (std::size_t i = 0; i < m_endpoints.size(); ++i)
    if (m_endpoints[i].name == name) return EndpointId(static_cast<std::uint32_t>(i));
  throw SpecError("noc: no endpoint called '" + name + "'");
}

std::vector<LinkId> NocFabric::routePath(EndpointId a, EndpointId b) const {
  const RouterId src = routerOf(a), dst = routerOf(b);
  std::vector<LinkId> path;
  std::uint8_t state = 0;
  for (RouterId at = src; at != dst;) {
    const RouteDecision d = m_routing->route(at, src, dst, state);
    const LinkId l = m_topo.outLink(at, d.port);
    require(l.valid() && path.size() <= static_cast<std::size_t>(m_topo.linkCount()),
            "NocFabric: route leaves through an unconnected port or loops");
    path.push_back(l);
    at = m_topo.link(l).dst;
    state = d.state;
  }
  return path;
}

void NocFabric::deliver(const NocDelivery& d) {
  m_stats.recordDelivery(d);
  if (m_onDelivery) m_onDelivery(d);
}

void NocFabric::reportStats(StatGroup& group, std::uint64_t cycles) const {
  const double periodNs = static_cast<double>(m_spec.periodTicks()) / kTicksPerNs;
  const double endpoints = static_cast<double>(m_spec.resolvedEndpoints().size());
  const double span = cycles > 0 ? static_cast<double>(cycles) : 1.0;
  group.add("fidelity_flit", fidelity() == Fidelity::kFlit ? 1 : 0, "1",
            "1 when the flit-level fabric ran, 0 for the transaction-level one");
  group.add("cycles", static_cast<double>(cycles), "cycles", "simulated NoC cycles");
  group.add("clock_period", periodNs, "ns", "NoC clock period");
  group.add("packets_offered", static_cast<double>(m_stats.packetsOffered), "count");
  group.add("packets_delivered", static_cast<double>(m_stats.packetsDelivered), "count");
  group.add("offered_rate", static_cast<double>(m_stats.flitsOffered) / endpoints / span,
            "flits/node/cycle", "flits offered per endpoint per cycle");
  group.add("accepted_rate", static_cast<double>(m_stats.flitsDelivered) / endpoints / span,
            "flits/node/cycle", "flits delivered per endpoint per cycle");
  group.addDistribution("latency_cycles", m_stats.latencyCycles, "cycles",
                        "packet creation to tail delivery");
  // The same samples in ns: the clock period scales every summary value exactly.
  StatGroup& lns = group.child("latency_ns");
  lns.add("mean", m_stats.latencyCycles.mean() * periodNs, "ns");
  lns.add("p50", m_stats.latencyCycles.percentile(0.5) * periodNs, "ns");
  lns.add("p99", m_stats.latencyCycles.percentile(0.99) * periodNs, "ns");
  group.addDistribution("hops", m_stats.hops, "links", "links traversed per packet");
  StatGroup& links = group.child("links");
  for (std::size_t l = 0; l < m_stats.linkFlits.size(); ++l) {
    const TopoLink& tl = m_topo.link(LinkId(static_cast<std::uint32_t>(l)));
    StatGroup& g =
        links.child("r" + std::to_string(tl.src.value()) + "p" +
                    std::to_string(tl.srcPort.value()) + "_r" + std::to_string(tl.dst.value()));
    g.add("flits", static_cast<double>(m_stats.linkFlits[l]), "flits");
    g.add("utilisation", static_cast<double>(m_stats.linkFlits[l]) / span, "1",
          "busy fraction: flits per cycle");
  }
  StatGroup& routers = group.child("routers");
  for (std::size_t r = 0; r < m_stats.routerStalls.size(); ++r)
    routers.child("r" + std::to_string(r))
        .add("stalls", static_cast<double>(m_stats.routerStalls[r]), "flit-cycles",
             "cycles a ready flit waited for a VC, a credit or the switch");
}

}  // namespace chipletsim::noc
