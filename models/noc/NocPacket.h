#pragma once
// A packet offered to a NoC fabric and what the fabric reports when it is delivered.
// Times are in cycles of the NoC clock.

#include <cstdint>

#include "noc/NocIds.h"

namespace chipletsim::noc {

struct NocPacket {
  std::uint64_t id = 0;           // caller's id, unique among packets in flight
  EndpointId source;              // injecting endpoint
  EndpointId destination;         // ejecting endpoint
  std::uint32_t flits = 1;        // >= 1; the head flit carries the route
  std::uint64_t createCycle = 0;  // cycle the packet entered the source queue
};

struct NocDelivery {
  NocPacket packet;
  std::uint64_t headCycle = 0;  // head flit left the destination router
  std::uint64_t tailCycle = 0;  // tail flit left it: the packet is delivered
  std::uint32_t hops = 0;       // links traversed (routers traversed - 1)
  /// Cycles from creation to delivery of the tail.
  std::uint64_t latency() const { return tailCycle - packet.createCycle; }
};

}  // namespace chipletsim::noc
