#pragma once
// Decoders of the die-to-die kinds:
//
//   link0:                              # explicit geometry
//     kind: d2d_link
//     modules: 4
//     lanes_per_module: 64
//     data_rate: "32 GT/s"
//     ...
//   link1:                              # derived from shoreline on a packaging technology
//     kind: d2d_link
//     packaging: cowos-s                # configs/packaging/cowos-s.yaml
//     shoreline: "6 mm"
//     data_rate: "32 GT/s"
//     ...
//
// and `traffic_sink`, a far-end target that responds after a fixed latency.

#include <memory>

#include "Component.h"
#include "config/Node.h"

namespace chipletsim {

/// Kind `d2d_link`: a D2dLink with ports a_in, b_in (targets) and a_out, b_out (initiators).
std::unique_ptr<InstanceSpec> decodeD2dLink(const config::Node& params);
/// Kind `traffic_sink`: a TrafficSink with target port `in`.
std::unique_ptr<InstanceSpec> decodeTrafficSink(const config::Node& params);

/// Registry entries for ComponentKinds.cpp.
ComponentKind d2dLinkKind();
ComponentKind trafficSinkKind();

}  // namespace chipletsim
