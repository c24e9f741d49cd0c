#pragma once
// The resolved parameters of one die-to-die link and what follows from them. Built by the
// config layer (platforms/D2dConfig) from explicit modules x lanes x rate or from shoreline
// on a packaging technology. All quantities are per direction unless named otherwise.

#include <cstdint>

#include "common/Units.h"
#include "d2d/FlitFormat.h"

namespace chipletsim::d2d {

struct D2dLinkSpec {
  int modules = 1;                  // modules in lockstep (UCIe: 1, 2 or 4 per link)
  int lanesPerModule = 64;          // data lanes per direction per module
  int redundantLanesPerModule = 0;  // spare lanes for lane repair (UCIe-A: 4)
  int failedLanes = 0;              // failed data lanes in the worst module
  BitRate dataRate;                 // transfers per second per lane
  FlitFormat flitFormat = FlitFormat::kFlit68;
  std::uint64_t headerBytes = 0;    // protocol header per message (request or response)
  Duration adapterPhyLatency;       // one end's adapter + PHY (the other end adds its own)
  Length channelLength;             // routed length of the channel
  double dielectricConstant = 1.0;  // relative permittivity of the channel's dielectric
  std::uint64_t rxBufferBytes = 0;  // receive buffer at each end, protocol bytes
  double bitErrorRate = 0.0;        // raw BER per bit
  std::uint64_t seed = 0;           // seeds the bit errors of both directions
  EnergyPerBit energyPerBit;        // per wire bit sent

  /// Throws SpecError when the parameters describe no working link.
  void validate() const;
  /// Data lanes per module that carry data: the full width when repair covers the failures,
  /// half width (UCIe width degrade) when it does not; 0 when even that fails.
  int activeLanesPerModule() const;
  /// True when failures exceed the spares and the link runs at degraded width.
  bool degraded() const;
  /// Wire bytes per second, one direction: modules x active lanes x rate / 8.
  Bandwidth rawBandwidth() const;
  /// Protocol bytes per second, one direction, after flit framing.
  Bandwidth effectiveBandwidth() const;
  /// Signal flight over the channel: length x sqrt(dielectric constant) / c.
  Duration flightTime() const;
  /// Unloaded one-way latency of a flit: adapter+PHY at both ends plus flight (no
  /// serialisation).
  Duration oneWayLatency() const;
  /// Go-back-N replay window: from the end of an errored flit to the start of its resend
  /// (its CRC check at the far end, a NAK flit back, both one-way latencies).
  Duration replayPenalty() const;
};

}  // namespace chipletsim::d2d
