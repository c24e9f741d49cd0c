#include "workload/NetworkPort.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "common/Errors.h"

namespace chipletsim {

int NetworkSpec::hops(int stride) const {
  switch (topology) {
    case NetworkTopology::kSwitch:
      return 1;
    case NetworkTopology::kRing:
      return std::max(1, std::min(stride, packages - stride));
    case NetworkTopology::kTorus2d: {
      // Square torus: a stride below the row length stays in the row, else it moves rows.
      const int side = std::max(1, static_cast<int>(std::lround(std::sqrt(packages))));
      const int dx = stride % side, dy = stride / side;
      return std::max(1, std::min(dx, side - dx) + std::min(dy, side - dy));
    }
  }
  return 1;
}

void NetworkSpec::validate() const {
  if (!(bandwidth.si() > 0.0)) throw SpecError("network: bandwidth must be positive");
  if (latency.si() < 0.0) throw SpecError("network: latency is negative");
  if (packages < 1) throw SpecError("network: packages must be at least 1");
  if (energyPerBit.si() < 0.0) throw SpecError("network: energy_per_bit is negative");
}

NetworkPort::NetworkPort(sc_core::sc_module_name name, const NetworkSpec& spec)
    : sc_core::sc_module(name),
      in("in"),
      m_tieOff("tie_off"),
      m_spec(spec),
      m_tx(spec.bandwidth, toTicks(spec.latency)),
      m_rx(spec.bandwidth, toTicks(spec.latency)) {
  m_spec.validate();
  in.register_b_transport(this, &NetworkPort::bTransport);
}

void NetworkPort::before_end_of_elaboration() {
  if (in.get_base_port().bind_count() == 0) m_tieOff.bind(in);
}

void NetworkPort::bTransport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
  if (gp.get_data_length() == 0) {
    gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  const Tick now = sc_core::sc_time_stamp().value() + delay.value();
  BandwidthServer& server = gp.is_write() ? m_tx : m_rx;
  const BandwidthServer::Grant g = server.reserve(now, gp.get_data_length());
  delay += sc_core::sc_time(static_cast<double>(g.arrive - now), sc_core::SC_PS);
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

void NetworkPort::reportStats(StatGroup& g, Tick horizon) const {
  g.add("bandwidth_per_direction", m_spec.bandwidth.si(), "B/s");
  g.add("bytes_sent", m_tx.bytes(), "B");
  g.add("bytes_received", m_rx.bytes(), "B");
  g.add("utilisation", m_tx.utilisation(horizon), "1", "send direction busy over the run");
  g.add("utilisation_receive", m_rx.utilisation(horizon), "1");
  g.addDistribution("queue_delay_ps", m_tx.queueDelay(), "ps", "send direction");
  g.add("energy", energy().si(), "J");
}

}  // namespace chipletsim
