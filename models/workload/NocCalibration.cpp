#include "workload/NocCalibration.h"

#include <algorithm>

#include "noc/FlitFabric.h"
#include "noc/TransactionFabric.h"
#include "workload/NocChannelLoad.h"
#include "workload/NocTrafficDriver.h"

namespace chipletsim::workload {

NocCalibration calibrateLinkEfficiency(const noc::NocSpec& spec, const NocTrafficSpec& traffic,
                                       std::uint64_t cycles) {
  NocCalibration c;
  {
    const noc::FlitFabric probe(spec);
    const int n = static_cast<int>(probe.endpoints().size());
    const bool grid = n == probe.topology().routerCount();
    const NocTrafficPattern pattern(traffic.pattern, grid ? probe.topology().dimX() : n,
                                    grid ? probe.topology().dimY() : 1, traffic.hotspots,
                                    traffic.hotspotFraction);
    c.bound = channelLoadBound(probe, pattern);
  }
  for (int step = 0; step <= 6; ++step) {
    NocTrafficSpec t = traffic;
    t.injectionRate = std::min<double>(t.packetFlits, c.bound * (0.70 + 0.05 * step));
    t.warmupCycles = cycles / 2;
    t.measureCycles = cycles;
    t.drainCycles = 0;  // only the accepted rate matters here
    noc::FlitFabric flit(spec);
    c.peakAccepted = std::max(c.peakAccepted, NocTrafficDriver(flit, t).run().acceptedRate);
    noc::TransactionFabric ideal(spec);
    c.idealPeak = std::max(c.idealPeak, NocTrafficDriver(ideal, t).run().acceptedRate);
  }
  c.linkEfficiency = std::clamp(c.peakAccepted / c.idealPeak, 1e-3, 1.0);
  return c;
}

}  // namespace chipletsim::workload
