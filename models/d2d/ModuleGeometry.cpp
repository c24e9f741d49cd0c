#include "d2d/ModuleGeometry.h"

#include <cmath>

#include "common/Errors.h"

namespace chipletsim::d2d {

double ModuleGeometry::bidirectionalDensity(BitRate rate) const {
  require(moduleWidth.si() > 0.0, "ModuleGeometry: module width must be positive");
  return 2.0 * moduleBandwidth(rate).si() / moduleWidth.si();
}

int ModuleGeometry::modulesIn(Length shoreline) const {
  require(moduleWidth.si() > 0.0, "ModuleGeometry: module width must be positive");
  // A relative tolerance so that 3 x 0.3888 mm written as "1.1664 mm" gives 3 modules.
  return static_cast<int>(std::floor(shoreline.si() / moduleWidth.si() + 1e-9));
}

Bandwidth ModuleGeometry::moduleBandwidth(BitRate rate) const {
  return laneBandwidth(lanesPerModule, rate);
}

}  // namespace chipletsim::d2d
