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
      m_flitBytes(m_spec.flitSize.si()),
      m_vcCount(static_cast<std::uint32_t>(m_spec.virtualChannels)),
      m_depthFlits(static_cast<std::uint32_t>(m_spec.bufferDepthFlits)),
      m_bufferTicks(static_cast<Tick>(m_depthFlits) * m_period) {
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
  m_vcs.resize(links * m_vcCount);
  m_inPort.resize(links);
  m_inject.resize(m_endpoints.size());
  m_eject.resize(m_endpoints.size());
  m_wheel.resize(kWheel);
  // Calendars and delivery buckets sized once rather than grown booking by booking.
  for (auto* group : {&m_links, &m_inPort, &m_vcs, &m_inject, &m_eject})
    for (BookingCalendar& c : *group) c.reserve(kReservedBookings);
  for (auto& bucket : m_wheel) bucket.reserve(8);
  const auto n = static_cast<std::size_t>(m_topo.routerCount());
  m_pathIndex.assign(n * n, kNoPath);
  // The routes between the routers that carry endpoints, computed once here (a routing
  // table) rather than on a packet's first use.
  std::vector<RouterId> routers;
  for (std::size_t e = 0; e < m_endpoints.size(); ++e)
    routers.push_back(routerOf(EndpointId(static_cast<std::uint32_t>(e))));
  std::sort(routers.begin(), routers.end(),
            [](RouterId x, RouterId y) { return x.value() < y.value(); });
  routers.erase(std::unique(routers.begin(), routers.end()), routers.end());
  for (RouterId a : routers)
    for (RouterId b : routers) pathOf(a, b);
  // pathOf() lets a route have at most links + 1 hops (one more reveals a loop): at most
  // links + 3 positions.
  m_heads.resize(links + 3);
  m_tails.resize(links + 3);
  m_credit.resize(links + 3);
  m_hopVc.resize(links + 1);
  // Whether a buffer covers the credit loop of every hop (and of the injection): then a
  // head that never waited streams its body behind it unhindered.
  const Tick depth = m_bufferTicks;
  m_buffersCoverCredits = depth >= m_pipeline + m_period;
  for (std::size_t l = 0; l < links; ++l)
    m_buffersCoverCredits = m_buffersCoverCredits &&
                            depth >= m_linkLatency[l] + m_pipeline + m_linkLatency[l] - m_period;
}

