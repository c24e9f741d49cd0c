#pragma once
// How a die-to-die PHY module sits on the die edge: a module of `lanesPerModule` data lanes
// per direction occupies `moduleWidth` of shoreline. Shoreline bandwidth density (both
// directions, as the UCIe KPI table states it) and the modules that fit a given shoreline
// follow from it.

#include "common/Units.h"

namespace chipletsim::d2d {

struct ModuleGeometry {
  int lanesPerModule = 0;  // data lanes per direction
  Length moduleWidth;      // shoreline one module occupies (> 0)

  /// Bytes per second per metre of shoreline, TX + RX, at `rate` per lane.
  double bidirectionalDensity(BitRate rate) const;
  /// Whole modules that fit in `shoreline`.
  int modulesIn(Length shoreline) const;
  /// Bytes per second one direction of one module carries at `rate`.
  Bandwidth moduleBandwidth(BitRate rate) const;
};

}  // namespace chipletsim::d2d
