#pragma once
// The flit-level NoC: cycle-driven virtual-channel routers (FlitRouter) joined by pipelined
// links with credit-based flow control. Plain C++, no SystemC kernel, so it is fast and
// unit-testable. Timing per hop: a flit written into an input buffer in cycle a may win the
// switch in cycle a + routerDelay - 1 and reaches the next router's buffer in cycle
// a + routerDelay + linkDelay; at the destination it leaves the router in cycle
// a + routerDelay. Credits travel back over the link's delay. Zero-load latency is thus
// H x routerDelay + (H - 1) x linkDelay + (L - 1) cycles for H routers and L flits.

#include <cstdint>
#include <deque>
#include <vector>

#include "noc/FlitRouter.h"
#include "noc/NocFabric.h"

namespace chipletsim::noc {

class FlitFabric : public NocFabric, private FlitRouter::Host {
 public:
  /// Throws SpecError when `spec` is invalid.
  explicit FlitFabric(const NocSpec& spec);

  void offer(const NocPacket& p) override;
  void advanceTo(std::uint64_t cycle) override;
  std::uint64_t inFlight() const override { return m_inFlight; }
  Fidelity fidelity() const override { return Fidelity::kFlit; }

  /// The next cycle to simulate.
  std::uint64_t now() const { return m_now; }
  /// Flit-hops simulated so far (flits sent over links, plus ejections).
  std::uint64_t flitHops() const { return m_flitHops; }
  /// A run with flits buffered and none moving for this many cycles is a deadlock
  /// (InternalError).
  static constexpr std::uint64_t kDeadlockCycles = 100000;

 private:
  struct PacketState {
    NocPacket packet;
    RouterId srcRouter;
    RouterId dstRouter;
    int ejectPort = 0;
    std::uint8_t routeState = 0;
    std::uint32_t hops = 0;
    std::uint64_t headCycle = 0;
  };
  struct Endpoint {
    RouterId router;
    int port = 0;                     // local input/output port at the router
    std::deque<std::uint32_t> queue;  // waiting packets (slots), in creation order
    std::int64_t current = -1;        // slot being injected
    std::uint32_t nextFlit = 0;
    int vc = -1;
  };
  struct Event {
    bool credit = false;
    std::uint16_t port = 0;
    std::uint16_t vc = 0;
    std::uint32_t router = 0;
    Flit flit;
  };

  void stepCycle();
  void inject(Endpoint& e);
  void schedule(std::uint64_t at, const Event& ev);

  // FlitRouter::Host
  void routeHead(RouterId router, std::uint32_t slot, int& outPort, int& vcLo, int& vcHi) override;
  void sendFlit(RouterId router, int outPort, int outVc, const Flit& f, std::uint64_t now) override;
  void sendCredit(RouterId router, int inPort, int vc, std::uint64_t now) override;
  bool isTail(const Flit& f) const override { return f.index + 1 == m_slots[f.slot].packet.flits; }

  std::vector<FlitRouter> m_routers;
  std::vector<Endpoint> m_endpointState;
  std::vector<std::vector<EndpointId>> m_localEndpoint;  // [router][local port index]
  std::vector<PacketState> m_slots;
  std::vector<std::uint32_t> m_freeSlots;
  std::vector<std::vector<Event>> m_wheel;  // events by cycle modulo its size
  std::uint64_t m_pendingEvents = 0;
  std::uint64_t m_now = 0;
  std::uint64_t m_inFlight = 0;
  std::uint64_t m_flitsInNetwork = 0;  // injected into a router, not yet ejected
  std::uint64_t m_lastProgress = 0;
  std::uint64_t m_flitHops = 0;
  std::uint64_t m_lastCreate = 0;
  int m_vcsPerClass = 1;
};

}  // namespace chipletsim::noc
