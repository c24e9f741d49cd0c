#pragma once
// The results of a sweep as a table: one row per point (in point-index order) with the keys
// the sweep varies, the status and error, and the metrics of each point's results JSON
// flattened to dotted names ("breakdown_s.compute"). Metric columns are those present in
// any row, known ones first in a fixed order (DESIGN.md's metrics), then the others in the
// order they first appear; derived columns (bottleneck, tokens/s per W, per $, per
// interposer wafer) are added where their inputs are present. No wall-clock time enters
// the table, so the same points give byte-identical files whatever the job order.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ResultJson.h"
#include "Sweep.h"
#include "SweepRunner.h"

namespace chipletsim {

struct SweepRow {
  std::size_t index = 0;
  std::string name;
  std::vector<std::pair<std::string, std::string>> varied;
  std::string status;  // "ok", "failed", "not_run"
  std::string error;
  std::vector<std::pair<std::string, double>> metrics;  // flattened, SI units
  std::string bottleneck;  // largest breakdown_s component other than compute ("" if none)
  Json platform;           // the point's platform summary without per-instance detail
  Json workload;           // name and kind

  std::optional<double> metric(const std::string& name) const;
};

class SweepTable {
 public:
  static SweepTable fromOutcome(const SweepSpec& sweep, const SweepOutcome& outcome);

  const std::vector<SweepRow>& rows() const { return m_rows; }
  const std::vector<std::string>& variedKeys() const { return m_varied; }
  /// Numeric metric columns in output order (the bottleneck is a text column after them).
  const std::vector<std::string>& metricColumns() const { return m_metrics; }
  bool hasBottleneck() const { return m_hasBottleneck; }

  /// index,name,<varied keys>,status,error,<metrics>,bottleneck (RFC 4180 quoting).
  std::string csv() const;
  /// {"schema": "chipletsim.sweep/1", "name", "file", "interrupted", "points": [...]}.
  Json json(const SweepSpec& sweep, bool interrupted) const;

 private:
  std::vector<SweepRow> m_rows;
  std::vector<std::string> m_varied;
  std::vector<std::string> m_metrics;
  bool m_hasBottleneck = false;
};

/// {"a": 1, "b": {"c": 2}} -> [("a", 1), ("b.c", 2)]; non-numeric leaves are skipped.
std::vector<std::pair<std::string, double>> flattenMetrics(const Json& metrics);

/// The known metric names in their fixed column order.
const std::vector<std::string>& knownMetricOrder();

/// Shortest text that reads back as the same double ("%.17g" trimmed to what round-trips).
std::string formatNumber(double v);

}  // namespace chipletsim
