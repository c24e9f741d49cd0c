#include "noc/TransactionFabric.h"

#include <algorithm>
#include <cmath>

#include "common/Errors.h"

namespace chipletsim::noc {

TransactionFabric::TransactionFabric(const NocSpec& spec, double linkEfficiency)
    : NocFabric(spec),
      m_period(m_spec.periodTicks()),
      m_pipeline(static_cast<Tick>(m_spec.routerDelayCycles - 1) * m_period),
      m_linkEfficiency(linkEfficiency),
      m_flitBytes(m_spec.flitSize.si()) {
  if (!(linkEfficiency > 0.0 && linkEfficiency <= 1.0))
    throw SpecError("noc: link efficiency must lie in (0, 1]");
  const auto links = static_cast<std::size_t>(m_topo.linkCount());
  m_links.resize(links);
  m_linkLatency.resize(links);
  m_linkSource.resize(links);
  m_holdCarry.assign(links, 0.0);
  for (std::size_t l = 0; l < links; ++l) {
    const TopoLink& link = m_topo.link(LinkId(static_cast<std::uint32_t>(l)));
    m_linkLatency[l] = static_cast<Tick>(1 + link.delayCycles) * m_period;
    m_linkSource[l] = link.src.value();
  }
  m_inject.resize(m_endpoints.size());
  m_eject.resize(m_endpoints.size());
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
      require(l.valid() && m_paths.size() - idx <= static_cast<std::size_t>(m_topo.linkCount()),
              "TransactionFabric: route leaves through an unconnected port or loops");
      m_paths.push_back(l);
      at = m_topo.link(l).dst;
    }
    m_paths.push_back(LinkId());
  }
  return idx;
}

std::uint32_t TransactionFabric::flitsFor(double bytes) const {
  return std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::ceil(bytes / m_flitBytes)));
}

Tick TransactionFabric::queuedHold(std::uint32_t link, std::uint32_t flits) {
  // Whole cycles, so bookings stay on the clock grid (a gap is usable or not by whole
  // cycles, as in the flit fabric); the fraction is carried to the link's next packet so the
  // mean hold is exactly flits / efficiency cycles.
  double& carry = m_holdCarry[link];
  const double want = carry + static_cast<double>(flits) / m_linkEfficiency;
  const double whole = std::floor(want + 1e-9);
  carry = want - whole;
  return static_cast<Tick>(whole) * m_period;
}

TransactionFabric::Route TransactionFabric::reserve(Tick now, EndpointId src, EndpointId dst,
                                                    std::uint32_t flits, Tick floor) {
  m_floor = std::max(m_floor, floor);
  const Tick stream = flits * m_period;
  // The injection channel serves its endpoint's packets in time order, one flit per cycle
  // (in call order when calls come in time order); the head enters the source router's
  // buffer when injection starts.
  BookingCalendar& inject = m_inject[src.value()];
  if (inject.intervals() > kKeptBookings) inject.forget(m_floor);
  const Tick injected = inject.book(now, stream);
  Tick head = injected + m_pipeline;
  Route r;
  for (std::uint32_t i = pathOf(routerOf(src), routerOf(dst)); m_paths[i].valid(); ++i) {
    const std::uint32_t l = m_paths[i].value();
    BookingCalendar& link = m_links[l];
    if (link.intervals() > kKeptBookings) link.forget(m_floor);
    Tick start = link.find(head, stream);
    Tick hold = stream;
    if (start >= head + stream && m_linkEfficiency < 1.0) {
      // It queued behind at least a whole packet (sustained contention, buffers filling):
      // the handover costs what the flit fabric loses to allocation and flow control there.
      hold = queuedHold(l, flits);
      start = link.find(head, hold);
    }
    link.insert(start, hold);
    if (start != head) m_stats.routerStalls[m_linkSource[l]] += (start - head) / m_period;
    m_stats.linkFlits[l] += flits;
    // Switch traversal (one cycle), the wire, then the next router's pipeline.
    head = start + m_linkLatency[l] + m_pipeline;
    ++r.hops;
  }
  BookingCalendar& eject = m_eject[dst.value()];
  if (eject.intervals() > kKeptBookings) eject.forget(m_floor);
  r.ejectStart = eject.book(head, stream);
  if (r.ejectStart != head)
    m_stats.routerStalls[routerOf(dst).value()] += (r.ejectStart - head) / m_period;
  return r;
}

void TransactionFabric::queueDelivery(const NocDelivery& d) {
  require(d.tailCycle >= m_cycle, "TransactionFabric: a delivery in the past");
  if (d.tailCycle < m_cycle + kWheel)
    m_wheel[d.tailCycle % kWheel].push_back(d);
  else
    m_overflow.emplace(d.tailCycle, d);
}

void TransactionFabric::offer(const NocPacket& p) {
  require(p.source.value() < m_endpoints.size() && p.destination.value() < m_endpoints.size(),
          "TransactionFabric::offer: unknown endpoint");
  require(p.flits >= 1, "TransactionFabric::offer: a packet has at least one flit");
  // Packets are offered in time order: each one's offer time is also the floor.
  const Tick now = std::max(p.createCycle, m_cycle) * m_period;
  const Route r = reserve(now, p.source, p.destination, p.flits, now);
  NocDelivery d;
  d.packet = p;
  const std::uint64_t ejectCycle = r.ejectStart / m_period;
  d.headCycle = ejectCycle + 1;
  d.tailCycle = ejectCycle + p.flits;
  d.hops = r.hops;
  queueDelivery(d);
  m_stats.recordOffer(p);
  ++m_inFlight;
}

void TransactionFabric::advanceTo(std::uint64_t cycle) {
  for (; m_cycle <= cycle; ++m_cycle) {
    if (m_inFlight == 0) {
      m_cycle = cycle + 1;  // nothing is waiting: jump
      break;
    }
    // Deliveries that were beyond the wheel come in when their cycle does.
    while (!m_overflow.empty() && m_overflow.begin()->first == m_cycle) {
      m_wheel[m_cycle % kWheel].push_back(m_overflow.begin()->second);
      m_overflow.erase(m_overflow.begin());
    }
    std::vector<NocDelivery>& bucket = m_wheel[m_cycle % kWheel];
    // Index loop: a delivery handler may offer packets, which land in later buckets.
    for (std::size_t i = 0; i < bucket.size(); ++i) {
      --m_inFlight;
      const NocDelivery d = bucket[i];
      deliver(d);
    }
    bucket.clear();
  }
}

TransactionFabric::Transfer TransactionFabric::transfer(Tick now, EndpointId src, EndpointId dst,
                                                        double bytes, Tick floor) {
  const std::uint32_t flits = flitsFor(bytes);
  const Route r = reserve(now, src, dst, flits, std::min(floor, now));
  Transfer t;
  t.head = r.ejectStart + m_period;
  t.tail = r.ejectStart + flits * m_period;
  t.hops = r.hops;
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
