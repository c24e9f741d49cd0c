#include "d2d/ModuleGeometry.h"

#include <cmath>
#include <limits>

#include "common/Errors.h"

namespace chipletsim::d2d {

double ModuleGeometry::bidirectionalDensity(BitRate rate) const {
  require(moduleWidth.si() > 0.0, "ModuleGeometry: module width must be positive");
  return 2.0 * moduleBandwidth(rate).si() / moduleWidth.si();
}

int ModuleGeometry::modulesIn(Length shoreline) const {
  require(moduleWidth.si() > 0.0, "ModuleGeometry: module width must be positive");
  // A relative tolerance so that 3 x 0.3888 mm written as "1.1664 mm" gives 3 modules.
  const double n = std::floor(shoreline.si() / moduleWidth.si() + 1e-9);
  // Saturates (a kilometre of shoreline overflowed the int cast, undefined behaviour): the
  // callers compare the edge used with the die's and report it there.
  if (!(n < static_cast<double>(std::numeric_limits<int>::max())))
    return std::numeric_limits<int>::max();
  return static_cast<int>(n);
}

Bandwidth ModuleGeometry::moduleBandwidth(BitRate rate) const {
  return laneBandwidth(lanesPerModule, rate);
}

}  // namespace chipletsim::d2d
