#pragma once
// The transaction-level NoC: a packet reserves its whole route in one call, when it is
// offered, with pipelined (cut-through/wormhole) timing and no event per hop. The cost is
// per packet-hop.
//
// Resources, each a BookingCalendar (common/) that books the earliest free interval at or
// after the head's arrival, so a packet offered later but arriving first still goes first
// when there is room:
//   - the source's injection channel;
//   - per hop: the directed link (one flit per cycle); the input port of the router the
//     packet leaves (one flit per cycle, shared by that port's VCs; it need be free only for
//     one VC buffer's worth of flits, as beyond that the flit fabric's switch interleaves the
//     flits of the port's VCs, and its booking is cut short where a later one begins); one
//     of the VCs at the link's far end;
//   - the destination's ejection port.
//
// Timing: the head enters the source router when injection starts and leaves a router
// routerDelay cycles after arriving, or once link, input port and a VC are free; it reaches
// the next router linkDelay + 1 cycles after entering the link; the tail follows L - 1
// cycles behind the head into the ejection port. The delivery is queued and reported when
// simulated time reaches its tail cycle.
//
// Finite buffers, from the config (virtual_channels, buffer_depth_flits): a packet holds
// the VC it took at each hop from its head's departure until its tail has left the sending
// router and the receiving router's buffer (non-atomic VC reuse, as in the flit fabric);
// with no VC free the head waits. A packet longer than a VC buffer (B flits) whose head
// waited leaves its body in the buffers behind it: flit j leaves a router no earlier than
// flit j - B has left the next one and its credit has come back. So its tail leaves each
// router, and its source, late, and it holds VCs and the injection channel the longer
// (wormhole backpressure, computed backwards along the route after the head's pass).
//
// Below saturation the mean latency agrees with the flit fabric's within 10% for short and
// long packets (tests; tests/bench/noc/README.md). Not modelled: head-of-line blocking of
// one VC by another waiting on the same input port. A link efficiency below 1
// (workload/NocCalibration.h) makes each packet that queued a whole packet time for a link
// hold it for L / efficiency cycles, so the fabric saturates where the flit one does.

#include <cstdint>
#include <map>
#include <vector>

#include "common/BookingCalendar.h"
#include "noc/NocFabric.h"

namespace chipletsim::noc {

class TransactionFabric : public NocFabric {
 public:
  /// `linkEfficiency` in (0, 1]: the fraction of a link's cycles that carry flits at
  /// saturation in the flit fabric (allocation and flow-control losses, which arise under
  /// sustained contention). A packet that queued for a link for at least its own length
  /// (L cycles) holds it for L / linkEfficiency cycles while its own flits still stream at
  /// one per cycle; any other holds it for L cycles, so zero-load timing is unchanged.
  /// 1 (default): ideal links.
  explicit TransactionFabric(const NocSpec& spec, double linkEfficiency = 1.0);
  double linkEfficiency() const { return m_linkEfficiency; }

  void offer(const NocPacket& p) override;
  void advanceTo(std::uint64_t cycle) override;
  std::uint64_t inFlight() const override { return m_inFlight; }
  Fidelity fidelity() const override { return Fidelity::kTransaction; }

  /// Timing of one transfer through the fabric (for the SystemC shell), in ticks.
  struct Transfer {
    Tick head = 0;  // head flit delivered to the destination endpoint
    Tick tail = 0;  // last flit delivered
    std::uint32_t hops = 0;
  };
  /// Reserves the whole path of `bytes` (>= 1 flit) from `src` to `dst` offered at tick
  /// `now`. Calls may come out of time order (temporally decoupled initiators: a response
  /// booked when its target will be done, ahead of requests offered now); every channel,
  /// injection included, then serves packets in time order, not call order. `floor`
  /// promises that no later call comes with a `now` before it (the kernel's current time
  /// for initiators that annotate delays >= 0); bookings that end before the floor may be
  /// forgotten, and a call earlier than bookings already forgotten waits for them. 0 (the
  /// default) promises nothing and keeps every booking.
  Transfer transfer(Tick now, EndpointId src, EndpointId dst, double bytes, Tick floor = 0);
  /// Flits a transfer of `bytes` occupies (rounded up; at least 1).
  std::uint32_t flitsFor(double bytes) const;

