#include "noc/TransactionFabric.h"

#include <cmath>

#include "common/Errors.h"

namespace chipletsim::noc {

TransactionFabric::TransactionFabric(const NocSpec& spec, double linkEfficiency)
    : NocFabric(spec),
      m_period(m_spec.periodTicks()),
      m_linkEfficiency(linkEfficiency),
      m_flitBytes(m_spec.flitSize.si()) {
  if (!(linkEfficiency > 0.0 && linkEfficiency <= 1.0))
    throw SpecError("noc: link efficiency must lie in (0, 1]");
  // One flit per (rounded) clock period, so L flits take exactly L periods.
  const Bandwidth perChannel(m_flitBytes * static_cast<double>(kTicksPerSecond) /
                             static_cast<double>(m_period));
  for (int l = 0; l < m_topo.linkCount(); ++l) {
    const TopoLink& link = m_topo.link(LinkId(static_cast<std::uint32_t>(l)));
    m_links.emplace_back(perChannel * linkEfficiency,
                         static_cast<Tick>(link.delayCycles) * m_period);
  }
  for (std::size_t e = 0; e < m_endpoints.size(); ++e) {
    m_inject.emplace_back(perChannel, 0);
    m_eject.emplace_back(perChannel, 0);
  }
  m_wheel.resize(kWheel);
  const auto n = static_cast<std::size_t>(m_topo.routerCount());
  m_pathIndex.assign(n * n, kNoPath);
}

std::uint32_t TransactionFabric::pathOf(RouterId a, RouterId b) {
  std::uint32_t& idx =
      m_pathIndex[a.value() * static_cast<std::size_t>(m_topo.routerCount()) + b.value()];
  if (idx == kNoPath) {
    idx = static_cast<std::uint32_t>(m_paths.size());
    std::uint8_t state = 0;
    for (RouterId at = a; at != b;) {
      const RouteDecision r = m_routing->route(at, a, b, state);
      state = r.state;
      const LinkId l = m_topo.outLink(at, r.port);
      m_paths.push_back(l);
      at = m_topo.link(l).dst;
    }
    m_paths.push_back(LinkId());
  }
  return idx;
}

void TransactionFabric::schedule(std::uint64_t cycle, const Hop& h) {
  require(cycle >= m_cycle, "TransactionFabric: a bid in the past");
  ++m_pending;
  if (cycle < m_cycle + kWheel)
    m_wheel[cycle % kWheel].push_back(h);
  else
    m_overflow.emplace(cycle, h);
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
  m_packets[slot] = PacketState{p, pathOf(routerOf(p.source), routerOf(p.destination)), 0};
  schedule(std::max(p.createCycle, m_cycle), Hop{slot, routerOf(p.source), false});
  m_stats.recordOffer(p);
  ++m_inFlight;
}

void TransactionFabric::advanceHop(const Hop& h, Tick now) {
  PacketState& ps = m_packets[h.slot];
  const double bytes = ps.packet.flits * m_flitBytes;
  if (!h.injected) {
    // The injection channel: the head enters the source router's buffer when it starts.
    const BandwidthServer::Grant g = m_inject[ps.packet.source.value()].reserve(now, bytes);
    schedule((g.start + pipelineTicks()) / m_period, Hop{h.slot, h.at, true});
    return;
  }
  const LinkId l = m_paths[ps.path + ps.hops];
  if (!l.valid()) {
    const BandwidthServer::Grant g = m_eject[ps.packet.destination.value()].reserve(now, bytes);
    m_stats.routerStalls[h.at.value()] += (g.start - now) / m_period;
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
  BandwidthServer& link = m_links[l.value()];
  const BandwidthServer::Grant g = link.reserve(now, bytes);
  m_stats.routerStalls[h.at.value()] += (g.start - now) / m_period;
  m_stats.linkFlits[l.value()] += ps.packet.flits;
  ++ps.hops;
  // Switch traversal (one cycle), the wire, then the next router's pipeline.
  const Tick next = g.start + m_period + link.latency() + pipelineTicks();
  schedule(next / m_period, Hop{h.slot, m_topo.link(l).dst, true});
}

void TransactionFabric::advanceTo(std::uint64_t cycle) {
  for (; m_cycle <= cycle; ++m_cycle) {
    if (m_pending == 0) {
      m_cycle = cycle + 1;  // nothing is waiting: jump
      break;
    }
    // Bids that were beyond the wheel come in when their cycle does.
    while (!m_overflow.empty() && m_overflow.begin()->first == m_cycle) {
      m_wheel[m_cycle % kWheel].push_back(m_overflow.begin()->second);
      m_overflow.erase(m_overflow.begin());
    }
    std::vector<Hop>& bucket = m_wheel[m_cycle % kWheel];
    const Tick now = m_cycle * m_period;
    // Index loop: a bid may schedule another in this same cycle (router delay of 1).
    for (std::size_t i = 0; i < bucket.size(); ++i) {
      --m_pending;
      const Hop h = bucket[i];
      advanceHop(h, now);
    }
    bucket.clear();
  }
}

TransactionFabric::Transfer TransactionFabric::transfer(Tick now, EndpointId src, EndpointId dst,
                                                        double bytes) {
  const std::uint32_t flits = flitsFor(bytes);
  const double padded = flits * m_flitBytes;
  Transfer t;
  Tick head = m_inject[src.value()].reserve(now, padded).start + pipelineTicks();
  for (std::uint32_t i = pathOf(routerOf(src), routerOf(dst)); m_paths[i].valid(); ++i) {
    const LinkId l = m_paths[i];
    BandwidthServer& link = m_links[l.value()];
    const RouterId at = m_topo.link(l).src;
    const BandwidthServer::Grant g = link.reserve(head, padded);
    m_stats.routerStalls[at.value()] += (g.start - head) / m_period;
    m_stats.linkFlits[l.value()] += flits;
    head = g.start + m_period + link.latency() + pipelineTicks();
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
