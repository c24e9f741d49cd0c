#pragma once
// Routing and accounting data that travels with a tlm_generic_payload through our fabric
// (DESIGN.md: "routing and accounting data travel in a payload extension"). Foreign
// initiators need not set it: every model treats a payload without it as plain traffic.

#include <cstdint>
#include <string>

#include <tlm>

namespace chipletsim {

/// What a transfer is for, so that stats can say who used a resource.
enum class TrafficClass : std::uint8_t { kGeneric, kCompute, kCollective, kOptimizer, kControl };

class TrafficExtension : public tlm::tlm_extension<TrafficExtension> {
 public:
  std::uint32_t source = 0;       // id of the issuing endpoint
  std::uint32_t destination = 0;  // id of the target endpoint (fabric routing)
  std::uint64_t tag = 0;          // issuer's sequence number, for tracing and ordering checks
  TrafficClass trafficClass = TrafficClass::kGeneric;
  /// Picoseconds the transaction spent on D2D links (credits, wire, flight; request and
  /// response, beyond what its target took), added by each link it crosses in LT.
  std::uint64_t d2dTicks = 0;

  tlm::tlm_extension_base* clone() const override { return new TrafficExtension(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    *this = static_cast<const TrafficExtension&>(other);
  }
};

}  // namespace chipletsim
