#pragma once
// One input-queued virtual-channel router of the flit-level fabric (plain C++, stepped once
// per cycle by FlitFabric). Each input port has `vcs` virtual channels of `depth` flits.
// Per cycle: route computation and VC allocation for head flits (an output VC is free again
// once the previous packet's tail has been sent through it: non-atomic allocation, as
// BookSim's default, so a VC buffer may hold the tail of one packet and the head of the
// next); then separable input-first switch
// allocation with round-robin arbiters (one flit per input and per output port per cycle);
// then switch traversal, which hands the flit and the freed credit to the host. Credits
// count free downstream slots per output VC; a flit leaves only with a credit, so buffers
// never overflow. Ejection ports have unbounded credit (the endpoint sinks 1 flit/cycle).

#include <cstdint>
#include <vector>

#include "noc/NocIds.h"

namespace chipletsim::noc {

/// A flit in a buffer: its packet's slot, its index in the packet (0 = head), and the
/// first cycle it may win the switch (buffer write + router pipeline depth - 1).
struct Flit {
  std::uint32_t slot = 0;
  std::uint32_t index = 0;
  std::uint64_t ready = 0;
};

class FlitRouter {
 public:
  /// What the router asks of the fabric around it.
  class Host {
   public:
    virtual ~Host() = default;
    /// Output port and the VC range [vcLo, vcHi) for the head of packet `slot` at `router`.
    virtual void routeHead(RouterId router, std::uint32_t slot, int& outPort, int& vcLo,
                           int& vcHi) = 0;
    /// Flit `f` won output `outPort` (VC `outVc`) in cycle `now`.
    virtual void sendFlit(RouterId router, int outPort, int outVc, const Flit& f,
                          std::uint64_t now) = 0;
    /// A flit left input (`inPort`, `vc`) in cycle `now`: its buffer slot is free.
    virtual void sendCredit(RouterId router, int inPort, int vc, std::uint64_t now) = 0;
    /// Whether `f` is its packet's tail.
    virtual bool isTail(const Flit& f) const = 0;
  };

  /// `netPorts` network ports then `localPorts` endpoint ports; requires ports <= 64.
  FlitRouter(RouterId id, int netPorts, int localPorts, int vcs, int depth);

  RouterId id() const { return m_id; }
  int ports() const { return m_ports; }
  /// Flits buffered in this router.
  std::uint32_t flits() const { return m_flits; }

  /// Free slots in input (port, vc).
  int space(int port, int vc) const { return m_depth - static_cast<int>(vcAt(port, vc).count); }
  /// Writes `f` into input (port, vc); the caller guarantees space (credit protocol).
  void push(int port, int vc, const Flit& f);
  /// A credit for output (port, vc) came back: one more free slot downstream.
  void addCredit(int port, int vc);
  /// An idle, empty VC of input `port` for a new packet from an endpoint, or -1.
  int claimInjectionVc(int port);

  /// One cycle of allocation and traversal. Returns the flits that moved.
  int step(std::uint64_t now, Host& host);
  /// Flit-cycles a ready flit waited (VC, credit or switch), since construction.
  std::uint64_t stalls() const { return m_stalls; }

 private:
  enum class VcState : std::uint8_t { kIdle, kRouting, kActive };
  struct InputVc {
    std::uint32_t head = 0;
    std::uint32_t count = 0;
    VcState state = VcState::kIdle;
    bool routed = false;
    std::int16_t outPort = -1;
    std::int16_t outVc = -1;
    std::int16_t vcLo = 0;
    std::int16_t vcHi = 0;
  };

  InputVc& vcAt(int port, int vc) { return m_ivc[static_cast<std::size_t>(port * m_vcs + vc)]; }
  const InputVc& vcAt(int port, int vc) const {
    return m_ivc[static_cast<std::size_t>(port * m_vcs + vc)];
  }
  Flit& front(int idx) { return m_buf[static_cast<std::size_t>(idx * m_depth) + m_ivc[idx].head]; }
  void allocateVcs(std::uint64_t now, Host& host);

  RouterId m_id;
  int m_ports;
  int m_vcs;
  int m_depth;
  std::uint32_t m_flits = 0;
  std::uint64_t m_stalls = 0;
  std::vector<InputVc> m_ivc;           // [port * vcs + vc]
  std::vector<Flit> m_buf;              // [(port * vcs + vc) * depth + i], ring buffers
  std::vector<std::int32_t> m_credits;  // [port * vcs + vc], free downstream slots
  std::vector<std::uint8_t> m_outBusy;  // [port * vcs + vc], downstream VC owned
  std::vector<int> m_rrIn;              // per input port: next VC to favour
  std::vector<int> m_rrOut;             // per output port: next input to favour
  std::vector<int> m_rrVc;              // per output port: next output VC to try
  int m_rrVa = 0;                       // first input VC considered by VC allocation
  std::vector<std::uint64_t> m_req;     // per output port: mask of requesting inputs
  std::vector<int> m_chosenVc;          // per input port: VC bidding in this cycle
};

}  // namespace chipletsim::noc
