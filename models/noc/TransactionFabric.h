#pragma once
// The transaction-level NoC: each directed link, each endpoint's injection channel and each
// ejection channel is a BandwidthServer of one flit per cycle; a packet reserves them hop
// by hop along the same route the flit fabric takes, with pipelined (cut-through/wormhole)
// timing: its head leaves a router routerDelay cycles after arriving (or once the output
// link is free), reaches the next router linkDelay + 1 cycles after entering the link, and
// the tail follows L - 1 cycles behind the head. It models link contention but not
// backpressure through finite buffers, so it agrees with the flit fabric below saturation
// (tests check within 10%) at a cost per packet-hop rather than per flit-cycle.

#include <cstdint>
#include <queue>
#include <vector>

#include "common/BandwidthServer.h"
#include "noc/NocFabric.h"

namespace chipletsim::noc {

class TransactionFabric : public NocFabric {
 public:
  explicit TransactionFabric(const NocSpec& spec);

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
  struct Hop {
    Tick time;           // when the head bids for its next channel
    std::uint64_t seq;   // creation order, to break ties deterministically
    std::uint32_t slot;  // index into m_packets
    RouterId at;
    bool injected;
    bool operator>(const Hop& o) const { return time != o.time ? time > o.time : seq > o.seq; }
  };
  struct PacketState {
    NocPacket packet;
    std::uint8_t routeState = 0;
    std::uint32_t hops = 0;
  };
  /// Moves the head of `slot` one channel on from `at` at tick `t`; returns the tick the
  /// head reaches the next router's switch bid, or 0 after the last channel (delivered).
  void advanceHop(const Hop& h);
  Tick pipelineTicks() const { return static_cast<Tick>(m_spec.routerDelayCycles - 1) * m_period; }

  Tick m_period;
  double m_flitBytes;
  std::vector<BandwidthServer> m_links;
  std::vector<BandwidthServer> m_inject;
  std::vector<BandwidthServer> m_eject;
  std::vector<PacketState> m_packets;
  std::vector<std::uint32_t> m_free;
  std::priority_queue<Hop, std::vector<Hop>, std::greater<Hop>> m_events;
  std::uint64_t m_seq = 0;
  std::uint64_t m_inFlight = 0;
};

}  // namespace chipletsim::noc
