#include "TextReport.h"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace chipletsim {

namespace {
// Units that take SI prefixes; the rest are printed as they are.
bool prefixable(const std::string& unit) {
  return unit == "B/s" || unit == "B" || unit == "s" || unit == "Hz" || unit == "J" ||
         unit == "W" || unit == "FLOP/s" || unit == "FLOP" || unit == "b/s" || unit == "J/bit";
}

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}
}  // namespace

std::string formatValue(double v, const std::string& unit) {
  if (!std::isfinite(v)) return "n/a";
  if (!prefixable(unit) || v == 0.0)
    return number(v) + (unit.empty() || unit == "1" ? "" : " " + unit);
  static const struct {
    double f;
    const char* p;
  } prefixes[] = {{1e15, "P"}, {1e12, "T"}, {1e9, "G"},  {1e6, "M"},   {1e3, "k"},  {1.0, ""},
                  {1e-3, "m"}, {1e-6, "u"}, {1e-9, "n"}, {1e-12, "p"}, {1e-15, "f"}};
  for (const auto& p : prefixes) {
    if (std::fabs(v) >= p.f * 0.9995) return number(v / p.f) + " " + p.p + unit;
  }
  return number(v / 1e-15) + " f" + unit;
}

void printSummary(std::ostream& os, const Summary& s, const std::string& indent) {
  for (const auto& [k, v] : s.labels) os << indent << std::left << std::setw(34) << k << v << "\n";
  for (const auto& r : s.rows)
    os << indent << std::left << std::setw(34) << r.name << formatValue(r.value, r.unit) << "\n";
}

void printInstanceSummaries(std::ostream& os, const std::vector<InstanceSummary>& instances) {
  for (const auto& i : instances) {
    os << "  " << i.name << " (" << i.kind << ")\n";
    printSummary(os, i.summary, "    ");
  }
}

namespace {
void printMetrics(std::ostream& os, const StatGroup& g, const std::string& prefix) {
  for (const auto& v : g.values())
    os << "  " << std::left << std::setw(36) << (prefix + v.name) << formatValue(v.value, v.unit)
       << "\n";
  for (const auto& c : g.children()) printMetrics(os, *c, prefix + c->name() + ".");
}
}  // namespace

void printRunReport(std::ostream& os, const SimulationResult& r) {
  os << "chipletsim run: workload '" << r.workloadName << "' (" << r.workloadKind
     << ") on platform '" << r.platformName << "'\n\n";
  os << "Platform\n";
  printInstanceSummaries(os, r.instances);
  if (!r.workload.rows.empty() || !r.workload.labels.empty()) {
    os << "\nWorkload\n";
    printSummary(os, r.workload, "  ");
  }
  os << "\nResults\n";
  printMetrics(os, r.metrics, "");
  os << "\nSimulation\n";
  for (const auto& [inst, f] : r.fidelity)
    os << "  " << std::left << std::setw(36) << ("fidelity of " + inst) << f << "\n";
  os << "  " << std::left << std::setw(36) << "simulated time"
     << formatValue(r.simulatedSeconds, "s") << "\n";
  os << "  " << std::left << std::setw(36) << "transactions" << r.transactions << "\n";
  std::ostringstream wall;
  wall << std::fixed << std::setprecision(2) << r.wallSeconds << " s";
  os << "  " << std::left << std::setw(36) << "wall time" << wall.str() << "\n";
}

}  // namespace chipletsim