std::uint32_t TransactionFabric::pathOf(RouterId a, RouterId b) {
  std::uint32_t& idx =
      m_pathIndex[a.value() * static_cast<std::size_t>(m_topo.routerCount()) + b.value()];
  if (idx == kNoPath) {
    idx = static_cast<std::uint32_t>(m_paths.size());
    const int perClass = m_spec.virtualChannels / m_spec.vcClasses();
    std::uint8_t state = 0;
    for (RouterId at = a; at != b;) {
      const RouteDecision r = m_routing->route(at, a, b, state);
      state = r.state;
      const LinkId l = m_topo.outLink(at, r.port);
      require(l.valid() && m_paths.size() - idx <= static_cast<std::size_t>(m_topo.linkCount()),
              "TransactionFabric: route leaves through an unconnected port or loops");
      // The flit fabric's VC range for the class (the last class takes the remainder).
      const int lo = r.vcClass * perClass;
      const int hi = r.vcClass + 1 == m_spec.vcClasses() ? m_spec.virtualChannels : lo + perClass;
      m_paths.push_back(Hop{l, static_cast<std::uint16_t>(lo), static_cast<std::uint16_t>(hi)});
      at = m_topo.link(l).dst;
    }
    m_paths.push_back(Hop{});
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

Tick TransactionFabric::findFree(Tick t, BookingCalendar& link, const BookingCalendar* in,
                                 Tick inHold, BookingCalendar* vcs, const Hop& hop, Tick hold,
                                 Tick stream, std::uint32_t& vc) {
  for (;;) {
    t = link.find(t, hold);
    if (in) {
      const Tick u = in->find(t, inHold);
      if (u != t) {
        t = u;
        continue;
      }
    }
    if (!vcs) return t;
    Tick best = ~Tick{0};
    for (std::uint32_t v = hop.vcLo; v < hop.vcHi; ++v) {
      const Tick s = vcs[v].find(t, stream);
      if (s < best) {
        best = s;
        vc = v;
        if (s == t) return t;
      }
    }
    t = best;  // no VC free yet: ask the link again from when one is
  }
}

void TransactionFabric::tailDepartures(std::uint32_t flits, std::size_t positions) {
  // Flit j leaves position i no earlier than j cycles after the head did, nor before flit
  // j - B has left position i + 1 and its credit has come back (B flits of buffer):
  // D_i(j) = max(g_i + j, D_{i+1}(j - B) + c_i). Unrolled for the tail (j = L - 1): the
  // largest of g_{i+m} + (L - 1 - mB) + c_i + ... + c_{i+m-1} over the m with mB <= L - 1.
  const Tick last = static_cast<Tick>(flits - 1) * m_period;
  const Tick depth = static_cast<Tick>(m_depthFlits) * m_period;
  for (std::size_t i = 0; i < positions; ++i) {
    Tick tail = m_heads[i] + last;
    Tick credit = 0;
    Tick behind = 0;
    for (std::size_t k = i + 1; k < positions && behind + depth <= last; ++k) {
      credit += m_credit[k - 1];
      behind += depth;
      tail = std::max(tail, m_heads[k] + last - behind + credit);
    }
    m_tails[i] = tail;
  }
}

inline void TransactionFabric::bookVc(std::uint32_t link, std::uint32_t h, Tick sent,
                                      Tick received) {
  // The VC is free for the next head once this tail has left the sending router
  // (non-atomic allocation) and that head, arriving, finds the tail gone from the buffer.
  const Tick end = std::max(sent, received - (m_linkLatency[link] + m_pipeline));
  BookingCalendar& vc = m_vcs[static_cast<std::size_t>(link) * m_vcCount + m_hopVc[h]];
  forgetStale(vc);
  vc.insertUntil(m_heads[h + 1], end);
}

TransactionFabric::Route TransactionFabric::reserve(Tick now, EndpointId src, EndpointId dst,
                                                    std::uint32_t flits, Tick floor) {
  m_floor = std::max(m_floor, floor);
  const Tick stream = flits * m_period;
  const Tick inHold = std::min(stream, m_bufferTicks);
  const Hop* path = &m_paths[pathOf(routerOf(src), routerOf(dst))];
  // Positions the packet leaves, in order: the source endpoint (into the source router's
  // buffer), each router on the route (onto its link), the destination router (into the
  // ejection port). m_heads[i]: when the head leaves position i.
  BookingCalendar& inject = m_inject[src.value()];
  forgetStale(inject);
  const Tick injected = inject.find(now, stream);
  m_heads[0] = injected;
  Tick head = injected + m_pipeline;
  BookingCalendar* in = nullptr;  // the input port the head is in (none at the source)
  bool waited = false;            // the head waited somewhere
  // A packet no longer than a VC buffer never leaves its body behind (no backpressure): the
  // VC of each hop is booked as soon as the next head departure is known, in the same pass.
  const bool mayBackUp = flits > m_depthFlits;
  std::uint32_t hops = 0;
  for (; path[hops].link.valid(); ++hops) {
    const Hop& hop = path[hops];
    const std::uint32_t l = hop.link.value();
    BookingCalendar& link = m_links[l];
    forgetStale(link);
    BookingCalendar* vcs = &m_vcs[static_cast<std::size_t>(l) * m_vcCount];
    std::uint32_t vc = hop.vcLo;
    // Mostly link, port and the first VC are free when the head arrives.
    Tick start = head;
    if (link.find(head, stream) != head || (in && in->find(head, inHold) != head) ||
        vcs[vc].find(head, stream) != head)
      start = findFree(head, link, in, inHold, vcs, hop, stream, stream, vc);
    Tick hold = stream;
    if (start >= head + stream && m_linkEfficiency < 1.0) {
      // It queued behind at least a whole packet (sustained contention, buffers filling):
      // the handover costs what the flit fabric loses to allocation and flow control there.
      hold = queuedHold(l, flits);
      start = findFree(head, link, in, inHold, vcs, hop, hold, stream, vc);
    }
    link.insert(start, hold);
    if (in) in->insertUntil(start, start + stream);
    if (start != head) {
      m_stats.routerStalls[m_linkSource[l]] += (start - head) / m_period;
      waited = true;
    }
    m_stats.linkFlits[l] += flits;
    m_heads[hops + 1] = start;
    m_hopVc[hops] = vc;
    if (!mayBackUp && hops > 0)
      bookVc(path[hops - 1].link.value(), hops - 1, m_heads[hops] + stream,
             m_heads[hops + 1] + stream);
    // Switch traversal (one cycle), the wire, then the next router's pipeline.
    head = start + m_linkLatency[l] + m_pipeline;
    in = &m_inPort[l];
    forgetStale(*in);
  }
  BookingCalendar& eject = m_eject[dst.value()];
  forgetStale(eject);
  Route r;
  r.hops = hops;
  std::uint32_t unused = 0;
  r.ejectStart = findFree(head, eject, in, inHold, nullptr, path[hops], stream, stream, unused);
  eject.insert(r.ejectStart, stream);
  if (in) in->insertUntil(r.ejectStart, r.ejectStart + stream);
  if (r.ejectStart != head) {
    m_stats.routerStalls[routerOf(dst).value()] += (r.ejectStart - head) / m_period;
    waited = true;
  }
  m_heads[hops + 1] = r.ejectStart;
  if (!mayBackUp) {
    if (hops > 0)
      bookVc(path[hops - 1].link.value(), hops - 1, m_heads[hops] + stream,
             m_heads[hops + 1] + stream);
    inject.insertUntil(injected, injected + stream);
    return r;
  }

  // Where the head waited, the body of a packet longer than a VC buffer stayed behind it in
  // the buffers of the routers upstream (credit backpressure): its tail leaves each
  // position later than L - 1 cycles after the head; otherwise exactly that (m_heads + last).
  const bool backpressure = waited || !m_buffersCoverCredits;
  if (backpressure) {
    // Credit delays back from each position to the one before it: the endpoint sees the
    // source buffer's space a cycle later; credits travel the wire back.
    m_credit[0] = m_period;
    for (std::uint32_t h = 0; h < hops; ++h)
      m_credit[h + 1] = m_linkLatency[path[h].link.value()] - m_period;
    tailDepartures(flits, hops + 2);
  }
  const Tick* tails = backpressure ? m_tails.data() : m_heads.data();
  const Tick last = backpressure ? 0 : stream - m_period;
  // The endpoint injects one packet at a time: its channel is held until the tail is in.
  inject.insertUntil(injected, tails[0] + last + m_period);
  for (std::uint32_t h = 0; h < hops; ++h)
    bookVc(path[h].link.value(), h, tails[h + 1] + last + m_period, tails[h + 2] + last + m_period);
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
