#pragma once
// Human-readable reports on stdout: the run report and validate's derived quantities.

#include <ostream>
#include <string>

#include "Simulation.h"

namespace chipletsim {

/// "819.2 GB/s", "1.5 us", "3.2e+09 count": a value with an SI prefix chosen for its unit.
std::string formatValue(double value, const std::string& unit);

void printInstanceSummaries(std::ostream& os, const std::vector<InstanceSummary>& instances);
void printSummary(std::ostream& os, const Summary& s, const std::string& indent);
void printRunReport(std::ostream& os, const SimulationResult& r);

}  // namespace chipletsim
