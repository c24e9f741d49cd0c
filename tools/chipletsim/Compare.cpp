#include "Compare.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "ConfigPaths.h"
#include "TextReport.h"
#include "common/Errors.h"
#include "config/Loader.h"
#include "config/Reader.h"

namespace chipletsim {

namespace fs = std::filesystem;

namespace {

// A temporary folder removed when the comparison is done (unless the user named one).
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& wanted) {
    if (!wanted.empty()) {
      m_path = wanted;
      return;
    }
    std::string tmpl = (fs::temp_directory_path() / "chipletsim-compare-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr)
      throw ConfigError("cannot create a temporary folder under " +
                        fs::temp_directory_path().string());
    m_path = tmpl;
    m_owned = true;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (m_owned) fs::remove_all(m_path, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return m_path; }

 private:
  std::string m_path;
  bool m_owned = false;
};

// A count or rate with an SI prefix: "74.88 k", "1.378 M".
std::string siNumber(double v) {
  static const struct {
    double f;
    const char* p;
  } prefixes[] = {{1e12, " T"}, {1e9, " G"}, {1e6, " M"}, {1e3, " k"}};
  char buf[48];
  for (const auto& p : prefixes) {
    if (std::fabs(v) >= p.f * 0.9995) {
      std::snprintf(buf, sizeof buf, "%.4g%s", v / p.f, p.p);
      return buf;
    }
  }
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string cell(const SweepRow& r, const CompareMetric& m) {
  if (r.status != "ok") return r.status;
  if (m.metric == "bottleneck") return r.bottleneck.empty() ? "-" : r.bottleneck;
  const auto v = r.metric(m.metric);
  if (!v) return "-";
  if (m.unit == "si") return siNumber(*v);
  if (m.unit == "$") {
    std::ostringstream o;
    o << "$" << std::fixed << std::setprecision(*v < 100 ? 2 : 0) << *v;
    return o.str();
  }
  return formatValue(*v, m.unit);
}

// The best value of `m` among the rows that have it, or none when fewer than two rows have
// it or all are equal (then nothing stands out).
std::optional<double> bestValue(const std::vector<SweepRow>& rows, const CompareMetric& m) {
  if (m.better == Better::kNeither) return std::nullopt;
  std::optional<double> best;
  std::size_t have = 0;
  bool allEqual = true;
  for (const auto& r : rows) {
    const auto v = r.status == "ok" ? r.metric(m.metric) : std::nullopt;
    if (!v || !std::isfinite(*v)) continue;
    ++have;
    if (best && *v != *best) allEqual = false;
    if (!best || (m.better == Better::kHigher ? *v > *best : *v < *best)) best = v;
  }
  if (have < 2 || allEqual) return std::nullopt;
  return best;
}

}  // namespace

const std::vector<CompareMetric>& compareMetrics() {
  static const std::vector<CompareMetric> metrics = {
      // training
      {"tokens_per_s", "tokens/s", "si", Better::kHigher},
      {"step_time_s", "step time", "s", Better::kLower},
      {"mfu", "MFU", "1", Better::kHigher},
      {"breakdown_s.compute", "  compute", "s", Better::kLower},
      {"breakdown_s.hbm_bound", "  HBM-bound", "s", Better::kLower},
      {"breakdown_s.d2d_bound", "  D2D-bound", "s", Better::kLower},
      {"breakdown_s.exposed_comm", "  exposed comm", "s", Better::kLower},
      {"breakdown_s.pipeline_bubble", "  pipeline bubble", "s", Better::kLower},
      {"breakdown_s.idle", "  idle", "s", Better::kLower},
      {"bottleneck", "bottleneck", "", Better::kNeither},
      {"hbm_utilization", "HBM utilisation", "1", Better::kNeither},
      {"d2d_utilization", "D2D utilisation", "1", Better::kNeither},
      {"energy_j_per_token", "energy/token", "J", Better::kLower},
      {"cost.package_usd", "package cost", "$", Better::kLower},
      {"tokens_per_s_per_usd", "tokens/s per $", "si", Better::kHigher},
      {"tokens_per_s_per_w", "tokens/s per W", "si", Better::kHigher},
      {"cost.packages_per_interposer_wafer", "packages/interposer wafer", "1", Better::kHigher},
      {"tokens_per_s_per_interposer_wafer", "tokens/s per int. wafer", "si", Better::kHigher},
      // traffic
      {"achieved_bytes_per_s", "achieved", "B/s", Better::kHigher},
      {"peak_bytes_per_s", "peak", "B/s", Better::kNeither},
      {"efficiency", "efficiency", "1", Better::kHigher},
      {"latency_ns.mean", "latency mean", "ns", Better::kLower},
      {"latency_ns.p99", "latency p99", "ns", Better::kLower},
      {"offered_rate", "offered (flits/node/cyc)", "1", Better::kNeither},
      {"accepted_rate", "accepted (flits/node/cyc)", "1", Better::kHigher},
      {"latency_cycles.mean", "latency mean (cycles)", "1", Better::kLower},
      {"latency_cycles.p99", "latency p99 (cycles)", "1", Better::kLower},
  };
  return metrics;
}

void printComparison(std::ostream& os, const SweepTable& table) {
  const auto& rows = table.rows();
  std::vector<const CompareMetric*> shown;
  for (const auto& m : compareMetrics()) {
    const bool present = m.metric == "bottleneck"
                             ? table.hasBottleneck()
                             : std::find(table.metricColumns().begin(), table.metricColumns().end(),
                                         m.metric) != table.metricColumns().end();
    if (present) shown.push_back(&m);
  }
  // Cells first, to size the columns.
  std::vector<std::vector<std::string>> cells(shown.size(), std::vector<std::string>(rows.size()));
  std::size_t labelWidth = 6;
  std::vector<std::size_t> width(rows.size());
  for (std::size_t c = 0; c < rows.size(); ++c) width[c] = rows[c].name.size();
  for (std::size_t l = 0; l < shown.size(); ++l) {
    labelWidth = std::max(labelWidth, shown[l]->label.size());
    const auto best = bestValue(rows, *shown[l]);
    for (std::size_t c = 0; c < rows.size(); ++c) {
      const auto v = rows[c].status == "ok" ? rows[c].metric(shown[l]->metric) : std::nullopt;
      cells[l][c] = cell(rows[c], *shown[l]) + (best && v && *v == *best ? " *" : "");
      width[c] = std::max(width[c], cells[l][c].size());
    }
  }
  os << std::left << std::setw(static_cast<int>(labelWidth)) << ""
     << " ";
  for (std::size_t c = 0; c < rows.size(); ++c)
    os << " " << std::right << std::setw(static_cast<int>(width[c])) << rows[c].name;
  os << "\n";
  for (std::size_t l = 0; l < shown.size(); ++l) {
    os << std::left << std::setw(static_cast<int>(labelWidth)) << shown[l]->label << " ";
    for (std::size_t c = 0; c < rows.size(); ++c)
      os << " " << std::right << std::setw(static_cast<int>(width[c])) << cells[l][c];
    os << "\n";
  }
  if (shown.empty()) os << "(no metrics to compare)\n";
  os << "* best of the line (ties all marked)\n";
  for (const auto& r : rows)
    if (!r.error.empty()) os << "\n" << r.name << " failed:\n  " << r.error << "\n";
}

SweepSpec compareSweep(const std::string& workload, const std::vector<std::string>& platforms,
                       const std::vector<std::string>& sets) {
  SweepSpec s;
  s.name = "compare";
  s.description = "compare " + workload;
  s.file = "(compare)";
  for (const auto& p : platforms) {
    SweepPoint pt;
    const std::string stem = fs::path(p).stem().string();
    pt.name = stem;
    for (int n = 2; std::any_of(s.points.begin(), s.points.end(),
                                [&](const SweepPoint& q) { return q.name == pt.name; });
         ++n)
      pt.name = stem + "-" + std::to_string(n);
    pt.platformFile = p;
    pt.workloadFile = workload;
    for (const auto& o : sets) pt.sets.push_back(config::parseSetOverride(o));
    s.points.push_back(std::move(pt));
  }
  return s;
}

void loadComparison(const std::string& path, CompareOptions& options) {
  const config::Node root = config::loadFile(path);
  config::MapReader r(root);
  r.optional<std::string>("name", "");
  r.optional<std::string>("description", "");
  const fs::path dir = fs::path(path).parent_path();
  auto resolve = [&](const config::Node& n) {
    if (!n.isScalar()) n.expected("a file path (relative to the comparison file)");
    const std::string file = (dir / n.text()).lexically_normal().string();
    if (!fs::is_regular_file(file)) n.fail("file '" + file + "' does not exist");
    return file;
  };
  options.workload = resolve(r.requiredChild("workload"));
  const config::Node& platforms = r.requiredChild("platforms");
  if (!platforms.isSequence() || platforms.items().empty())
    platforms.expected("a list of platform files");
  options.platforms.clear();
  for (const auto& p : platforms.items()) options.platforms.push_back(resolve(p));
  r.finish();
}

std::string defaultComparisonFile() {
  return (fs::path(configRoot()) / "comparisons" / "default.yaml").string();
}

int commandCompare(const CompareOptions& given) {
  CompareOptions options = given;
  if (options.workload.empty()) {
    loadComparison(defaultComparisonFile(), options);
  } else if (options.platforms.empty()) {
    const config::Node root = config::loadFile(options.workload);
    if (!root.get("platforms"))
      throw ConfigError(
          "compare needs a workload and at least one platform file, or a "
          "comparison file (with `workload:` and `platforms:`), or nothing for "
          "the default comparison");
    loadComparison(options.workload, options);
  }
  if (options.platforms.empty()) throw ConfigError("compare needs at least one platform file");
  for (const auto& f : options.platforms)
    if (!fs::is_regular_file(f)) throw ConfigError("platform file '" + f + "' does not exist");
  if (!fs::is_regular_file(options.workload))
    throw ConfigError("workload file '" + options.workload + "' does not exist");
  const SweepSpec sweep = compareSweep(options.workload, options.platforms, options.sets);
  // A workload that loads with no platform (or no platform at all that loads) is bad input.
  checkSomePointLoads(sweep, SourceLoc{"compare", 0, 0}, "platform");
  ScratchDir dir(options.outDir);
  SweepOptions so;
  so.outDir = dir.path();
  so.label = "compare";
  so.jobs = options.jobs > 0 ? options.jobs
                             : static_cast<int>(std::clamp<std::size_t>(
                                   std::thread::hardware_concurrency(), 1, sweep.points.size()));
  const SweepOutcome outcome = runSweepPoints(sweep, so, std::cerr);
  const SweepTable table = SweepTable::fromOutcome(sweep, outcome);
  if (!options.outDir.empty()) {
    std::ofstream(fs::path(dir.path()) / "results.csv") << table.csv();
    std::ofstream(fs::path(dir.path()) / "results.json")
        << table.json(sweep, outcome.interrupted).dump(2) << "\n";
  }
  std::cout << "workload " << options.workload << "\n\n";
  printComparison(std::cout, table);
  if (outcome.interrupted) return 130;
  return outcome.failures() > 0 ? 1 : 0;
}

}  // namespace chipletsim
