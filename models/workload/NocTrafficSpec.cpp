#include "workload/NocTrafficSpec.h"

#include <string>

#include "common/Errors.h"

namespace chipletsim::workload {

void NocTrafficSpec::validate() const {
  if (packetFlits < 1) throw SpecError("traffic: packets need at least one flit");
  if (!(injectionRate > 0.0) || packetProbability() > 1.0)
    throw SpecError("traffic: injection rate must lie in (0, packet_flits] flits/node/cycle, got " +
                    std::to_string(injectionRate));
  if (measureCycles < 1) throw SpecError("traffic: the measurement window must not be empty");
}

}  // namespace chipletsim::workload
