#include "compute/ComputeSpec.h"

#include <algorithm>
#include <string>

#include "common/Errors.h"

namespace chipletsim {

FlopRate ComputeSpec::peakTensorFlops(Dtype d) const {
  return FlopRate(tensorEngines * tensorFlopsPerCycle[static_cast<std::size_t>(dtypeIndex(d))] *
                  clock.si());
}

double ComputeSpec::tensorSecondsPerFlop(Dtype d) const {
  return 1.0 / (tensorFlopsPerCycle[static_cast<std::size_t>(dtypeIndex(d))] * clock.si() *
                tensorSustainedFraction);
}

FlopRate ComputeSpec::peakVectorFlops() const {
  return FlopRate(vectorEngines * vectorFlopsPerCycle * clock.si());
}

FlopRate ComputeSpec::peakSpecialOps() const {
  const double perCycle = vectorSpecialPerCycle > 0.0 ? vectorSpecialPerCycle : vectorFlopsPerCycle;
  return FlopRate(vectorEngines * perCycle * clock.si());
}

DataSize ComputeSpec::dmaBytesInFlight() const {
  return DataSize(static_cast<double>(dmaEngines) * dmaMaxOutstanding * dmaTransactionSize.si());
}

Bandwidth ComputeSpec::dmaBandwidthLimit(Duration latency) const {
  if (latency.si() <= 0.0) return Bandwidth(1e300);
  return Bandwidth(dmaBytesInFlight().si() / latency.si());
}

Bandwidth ComputeSpec::effectiveBandwidth(const MemoryPath& path) const {
  return std::min(path.bandwidth, dmaBandwidthLimit(path.latency));
}

void ComputeSpec::validate() const {
  auto fail = [](const std::string& what) { throw SpecError("compute spec: " + what); };
  if (clock.si() <= 0.0) fail("clock must be positive");
  if (tensorEngines < 1) fail("tensor_engines must be at least 1");
  bool any = false;
  for (double f : tensorFlopsPerCycle) {
    if (f < 0.0) fail("tensor FLOP per cycle must not be negative");
    any = any || f > 0.0;
  }
  if (!any) fail("tensor engines support no data type (all FLOP per cycle are 0)");
  if (tensorTileEdge < 1) fail("tensor tile edge must be at least 1");
  if (!(tensorSustainedFraction > 0.0 && tensorSustainedFraction <= 1.0))
    fail("tensor sustained fraction must lie in (0, 1]");
  if (vectorEngines < 1 || vectorFlopsPerCycle <= 0.0) fail("vector engines need a positive rate");
  if (vectorSpecialPerCycle < 0.0) fail("special-function rate must not be negative");
  if (sramPerEngine.si() <= 0.0) fail("SRAM per engine must be positive");
  if (sramBandwidthPerEngine.si() <= 0.0) fail("SRAM bandwidth per engine must be positive");
  if (accumulatorPerEngine.si() < 0.0) fail("accumulator capacity must not be negative");
  if (sharedSram.si() < 0.0) fail("shared SRAM must not be negative");
  if (sharedSram.si() > 0.0 && sharedSramBandwidth.si() <= 0.0)
    fail("shared SRAM needs a positive bandwidth");
  if (dmaEngines < 1 || dmaMaxOutstanding < 1 || dmaTransactionSize.si() <= 0.0)
    fail("DMA needs at least one engine, one outstanding transaction and a positive size");
}

}  // namespace chipletsim
