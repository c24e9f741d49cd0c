#include "TextReport.h"

#include <algorithm>
#include <cctype>
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

// Units that count things: an SI multiplier, separated by a space ("70.55 G", "1.137 M
// tokens/s"), reads better than an exponent.
bool countLike(const std::string& unit) {
  return unit == "count" || unit == "tokens/s";
}

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

struct Prefix {
  double factor;
  const char* symbol;
};
constexpr Prefix kPrefixes[] = {{1e15, "P"}, {1e12, "T"},  {1e9, "G"},  {1e6, "M"},
                                {1e3, "k"},  {1.0, ""},    {1e-3, "m"}, {1e-6, "u"},
                                {1e-9, "n"}, {1e-12, "p"}, {1e-15, "f"}};

const Prefix& prefixFor(double v) {
  for (const auto& p : kPrefixes)
    if (std::fabs(v) >= p.factor * 0.9995) return p;
  return kPrefixes[std::size(kPrefixes) - 1];
}

std::string formatCount(double v, const std::string& unit) {
  const std::string suffix = unit == "count" ? "" : " " + unit;
  // Whole numbers below a million print exactly ("32", "512"), larger ones with a multiplier.
  if (std::fabs(v) < 1e6 && v == std::floor(v)) return std::to_string(std::lround(v)) + suffix;
  if (std::fabs(v) < 1e3) return number(v) + suffix;
  const Prefix& p = prefixFor(v);
  return number(v / p.factor) + " " + p.symbol + suffix;
}

// "hbm3" -> ("hbm", 3); a name without a numeric suffix -> (name, -1).
std::pair<std::string, long> splitIndex(const std::string& name) {
  std::size_t i = name.size();
  while (i > 0 && std::isdigit(static_cast<unsigned char>(name[i - 1]))) --i;
  if (i == name.size() || i == 0 || name.size() - i > 9) return {name, -1};
  return {name.substr(0, i), std::stol(name.substr(i))};
}

// Runs of consecutive items whose names are one stem with consecutive indices (hbm0, hbm1,
// ...) and whose rendered body is identical print once, named "hbm0..hbm7". `render` gives
// an item's body; `print(name, body)` prints one (possibly merged) item.
template <class Item, class Name, class Render, class Print>
void printMerged(const std::vector<Item>& items, Name nameOf, Render render, Print print) {
  std::size_t i = 0;
  while (i < items.size()) {
    const std::string body = render(items[i]);
    const auto [stem, first] = splitIndex(nameOf(items[i]));
    std::size_t j = i + 1;
    if (first >= 0) {
      while (j < items.size()) {
        const auto [s, idx] = splitIndex(nameOf(items[j]));
        if (s != stem || idx != first + static_cast<long>(j - i) || render(items[j]) != body) break;
        ++j;
      }
    }
    std::string name = nameOf(items[i]);
    if (j - i > 1) {
      const std::string last = nameOf(items[j - 1]);
      const auto dot = last.rfind('.');  // "utilisation.hbm0..hbm7", not "..utilisation.hbm7"
      name += ".." + (dot == std::string::npos ? last : last.substr(dot + 1));
    }
    print(name, body);
    i = j;
  }
}

std::string renderSummary(const Summary& s, const std::string& indent) {
  std::ostringstream os;
  printSummary(os, s, indent);
  return os.str();
}
}  // namespace

std::string formatValue(double v, const std::string& unit) {
  if (!std::isfinite(v)) return "n/a";
  if (countLike(unit)) return formatCount(v, unit);
  if (!prefixable(unit) || v == 0.0)
    return number(v) + (unit.empty() || unit == "1" ? "" : " " + unit);
  const Prefix& p = prefixFor(v);
  return number(v / p.factor) + " " + p.symbol + unit;
}

void printSummary(std::ostream& os, const Summary& s, const std::string& indent) {
  for (const auto& [k, v] : s.labels) os << indent << std::left << std::setw(34) << k << v << "\n";
  for (const auto& r : s.rows)
    os << indent << std::left << std::setw(34) << r.name << formatValue(r.value, r.unit) << "\n";
}

void printInstanceSummaries(std::ostream& os, const std::vector<InstanceSummary>& instances) {
  printMerged(
      instances, [](const InstanceSummary& i) { return i.name; },
      [](const InstanceSummary& i) {
        return "(" + i.kind + ")\n" + renderSummary(i.summary, "    ");
      },
      [&](const std::string& name, const std::string& body) { os << "  " << name << " " << body; });
}

namespace {
struct MetricLine {
  std::string name;  // dotted path, e.g. "utilisation.hbm3"
  std::string text;  // formatted value
};

// A metric's description (what it covers: "whole system", "this package") follows its value.
void collectMetrics(std::vector<MetricLine>& out, const StatGroup& g, const std::string& prefix) {
  for (const auto& v : g.values())
    out.push_back({prefix + v.name,
                   formatValue(v.value, v.unit) + (v.desc.empty() ? "" : "  (" + v.desc + ")")});
  for (const auto& c : g.children()) collectMetrics(out, *c, prefix + c->name() + ".");
}

void printLine(std::ostream& os, const std::string& name, const std::string& text) {
  os << "  " << std::left << std::setw(36) << name << text << "\n";
}

// "compute 58.6%, exposed_comm 17.6%, ...": where the step went, largest first.
void printBreakdownShares(std::ostream& os, const StatGroup& metrics) {
  const StatGroup* breakdown = metrics.find("breakdown_s");
  const StatValue* step = metrics.value("step_time_s");
  if (!breakdown || !step || !(step->value > 0)) return;
  std::vector<std::pair<double, std::string>> parts;
  for (const auto& v : breakdown->values()) parts.emplace_back(v.value, v.name);
  std::stable_sort(parts.begin(), parts.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::ostringstream shares;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    char pct[32];
    std::snprintf(pct, sizeof pct, "%.1f%%", 100.0 * parts[i].first / step->value);
    shares << (i ? ", " : "") << parts[i].second << " " << pct;
  }
  printLine(os, "step breakdown (share of step)", shares.str());
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
  printBreakdownShares(os, r.metrics);
  std::vector<MetricLine> lines;
  collectMetrics(lines, r.metrics, "");
  printMerged(
      lines, [](const MetricLine& l) { return l.name; }, [](const MetricLine& l) { return l.text; },
      [&](const std::string& name, const std::string& text) { printLine(os, name, text); });
  os << "\nSimulation\n";
  printMerged(
      r.fidelity, [](const auto& f) { return f.first; }, [](const auto& f) { return f.second; },
      [&](const std::string& name, const std::string& f) {
        printLine(os, "fidelity of " + name, f);
      });
  printLine(os, "simulated time", formatValue(r.simulatedSeconds, "s"));
  printLine(os, "transactions", std::to_string(r.transactions));
  std::ostringstream wall;
  wall << std::fixed << std::setprecision(2) << r.wallSeconds << " s";
  printLine(os, "wall time", wall.str());
}

}  // namespace chipletsim
