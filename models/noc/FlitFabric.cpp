#include "noc/FlitFabric.h"

#include <algorithm>
#include <string>

#include "common/Errors.h"

namespace chipletsim::noc {

FlitFabric::FlitFabric(const NocSpec& spec) : NocFabric(spec) {
  const int nRouters = m_topo.routerCount();
  m_localEndpoint.assign(static_cast<std::size_t>(nRouters), {});
  m_endpointState.resize(m_endpoints.size());
  for (std::size_t e = 0; e < m_endpoints.size(); ++e) {
    const std::uint32_t r = m_endpoints[e].router;
    Endpoint& ep = m_endpointState[e];
    ep.router = RouterId(r);
    ep.port = m_topo.networkPorts(RouterId(r)) + static_cast<int>(m_localEndpoint[r].size());
    m_localEndpoint[r].push_back(EndpointId(static_cast<std::uint32_t>(e)));
  }
  m_routers.reserve(static_cast<std::size_t>(nRouters));
  for (int r = 0; r < nRouters; ++r) {
    const RouterId id(static_cast<std::uint32_t>(r));
    m_routers.emplace_back(id, m_topo.networkPorts(id),
                           static_cast<int>(m_localEndpoint[static_cast<std::size_t>(r)].size()),
                           m_spec.virtualChannels, m_spec.bufferDepthFlits);
  }
  int maxDelay = m_spec.linkDelayCycles;
  for (int l = 0; l < m_topo.linkCount(); ++l)
    maxDelay = std::max(maxDelay, m_topo.link(LinkId(static_cast<std::uint32_t>(l))).delayCycles);
  m_wheel.assign(static_cast<std::size_t>(maxDelay + 2), {});
  m_vcsPerClass = m_spec.virtualChannels / m_spec.vcClasses();
}

void FlitFabric::offer(const NocPacket& p) {
  require(p.createCycle >= m_now && p.createCycle >= m_lastCreate,
          "FlitFabric::offer: packets must be offered in creation order, not in the past");
  require(p.source.value() < m_endpoints.size() && p.destination.value() < m_endpoints.size(),
          "FlitFabric::offer: unknown endpoint");
  require(p.flits >= 1, "FlitFabric::offer: a packet has at least one flit");
  m_lastCreate = p.createCycle;
  std::uint32_t slot;
  if (!m_freeSlots.empty()) {
    slot = m_freeSlots.back();
    m_freeSlots.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(m_slots.size());
    m_slots.emplace_back();
  }
  PacketState& ps = m_slots[slot];
  ps = PacketState{};
  ps.packet = p;
  ps.srcRouter = routerOf(p.source);
  ps.dstRouter = routerOf(p.destination);
  ps.ejectPort = m_endpointState[p.destination.value()].port;
  m_endpointState[p.source.value()].queue.push_back(slot);
  m_stats.recordOffer(p);
  ++m_inFlight;
}

void FlitFabric::schedule(std::uint64_t at, const Event& ev) {
  m_wheel[at % m_wheel.size()].push_back(ev);
  ++m_pendingEvents;
}

void FlitFabric::inject(Endpoint& e) {
  FlitRouter& router = m_routers[e.router.value()];
  if (e.current < 0) {
    if (e.queue.empty() || m_slots[e.queue.front()].packet.createCycle > m_now) return;
    e.vc = router.claimInjectionVc(e.port);
    if (e.vc < 0) return;
    e.current = e.queue.front();
    e.queue.pop_front();
    e.nextFlit = 0;
  }
  if (router.space(e.port, e.vc) <= 0) return;
  const std::uint32_t slot = static_cast<std::uint32_t>(e.current);
  router.push(
      e.port, e.vc,
      Flit{slot, e.nextFlit, m_now + static_cast<std::uint64_t>(m_spec.routerDelayCycles - 1)});
  ++m_flitsInNetwork;
  if (++e.nextFlit == m_slots[slot].packet.flits) e.current = -1;
}

void FlitFabric::stepCycle() {
  std::vector<Event>& bucket = m_wheel[m_now % m_wheel.size()];
  for (const Event& ev : bucket) {
    if (ev.credit)
      m_routers[ev.router].addCredit(ev.port, ev.vc);
    else
      m_routers[ev.router].push(ev.port, ev.vc, ev.flit);
  }
  m_pendingEvents -= bucket.size();
  bucket.clear();

  for (Endpoint& e : m_endpointState) inject(e);

  int moved = 0;
  for (FlitRouter& r : m_routers) moved += r.step(m_now, *this);
  if (moved > 0 || m_flitsInNetwork == 0) {
    m_lastProgress = m_now;
  } else if (m_now - m_lastProgress > kDeadlockCycles) {
    throw InternalError("FlitFabric: no flit moved for " + std::to_string(kDeadlockCycles) +
                        " cycles with " + std::to_string(m_flitsInNetwork) +
                        " flits in the network (deadlock)");
  }
}

void FlitFabric::advanceTo(std::uint64_t cycle) {
  while (m_now <= cycle) {
    if (m_flitsInNetwork == 0 && m_pendingEvents == 0) {
      // Nothing moves until the next packet is due: skip the idle cycles.
      std::uint64_t next = cycle + 1;
      for (const Endpoint& e : m_endpointState) {
        if (e.current >= 0) {
          next = m_now;
          break;
        }
        if (!e.queue.empty())
          next = std::min(next, std::max(m_now, m_slots[e.queue.front()].packet.createCycle));
      }
      m_now = next;
      m_lastProgress = m_now;
      if (m_now > cycle) break;
    }
    stepCycle();
    ++m_now;
  }
  for (std::size_t r = 0; r < m_routers.size(); ++r)
    m_stats.routerStalls[r] = m_routers[r].stalls();
}

void FlitFabric::routeHead(RouterId router, std::uint32_t slot, int& outPort, int& vcLo,
                           int& vcHi) {
  PacketState& ps = m_slots[slot];
  if (router == ps.dstRouter) {
    outPort = ps.ejectPort;
    vcLo = 0;
    vcHi = m_spec.virtualChannels;
    return;
  }
  const RouteDecision d = m_routing->route(router, ps.srcRouter, ps.dstRouter, ps.routeState);
  ps.routeState = d.state;
  outPort = static_cast<int>(d.port.value());
  vcLo = d.vcClass * m_vcsPerClass;
  vcHi = d.vcClass + 1 == m_spec.vcClasses() ? m_spec.virtualChannels : vcLo + m_vcsPerClass;
}

void FlitFabric::sendFlit(RouterId router, int outPort, int outVc, const Flit& f,
                          std::uint64_t now) {
  ++m_flitHops;
  PacketState& ps = m_slots[f.slot];
  if (outPort < m_topo.networkPorts(router)) {
    const LinkId l = m_topo.outLink(router, PortId(static_cast<std::uint32_t>(outPort)));
    const TopoLink& link = m_topo.link(l);
    ++m_stats.linkFlits[l.value()];
    if (f.index == 0) ++ps.hops;
    const std::uint64_t arrive = now + 1 + static_cast<std::uint64_t>(link.delayCycles);
    Event ev;
    ev.router = link.dst.value();
    ev.port = static_cast<std::uint16_t>(link.dstPort.value());
    ev.vc = static_cast<std::uint16_t>(outVc);
    ev.flit = f;
    ev.flit.ready = arrive + static_cast<std::uint64_t>(m_spec.routerDelayCycles - 1);
    schedule(arrive, ev);
    return;
  }
  --m_flitsInNetwork;
  if (f.index == 0) ps.headCycle = now + 1;
  if (f.index + 1 < ps.packet.flits) return;
  NocDelivery d;
  d.packet = ps.packet;
  d.headCycle = ps.headCycle;
  d.tailCycle = now + 1;
  d.hops = ps.hops;
  m_freeSlots.push_back(f.slot);
  --m_inFlight;
  deliver(d);
}

void FlitFabric::sendCredit(RouterId router, int inPort, int vc, std::uint64_t now) {
  // Endpoint injection reads buffer space directly; only network inputs return credits.
  if (inPort >= m_topo.networkPorts(router)) return;
  const TopoLink& link =
      m_topo.link(m_topo.inLink(router, PortId(static_cast<std::uint32_t>(inPort))));
  Event ev;
  ev.credit = true;
  ev.router = link.src.value();
  ev.port = static_cast<std::uint16_t>(link.srcPort.value());
  ev.vc = static_cast<std::uint16_t>(vc);
  schedule(now + static_cast<std::uint64_t>(link.delayCycles), ev);
}

}  // namespace chipletsim::noc
