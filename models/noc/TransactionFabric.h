#pragma once
// The transaction-level NoC: each directed link, each endpoint's injection channel and each
// ejection channel is a BandwidthServer of one flit per cycle; a packet reserves them hop
// by hop along the same route the flit fabric takes, with pipelined (cut-through/wormhole)
// timing: its head leaves a router routerDelay cycles after arriving (or once the output
// link is free), reaches the next router linkDelay + 1 cycles after entering the link, and
// the tail follows L - 1 cycles behind the head. It models link contention but not
// backpressure through finite buffers, so it agrees with the flit fabric below saturation
// (tests check within 10%) at a cost per packet-hop rather than per flit-cycle, as long as
// a packet fits in one VC buffer (virtual cut-through). Packets much longer than a buffer
// block across several routers in the flit fabric (wormhole); there the transaction fabric
// is optimistic under load (8x8 mesh, 32-flit packets, 8-flit buffers, 0.3 flits/node/cycle:
// 104 vs 201 cycles). A link efficiency below 1 (workload/NocCalibration.h) makes each
// packet hold a link for L / efficiency cycles so the fabric saturates where the flit one
// does.

#include <cstdint>
#include <map>
#include <vector>

#include "common/BandwidthServer.h"
#include "noc/NocFabric.h"

namespace chipletsim::noc {

class TransactionFabric : public NocFabric {
 public:
  /// `linkEfficiency` in (0, 1]: the fraction of a link's cycles that carry flits at
  /// saturation in the flit fabric (allocation and flow-control losses). Each packet holds a
  /// link for L / linkEfficiency cycles while its own flits still stream at one per cycle,
  /// so zero-load timing is unchanged. 1 (default): ideal links.
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
  /// `now`. Calls should come in nondecreasing `now` (a server is FIFO in call order).
  Transfer transfer(Tick now, EndpointId src, EndpointId dst, double bytes);
  /// Flits a transfer of `bytes` occupies (rounded up; at least 1).
  std::uint32_t flitsFor(double bytes) const;

 private:
  /// A packet's head bidding for its next channel (injection, a link, or ejection).
  struct Hop {
    std::uint32_t slot;  // index into m_packets
    RouterId at;
    bool injected;
  };
  struct PacketState {
    NocPacket packet;
    std::uint32_t path = 0;  // offset of its route in m_paths
    std::uint32_t hops = 0;  // links taken so far
  };
  /// Reserves the channel `h` bids for at tick `t` and schedules the next bid.
  void advanceHop(const Hop& h, Tick t);
  /// Queues `h` for cycle `cycle` (>= the cycle being processed).
  void schedule(std::uint64_t cycle, const Hop& h);
  Tick pipelineTicks() const { return static_cast<Tick>(m_spec.routerDelayCycles - 1) * m_period; }

  /// Offset in m_paths of the route from router `a` to router `b`, computed on first use.
  std::uint32_t pathOf(RouterId a, RouterId b);

  Tick m_period;
  double m_linkEfficiency;
  // Routes cached per router pair: links in order, then an invalid id as terminator.
  std::vector<LinkId> m_paths;
  std::vector<std::uint32_t> m_pathIndex;  // [a * routers + b], kNoPath until computed
  static constexpr std::uint32_t kNoPath = ~0u;
  double m_flitBytes;
  std::vector<BandwidthServer> m_links;
  std::vector<BandwidthServer> m_inject;
  std::vector<BandwidthServer> m_eject;
  std::vector<PacketState> m_packets;
  std::vector<std::uint32_t> m_free;
  // Bids by cycle: a timing wheel of kWheel cycles (O(1) per event; bids never go back in
  // time, so buckets are served in cycle order), and an ordered overflow for bids further
  // ahead (a packet queued for very long). Within a cycle, bids are served in the order
  // they were made, which is deterministic.
  static constexpr std::uint64_t kWheel = 4096;
  std::vector<std::vector<Hop>> m_wheel;
  std::multimap<std::uint64_t, Hop> m_overflow;
  std::uint64_t m_cycle = 0;  // next cycle to process
  std::uint64_t m_pending = 0;
  std::uint64_t m_inFlight = 0;
};

}  // namespace chipletsim::noc
