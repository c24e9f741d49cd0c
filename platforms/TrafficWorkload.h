#pragma once
// Decoder of workload kind `memory_traffic`: one TrafficGenerator per traffic port of the
// platform, each moving `total_bytes` with the given pattern.
//
//   kind: memory_traffic
//   pattern: stream-read         # stream-read | stream-write | copy | random-read
//   request_size: "4 KiB"
//   outstanding: 256             # transactions in flight per generator
//   read_fraction: 1.0           # random-read: share of reads; copy: share of reads (0.5)
//   total_bytes: "64 MiB"        # per generator
//   transport: at                # at (nb_transport, 4-phase) | lt (b_transport)
//   seed: 1
//
// Metrics: achieved_bytes_per_s, peak_bytes_per_s (sum of the targets' peak_bandwidth),
// efficiency, latency_ns {mean, p50, p99}.

#include <cstdint>
#include <memory>

#include "Workload.h"
#include "config/Node.h"
#include "workload/MemoryTrafficSpec.h"

namespace chipletsim {

/// The generator parameters of a memory_traffic map; `spanLimit` (optional) receives the
/// `span` key in bytes (0: the whole target). ConfigError on bad input.
workload::MemoryTrafficSpec decodeMemoryTrafficSpec(const config::Node& root,
                                                    std::uint64_t* spanLimit = nullptr);
/// Kind `memory_traffic`.
std::unique_ptr<WorkloadSpec> decodeMemoryTraffic(const config::Node& root);
/// Registry entry for WorkloadKinds.cpp.
WorkloadKind memoryTrafficKind();

}  // namespace chipletsim