 private:
  /// One hop of a cached route: the link and the VCs [vcLo, vcHi) its class may take.
  struct Hop {
    LinkId link;
    std::uint16_t vcLo = 0;
    std::uint16_t vcHi = 0;
  };
  /// When the packet's head starts into the ejection port, and links taken.
  struct Route {
    Tick ejectStart = 0;
    std::uint32_t hops = 0;
  };
  /// Books injection, links, input ports, VCs and ejection for `flits` flits offered at
  /// tick `now`; no later call comes before `floor` (<= now).
  Route reserve(Tick now, EndpointId src, EndpointId dst, std::uint32_t flits, Tick floor);
  /// The earliest start >= `t` at which `link` is free for `hold` ticks, the input port
  /// `in` (if any) for `inHold`, and one of the VCs [vcLo, vcHi) of `vcs` (if any) for
  /// `stream`; that VC into `vc`.
  static Tick findFree(Tick t, BookingCalendar& link, const BookingCalendar* in, Tick inHold,
                       BookingCalendar* vcs, const Hop& hop, Tick hold, Tick stream,
                       std::uint32_t& vc);
  /// From when the head leaves each of `positions` positions (m_heads), when the tail of a
  /// `flits`-flit packet does (m_tails), under credit backpressure.
  void tailDepartures(std::uint32_t flits, std::size_t positions);
  /// Books the VC taken at hop `h` (over `link`) from its head's departure m_heads[h + 1]
  /// until the tail has left the sending router (`sent`, the tick after its last flit
  /// left) and the receiving one (`received`).
  void bookVc(std::uint32_t link, std::uint32_t h, Tick sent, Tick received);
  /// Drops a calendar's bookings behind the floor once it holds more than kKeptBookings,
  /// or all of them, at once, when its last one ends there.
  void forgetStale(BookingCalendar& c) const {
    if (c.lastEnd() <= m_floor || c.intervals() > kKeptBookings) c.forget(m_floor);
  }
  /// Ticks a packet of `flits` flits holds `link` after queueing for it: its flits
  /// stretched by the link efficiency, in whole cycles.
  Tick queuedHold(std::uint32_t link, std::uint32_t flits);
  /// Queues `d` for reporting in cycle d.tailCycle (>= the cycle being processed).
  void queueDelivery(const NocDelivery& d);
  /// Offset in m_paths of the route from router `a` to router `b` (computed when the fabric
  /// is built for routers with endpoints, otherwise on first use).
  std::uint32_t pathOf(RouterId a, RouterId b);

  Tick m_period;
  Tick m_pipeline;  // (routerDelay - 1) cycles: buffer write to switch traversal
  double m_linkEfficiency;
  double m_flitBytes;
  std::uint32_t m_vcCount;            // VCs per input port
  std::uint32_t m_depthFlits;         // flits per VC buffer
  Tick m_bufferTicks;                 // cycles a VC buffer's flits take through a port
  bool m_buffersCoverCredits = true;  // B cycles >= every credit loop (see the constructor)
  // Routes cached per router pair: hops in order, then an invalid link as terminator.
  std::vector<Hop> m_paths;
  std::vector<std::uint32_t> m_pathIndex;  // [a * routers + b], kNoPath until computed
  static constexpr std::uint32_t kNoPath = ~0u;
  std::vector<BookingCalendar> m_links;     // per link: its flits, one per cycle
  std::vector<BookingCalendar> m_inPort;    // per link: the input port it feeds
  std::vector<BookingCalendar> m_vcs;       // per link: [link * V + vc], a VC it feeds
  std::vector<Tick> m_linkLatency;          // (1 + linkDelay) cycles: switch traversal and wire
  std::vector<std::uint32_t> m_linkSource;  // router each link leaves (for stall counts)
  std::vector<double> m_holdCarry;          // per link: fraction of a cycle owed (efficiency < 1)
  std::vector<BookingCalendar> m_inject;    // per endpoint: the injection channel
  std::vector<BookingCalendar> m_eject;
  // Scratch of reserve(), per position along the route (source, routers, ejection):
  std::vector<Tick> m_heads;           // when the head leaves it
  std::vector<Tick> m_tails;           // when the tail leaves it
  std::vector<Tick> m_credit;          // credit delay from the next position back to it
  std::vector<std::uint32_t> m_hopVc;  // per hop: the VC taken at the far end
  Tick m_floor = 0;  // no later call comes before this tick (bookings before it may go)
  // Bookings behind the floor are dropped only once a calendar holds more than this many:
  // a few stale ones cost less to skip than to drop one by one.
  static constexpr std::size_t kKeptBookings = 16;
  // Room reserved per calendar: kept bookings, those ahead of the floor, and the dropped
  // ones a calendar holds until it compacts (common/BookingCalendar.h).
  static constexpr std::size_t kReservedBookings = 64;
  // Deliveries by tail cycle: a timing wheel of kWheel cycles (deliveries never go back in
  // time, so buckets are served in cycle order), and an ordered overflow for deliveries
  // further ahead (a packet queued for very long). Within a cycle, deliveries are reported
  // in the order the packets were offered, which is deterministic.
  static constexpr std::uint64_t kWheel = 1024;
  std::vector<std::vector<NocDelivery>> m_wheel;
  std::multimap<std::uint64_t, NocDelivery> m_overflow;
  std::uint64_t m_cycle = 0;  // next cycle to process
  std::uint64_t m_inFlight = 0;
};

}  // namespace chipletsim::noc
