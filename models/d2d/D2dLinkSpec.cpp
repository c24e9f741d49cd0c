#include "d2d/D2dLinkSpec.h"

#include <cmath>
#include <string>

#include "common/Errors.h"

namespace chipletsim::d2d {

namespace {
constexpr double kSpeedOfLight = 299792458.0;  // m/s, exact (SI definition)
}

void D2dLinkSpec::validate() const {
  if (modules < 1) throw SpecError("a link needs at least one module");
  if (lanesPerModule < 1) throw SpecError("a module needs at least one data lane");
  if (redundantLanesPerModule < 0 || failedLanes < 0)
    throw SpecError("lane counts must not be negative");
  if (!(dataRate.si() > 0.0)) throw SpecError("data rate must be positive");
  if (rxBufferBytes == 0) throw SpecError("receive buffer must hold at least one byte");
  if (!(dielectricConstant >= 1.0)) throw SpecError("dielectric constant must be >= 1");
  if (!(bitErrorRate >= 0.0 && bitErrorRate < 1.0)) throw SpecError("BER must lie in [0, 1)");
  if (activeLanesPerModule() == 0)
    throw SpecError(std::to_string(failedLanes) + " failed lanes leave no working width (" +
                    std::to_string(lanesPerModule) + " lanes, " +
                    std::to_string(redundantLanesPerModule) + " spares)");
}

int D2dLinkSpec::activeLanesPerModule() const {
  if (failedLanes <= redundantLanesPerModule) return lanesPerModule;
  // Width degrade: the lanes still working must cover one half of the module.
  const int half = lanesPerModule / 2;
  const int working = lanesPerModule + redundantLanesPerModule - failedLanes;
  return (half >= 1 && working >= half) ? half : 0;
}

bool D2dLinkSpec::degraded() const {
  return failedLanes > redundantLanesPerModule;
}

Bandwidth D2dLinkSpec::rawBandwidth() const {
  return laneBandwidth(static_cast<double>(modules) * activeLanesPerModule(), dataRate);
}

Bandwidth D2dLinkSpec::effectiveBandwidth() const {
  return rawBandwidth() * flitLayout(flitFormat).efficiency();
}

Duration D2dLinkSpec::flightTime() const {
  return Duration(channelLength.si() * std::sqrt(dielectricConstant) / kSpeedOfLight);
}

Duration D2dLinkSpec::oneWayLatency() const {
  return adapterPhyLatency * 2.0 + flightTime();
}

Duration D2dLinkSpec::replayPenalty() const {
  const Duration nakFlit(flitLayout(flitFormat).flitBytes / rawBandwidth().si());
  return oneWayLatency() * 2.0 + nakFlit;
}

}  // namespace chipletsim::d2d
