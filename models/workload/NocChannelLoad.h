#pragma once
// The channel-load bound on throughput (Dally & Towles; formulas.md 6.1): with every node
// injecting one flit per cycle under a pattern, the busiest channel (a link, or an
// endpoint's ejection port) carries gamma_max flits per cycle; no fabric with one flit per
// cycle per channel can accept more than 1 / gamma_max flits/node/cycle (nor more than 1,
// the injection channel). Computed exactly from the routes the fabric takes and the
// pattern's destination distribution.

#include "noc/NocFabric.h"
#include "workload/NocTrafficPattern.h"

namespace chipletsim::workload {

/// Highest load of any channel, in flits per cycle per flit/node/cycle injected.
double maxChannelLoad(const noc::NocFabric& fabric, const NocTrafficPattern& pattern);
/// Ideal throughput in flits/node/cycle: min(1, 1 / maxChannelLoad).
double channelLoadBound(const noc::NocFabric& fabric, const NocTrafficPattern& pattern);

}  // namespace chipletsim::workload
