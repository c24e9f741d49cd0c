#include "noc/TransactionFabric.h"

#include <cmath>

#include "common/Errors.h"

namespace chipletsim::noc {

TransactionFabric::TransactionFabric(const NocSpec& spec)
    : NocFabric(spec), m_period(m_spec.periodTicks()), m_flitBytes(m_spec.flitSize.si()) {
  // One flit per (rounded) clock period, so L flits take exactly L periods.
  const Bandwidth perChannel(m_flitBytes * static_cast<double>(kTicksPerSecond) /
                             static_cast<double>(m_period));
  for (int l = 0; l < m_topo.linkCount(); ++l) {
    const TopoLink& link = m_topo.link(LinkId(static_cast<std::uint32_t>(l)));
    m_links.emplace_back(perChannel, static_cast<Tick>(link.delayCycles) * m_period);
  }
  for (std::size_t e = 0; e < m_endpoints.size(); ++e) {
    m_inject.emplace_back(perChannel, 0);
    m_eject.emplace_back(perChannel, 0);
  }
}

std::uint32_t TransactionFabric::flitsFor(double bytes) const {
  return std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::ceil(bytes / m_flitBytes)));
}

void TransactionFabric::offer(const NocPacket& p) {
  require(p.source.value() < m_endpoints.size() && p.destination.value() < m_endpoints.size(),
          "TransactionFabric::offer: unknown endpoint");
  require(p.flits >= 1, "TransactionFabric::offer: a packet has at least one flit");
  std::uint32_t slot;
  if (!m_free.empty()) {
    slot = m_free.back();
    m_free.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(m_packets.size());
    m_packets.emplace_back();
  }
  m_packets[slot] = PacketState{p, 0, 0};
  m_events.push(Hop{p.createCycle * m_period, m_seq++, slot, routerOf(p.source), false});
  m_stats.recordOffer(p);
  ++m_inFlight;
}

void TransactionFabric::advanceHop(const Hop& h) {
  PacketState& ps = m_packets[h.slot];
  const double bytes = ps.packet.flits * m_flitBytes;
  if (!h.injected) {
    // The injection channel: the head enters the source router's buffer when it starts.
    const BandwidthServer::Grant g = m_inject[ps.packet.source.value()].reserve(h.time, bytes);
    m_events.push(Hop{g.start + pipelineTicks(), m_seq++, h.slot, h.at, true});
    return;
  }
  const RouterId dst = routerOf(ps.packet.destination);
  if (h.at == dst) {
    const BandwidthServer::Grant g = m_eject[ps.packet.destination.value()].reserve(h.time, bytes);
    m_stats.routerStalls[h.at.value()] += (g.start - h.time) / m_period;
    NocDelivery d;
    d.packet = ps.packet;
    d.headCycle = (g.start + m_period) / m_period;
    d.tailCycle = g.done / m_period;
    d.hops = ps.hops;
    m_free.push_back(h.slot);
    --m_inFlight;
    deliver(d);
    return;
  }
  const RouteDecision r = m_routing->route(h.at, routerOf(ps.packet.source), dst, ps.routeState);
  ps.routeState = r.state;
  const LinkId l = m_topo.outLink(h.at, r.port);
  BandwidthServer& link = m_links[l.value()];
  const BandwidthServer::Grant g = link.reserve(h.time, bytes);
  m_stats.routerStalls[h.at.value()] += (g.start - h.time) / m_period;
  m_stats.linkFlits[l.value()] += ps.packet.flits;
  ++ps.hops;
  // Switch traversal (one cycle), the wire, then the next router's pipeline.
  const Tick next = g.start + m_period + link.latency() + pipelineTicks();
  m_events.push(Hop{next, m_seq++, h.slot, m_topo.link(l).dst, true});
}

void TransactionFabric::advanceTo(std::uint64_t cycle) {
  const Tick horizon = (cycle + 1) * m_period;
  while (!m_events.empty() && m_events.top().time < horizon) {
    const Hop h = m_events.top();
    m_events.pop();
    advanceHop(h);
  }
}

TransactionFabric::Transfer TransactionFabric::transfer(Tick now, EndpointId src, EndpointId dst,
                                                        double bytes) {
  const std::uint32_t flits = flitsFor(bytes);
  const double padded = flits * m_flitBytes;
  Transfer t;
  Tick head = m_inject[src.value()].reserve(now, padded).start + pipelineTicks();
  const RouterId from = routerOf(src), to = routerOf(dst);
  std::uint8_t state = 0;
  for (RouterId at = from; at != to;) {
    const RouteDecision r = m_routing->route(at, from, to, state);
    state = r.state;
    const LinkId l = m_topo.outLink(at, r.port);
    BandwidthServer& link = m_links[l.value()];
    const BandwidthServer::Grant g = link.reserve(head, padded);
    m_stats.routerStalls[at.value()] += (g.start - head) / m_period;
    m_stats.linkFlits[l.value()] += flits;
    head = g.start + m_period + link.latency() + pipelineTicks();
    at = m_topo.link(l).dst;
    ++t.hops;
  }
  const BandwidthServer::Grant g = m_eject[dst.value()].reserve(head, padded);
  t.head = g.start + m_period;
  t.tail = g.done;
  NocPacket p;
  p.source = src;
  p.destination = dst;
  p.flits = flits;
  p.createCycle = now / m_period;
  m_stats.recordOffer(p);
  NocDelivery d;
  d.packet = p;
  d.headCycle = t.head / m_period;
  d.tailCycle = (t.tail + m_period - 1) / m_period;
  d.hops = t.hops;
  m_stats.recordDelivery(d);
  return t;
}

}  // namespace chipletsim::noc
