#pragma once
// Workload kind `noc_traffic`: synthetic traffic on the platform's `noc` instance, in the
// fidelity that instance names.
//
//   kind: noc_traffic
//   name: uniform-random
//   pattern: uniform_random     # transpose | bit_complement | hotspot | nearest_neighbour
//   injection_rate: 0.1         # flits/node/cycle offered
//   packet_flits: 4
//   seed: 1
//   warmup_cycles: 1000
//   measure_cycles: 10000
//   drain_cycles: 20000         # most cycles to wait for the measured packets
//   # hotspots: [0]; hotspot_fraction: 0.2   (hotspot only)
//   # noc: noc0                 # which instance, when the platform has several
//
// Metrics: offered_rate and accepted_rate (flits/node/cycle), latency_cycles and latency_ns
// {mean, p50, p99}, plus achieved/peak bytes per second against the pattern's channel-load
// bound.

#include <memory>

#include "Workload.h"
#include "config/Node.h"
#include "workload/NocTrafficSpec.h"

namespace chipletsim {

std::unique_ptr<WorkloadSpec> decodeNocTraffic(const config::Node& root);
/// The traffic spec of a decoded noc_traffic workload, or nullptr for another kind.
const workload::NocTrafficSpec* nocTrafficSpecOf(const WorkloadSpec& spec);
/// Registry entry for WorkloadKinds.cpp.
WorkloadKind nocTrafficKind();

}  // namespace chipletsim
