#pragma once
// One package's port into a scale-up or scale-out network, as a TLM-2.0 target: a write is
// data this package sends, a read data it receives. Each direction is a FIFO bandwidth
// server of the port's per-direction bandwidth followed by the network's one-way latency
// (switch traversal or the hops of a ring). Every collective and pipeline transfer of the
// package shares the port, so they contend in simulated time. Loosely timed: b_transport
// annotates the delay and never waits.

#include <cstdint>
#include <string>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include "common/BandwidthServer.h"
#include "common/StatGroup.h"
#include "common/Units.h"

namespace chipletsim {

enum class NetworkTopology { kSwitch, kRing, kTorus2d };

struct NetworkSpec {
  NetworkTopology topology = NetworkTopology::kSwitch;
  Bandwidth bandwidth;        // bytes per second per direction of one package's port
  Duration latency;           // one-way latency of one message to a neighbour (alpha of one step)
  int packages = 1;           // packages the network joins (the scale-up domain size), >= 1
  EnergyPerBit energyPerBit;  // joules per bit sent, 0 when unknown

  /// Hops between group members `stride` packages apart: 1 on a switch, the ring or torus
  /// distance otherwise.
  int hops(int stride) const;
  /// Throws SpecError on a broken invariant.
  void validate() const;
};

class NetworkPort : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<NetworkPort> in;

  /// `spec` must validate (SpecError otherwise).
  NetworkPort(sc_core::sc_module_name name, const NetworkSpec& spec);

  const NetworkSpec& spec() const { return m_spec; }
  /// Busy fraction of the send direction over [0, horizon ticks].
  double utilisation(Tick horizon) const { return m_tx.utilisation(horizon); }
  double bytesSent() const { return m_tx.bytes(); }
  /// Ticks the send (receive) direction has been busy in [0, now]: the FIFO server's
  /// reservations beyond `now` form one block ending when it is next free, left out here.
  Tick sendBusyTicks(Tick now) const { return busyUpTo(m_tx, now); }
  Tick receiveBusyTicks(Tick now) const { return busyUpTo(m_rx, now); }
  double bytesReceived() const { return m_rx.bytes(); }
  Energy energy() const { return Energy(m_tx.bytes() * 8.0 * m_spec.energyPerBit.si()); }
  /// Stats: bytes each way, utilisation up to `horizon`, queueing delay, energy.
  void reportStats(StatGroup& group, Tick horizon) const;

 private:
  void bTransport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
  static Tick busyUpTo(const BandwidthServer& s, Tick now) {
    const Tick ahead = s.freeAt() > now ? s.freeAt() - now : 0;
    return s.busyTicks() > ahead ? s.busyTicks() - ahead : 0;
  }
  /// Ties off `in` when nothing drives it (a platform run with a workload that stays inside
  /// the package).
  void before_end_of_elaboration() override;

  tlm_utils::simple_initiator_socket_optional<NetworkPort> m_tieOff;

  NetworkSpec m_spec;
  BandwidthServer m_tx;
  BandwidthServer m_rx;
};

}  // namespace chipletsim
