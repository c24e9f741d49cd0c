#include "workload/NocTrafficDriver.h"

#include <algorithm>

#include "workload/NocTrafficSource.h"

namespace chipletsim::workload {

namespace {
// Cycles simulated per batch of offered packets: long enough to amortise the calls, short
// enough that the source queue stays small.
constexpr std::uint64_t kBatch = 64;
}  // namespace

NocTrafficDriver::NocTrafficDriver(noc::NocFabric& fabric, const NocTrafficSpec& spec)
    : m_fabric(fabric), m_spec(spec) {
  m_spec.validate();
}

NocTrafficResult NocTrafficDriver::run() {
  const noc::Topology& topo = m_fabric.topology();
  const int endpoints = static_cast<int>(m_fabric.endpoints().size());
  const bool grid = endpoints == topo.routerCount();
  const NocTrafficPattern pattern(m_spec.pattern, grid ? topo.dimX() : endpoints,
                                  grid ? topo.dimY() : 1, m_spec.hotspots, m_spec.hotspotFraction);
  NocTrafficSource source(m_spec, pattern);

  const std::uint64_t begin = m_spec.warmupCycles;
  const std::uint64_t end = begin + m_spec.measureCycles;
  NocTrafficResult res;
  std::uint64_t flitsCreated = 0, flitsAccepted = 0, outstanding = 0;
  m_fabric.onDelivery([&](const noc::NocDelivery& d) {
    ++res.delivered;
    if (d.tailCycle > begin && d.tailCycle <= end) flitsAccepted += d.packet.flits;
    if (d.packet.createCycle >= begin && d.packet.createCycle < end) {
      res.latencyCycles.add(static_cast<double>(d.latency()));
      res.hops.add(d.hops);
      --outstanding;
    }
  });

  const std::uint64_t limit = end + m_spec.drainCycles;
  std::uint64_t t = 0;
  noc::NocPacket p;
  while (t < end || (outstanding > 0 && t < limit)) {
    const std::uint64_t last = std::min(t + kBatch, t < end ? end : limit) - 1;
    while (source.next(last, p)) {
      if (p.createCycle >= begin && p.createCycle < end) {
        ++res.measuredPackets;
        ++outstanding;
        flitsCreated += p.flits;
      }
      ++res.packets;
      m_fabric.offer(p);
    }
    m_fabric.advanceTo(last);
    t = last + 1;
  }
  m_fabric.onDelivery(nullptr);
  const double nodeCycles =
      static_cast<double>(endpoints) * static_cast<double>(m_spec.measureCycles);
  res.offeredRate = static_cast<double>(flitsCreated) / nodeCycles;
  res.acceptedRate = static_cast<double>(flitsAccepted) / nodeCycles;
  res.unfinished = outstanding;
  res.cycles = t;
  return res;
}

}  // namespace chipletsim::workload
