#include "common/BandwidthServer.h"

#include <algorithm>

#include "common/Errors.h"

namespace chipletsim {

BandwidthServer::BandwidthServer(Bandwidth bw, Tick latency) : m_bw(bw), m_latency(latency) {
  if (!(bw.si() > 0.0)) throw SpecError("BandwidthServer: bandwidth must be positive");
}

BandwidthServer::Grant BandwidthServer::reserve(Tick now, double bytes) {
  Grant g;
  g.start = std::max(now, m_freeAt);
  const Tick ser = serializationTicks(bytes, m_bw);
  g.done = g.start + ser;
  g.arrive = g.done + m_latency;
  m_queueDelay.add(static_cast<double>(g.start - now));
  m_freeAt = g.done;
  m_busy += ser;
  m_bytes += bytes;
  ++m_transfers;
  return g;
}

double BandwidthServer::utilisation(Tick horizon) const {
  if (horizon == 0) return 0.0;
  return std::min(1.0, static_cast<double>(m_busy) / static_cast<double>(horizon));
}

}  // namespace chipletsim
