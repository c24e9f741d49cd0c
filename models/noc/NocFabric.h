#pragma once
// What both NoC fidelities offer: packets go in at endpoints, deliveries come out through a
// callback, time advances by whole cycles. FlitFabric (cycle-driven routers) and
// TransactionFabric (per-link bandwidth reservation) implement it from the same NocSpec.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/StatGroup.h"
#include "noc/NocPacket.h"
#include "noc/NocSpec.h"
#include "noc/NocStats.h"
#include "noc/RoutingFunction.h"
#include "noc/Topology.h"

namespace chipletsim::noc {

enum class Fidelity { kTransaction, kFlit };
const char* fidelityName(Fidelity f);

class NocFabric {
 public:
  using DeliveryHandler = std::function<void(const NocDelivery&)>;
  virtual ~NocFabric() = default;

  /// Enqueues `p` at its source endpoint. createCycle must not be earlier than any earlier
  /// packet's createCycle nor than the cycle the fabric has already simulated.
  virtual void offer(const NocPacket& p) = 0;
  /// Simulates every cycle up to and including `cycle`.
  virtual void advanceTo(std::uint64_t cycle) = 0;
  /// Packets offered and not yet delivered.
  virtual std::uint64_t inFlight() const = 0;
  virtual Fidelity fidelity() const = 0;

  /// Called once per delivered packet, in delivery order.
  void onDelivery(DeliveryHandler h) { m_onDelivery = std::move(h); }
  const NocSpec& spec() const { return m_spec; }
  const Topology& topology() const { return m_topo; }
  /// Endpoints in placement order; EndpointId indexes this vector.
  const std::vector<EndpointSpec>& endpoints() const { return m_endpoints; }
  RouterId routerOf(EndpointId e) const { return RouterId(m_endpoints[e.value()].router); }
  /// The endpoint called `name`; SpecError when there is none.
  EndpointId endpoint(const std::string& name) const;
  /// Links on the route from `a` to `b` (0 when both sit on one router).
  int routeLength(EndpointId a, EndpointId b) const {
    return static_cast<int>(routePath(a, b).size());
  }
  /// The links a packet from `a` to `b` takes, in order.
  std::vector<LinkId> routePath(EndpointId a, EndpointId b) const;
  const NocStats& stats() const { return m_stats; }
  /// Stats tree: latency, hops, rates, per-link utilisation, per-router stalls.
  void reportStats(StatGroup& group, std::uint64_t cycles) const;

 protected:
  explicit NocFabric(const NocSpec& spec);
  void deliver(const NocDelivery& d);

  NocSpec m_spec;
  Topology m_topo;
  std::unique_ptr<RoutingFunction> m_routing;
  std::vector<EndpointSpec> m_endpoints;
  NocStats m_stats;
  DeliveryHandler m_onDelivery;
};

}  // namespace chipletsim::noc
