#include "workload/NocChannelLoad.h"

#include <algorithm>
#include <vector>

#include "common/Errors.h"

namespace chipletsim::workload {

double maxChannelLoad(const noc::NocFabric& fabric, const NocTrafficPattern& pattern) {
  const auto n = static_cast<std::uint32_t>(fabric.endpoints().size());
  if (static_cast<std::uint32_t>(pattern.nodes()) != n)
    throw SpecError("traffic: the pattern's nodes do not match the NoC's endpoints");
  std::vector<double> link(static_cast<std::size_t>(fabric.topology().linkCount()), 0.0);
  std::vector<double> eject(n, 0.0);
  for (std::uint32_t s = 0; s < n; ++s) {
    for (const auto& [d, prob] : pattern.distribution(s)) {
      eject[d] += prob;
      for (noc::LinkId l : fabric.routePath(noc::EndpointId(s), noc::EndpointId(d)))
        link[l.value()] += prob;
    }
  }
  double worst = 0.0;
  for (double v : link) worst = std::max(worst, v);
  for (double v : eject) worst = std::max(worst, v);
  return worst;
}

double channelLoadBound(const noc::NocFabric& fabric, const NocTrafficPattern& pattern) {
  const double gamma = maxChannelLoad(fabric, pattern);
  return gamma > 1.0 ? 1.0 / gamma : 1.0;
}

}  // namespace chipletsim::workload
