#include "SweepTable.h"

#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

namespace chipletsim {

namespace {

void flattenInto(const Json& j, const std::string& prefix,
                 std::vector<std::pair<std::string, double>>& out) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string name = prefix.empty() ? it.key() : prefix + "." + it.key();
    if (it->is_object()) {
      flattenInto(*it, name, out);
    } else if (it->is_number()) {
      out.emplace_back(name, it->get<double>());
    }
  }
}

// breakdown_s components that are not compute: the largest one names what holds a step up.
std::string bottleneckOf(const std::vector<std::pair<std::string, double>>& metrics) {
  const std::string prefix = "breakdown_s.";
  std::string best;
  double bestValue = 0.0;
  for (const auto& [k, v] : metrics) {
    if (k.rfind(prefix, 0) != 0) continue;
    const std::string part = k.substr(prefix.size());
    if (part == "compute") continue;
    if (v > bestValue) {
      bestValue = v;
      best = part;
    }
  }
  return best;
}

// Mean utilisation of the instances of `kind` ("utilisation.<instance>" metrics), or none.
std::optional<double> meanUtilisation(const SweepRow& row, const Json& instances,
                                      const std::string& kind) {
  double sum = 0.0;
  int n = 0;
  for (auto it = instances.begin(); it != instances.end(); ++it) {
    if (!it->is_object() || it->value("kind", "") != kind) continue;
    if (const auto u = row.metric("utilisation." + it.key())) {
      sum += *u;
      ++n;
    }
  }
  if (n == 0) return std::nullopt;
  return sum / n;
}

void addDerived(SweepRow& row, const Json& instances) {
  if (const auto u = meanUtilisation(row, instances, "hbm_stack"))
    row.metrics.emplace_back("hbm_utilization", *u);
  if (const auto u = meanUtilisation(row, instances, "d2d_link"))
    row.metrics.emplace_back("d2d_utilization", *u);
  auto has = [&](const std::string& k) { return row.metric(k).has_value(); };
  // Cost is per package: throughput per package where the workload reports it.
  auto tps = row.metric("tokens_per_s_per_package");
  if (!tps) tps = row.metric("tokens_per_s");
  if (!tps) return;
  // Tokens/s per watt: power = energy per token x tokens/s, so this is tokens per joule.
  if (const auto e = row.metric("energy_j_per_token"); e && *e > 0 && !has("tokens_per_s_per_w"))
    row.metrics.emplace_back("tokens_per_s_per_w", 1.0 / *e);
  if (const auto c = row.metric("cost.package_usd"); c && *c > 0 && !has("tokens_per_s_per_usd"))
    row.metrics.emplace_back("tokens_per_s_per_usd", *tps / *c);
  if (const auto w = row.metric("cost.packages_per_interposer_wafer");
      w && !has("tokens_per_s_per_interposer_wafer"))
    row.metrics.emplace_back("tokens_per_s_per_interposer_wafer", *tps * *w);
}

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

std::optional<double> SweepRow::metric(const std::string& n) const {
  for (const auto& [k, v] : metrics)
    if (k == n) return v;
  return std::nullopt;
}

std::vector<std::pair<std::string, double>> flattenMetrics(const Json& metrics) {
  std::vector<std::pair<std::string, double>> out;
  if (metrics.is_object()) flattenInto(metrics, "", out);
  return out;
}

const std::vector<std::string>& knownMetricOrder() {
  static const std::vector<std::string> order = {
      // training
      "step_time_s", "tokens_per_s", "tokens_per_s_per_package", "mfu", "hfu",
      "breakdown_s.compute", "breakdown_s.hbm_bound", "breakdown_s.d2d_bound",
      "breakdown_s.exposed_comm", "breakdown_s.pipeline_bubble", "breakdown_s.idle",
      "hbm_utilization", "d2d_utilization", "energy_j_per_step", "energy_j_per_token",
      "tokens_per_s_per_w", "cost.package_usd", "tokens_per_s_per_usd",
      "cost.packages_per_interposer_wafer", "tokens_per_s_per_interposer_wafer",
      "memory_footprint_bytes",
      // traffic
      "achieved_bytes_per_s", "peak_bytes_per_s", "efficiency", "latency_ns.mean", "latency_ns.p50",
      "latency_ns.p99", "offered_rate", "accepted_rate", "latency_cycles.mean",
      "latency_cycles.p50", "latency_cycles.p99"};
  return order;
}

std::string formatNumber(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[40];
  for (int prec = 6; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

SweepTable SweepTable::fromOutcome(const SweepSpec& sweep, const SweepOutcome& outcome) {
  SweepTable t;
  std::set<std::string> seenVaried, seenMetric;
  std::vector<std::string> others;
  for (const auto& o : outcome.points) {
    const SweepPoint& p = sweep.points.at(o.index);
    SweepRow row;
    row.index = o.index;
    row.name = p.name;
    row.varied = p.varied;
    row.status = pointStatusName(o.status);
    row.error = o.error;
    if (o.status == PointStatus::kOk) {
      row.metrics = flattenMetrics(o.result.value("metrics", Json::object()));
      addDerived(row,
                 o.result.value("platform", Json::object()).value("instances", Json::object()));
      row.bottleneck = bottleneckOf(row.metrics);
      row.platform = Json::object();
      const Json& pl = o.result.value("platform", Json::object());
      for (auto it = pl.begin(); it != pl.end(); ++it)
        if (it.key() != "instances" && it.key() != "description") row.platform[it.key()] = *it;
      const Json& wl = o.result.value("workload", Json::object());
      row.workload = Json{{"name", wl.value("name", "")}, {"kind", wl.value("kind", "")}};
    }
    for (const auto& [k, v] : row.varied)
      if (seenVaried.insert(k).second) t.m_varied.push_back(k);
    for (const auto& [k, v] : row.metrics)
      if (seenMetric.insert(k).second) others.push_back(k);
    t.m_hasBottleneck = t.m_hasBottleneck || !row.bottleneck.empty();
    t.m_rows.push_back(std::move(row));
  }
  std::set<std::string> known;
  for (const auto& k : knownMetricOrder()) {
    known.insert(k);
    if (seenMetric.count(k)) t.m_metrics.push_back(k);
  }
  for (const auto& k : others)
    if (!known.count(k)) t.m_metrics.push_back(k);
  return t;
}

std::string SweepTable::csv() const {
  std::ostringstream o;
  o << "index,name";
  for (const auto& k : m_varied) o << "," << csvField(k);
  o << ",status,error";
  for (const auto& m : m_metrics) o << "," << csvField(m);
  if (m_hasBottleneck) o << ",bottleneck";
  o << "\n";
  for (const auto& r : m_rows) {
    o << r.index << "," << csvField(r.name);
    for (const auto& k : m_varied) {
      std::string v;
      for (const auto& [vk, vv] : r.varied)
        if (vk == k) v = vv;
      o << "," << csvField(v);
    }
    o << "," << r.status << "," << csvField(r.error);
    for (const auto& m : m_metrics) {
      const auto v = r.metric(m);
      o << "," << (v ? formatNumber(*v) : "");
    }
    if (m_hasBottleneck) o << "," << csvField(r.bottleneck);
    o << "\n";
  }
  return o.str();
}

Json SweepTable::json(const SweepSpec& sweep, bool interrupted) const {
  Json j = Json::object();
  j["schema"] = "chipletsim.sweep/1";
  j["name"] = sweep.name;
  j["description"] = sweep.description;
  j["file"] = sweep.file;
  j["interrupted"] = interrupted;
  j["varied_keys"] = m_varied;
  Json points = Json::array();
  for (const auto& r : m_rows) {
    const SweepPoint& p = sweep.points.at(r.index);
    Json pt = Json::object();
    pt["index"] = r.index;
    pt["name"] = r.name;
    pt["platform_file"] = p.platformFile;
    pt["workload_file"] = p.workloadFile;
    Json set = Json::object();
    for (const auto& [k, v] : r.varied) set[k] = v;
    pt["set"] = std::move(set);
    pt["status"] = r.status;
    if (!r.error.empty()) pt["error"] = r.error;
    if (r.status == "ok") {
      pt["platform"] = r.platform;
      pt["workload"] = r.workload;
      Json m = Json::object();
      for (const auto& [k, v] : r.metrics) m[k] = v;
      pt["metrics"] = std::move(m);
      if (!r.bottleneck.empty()) pt["bottleneck"] = r.bottleneck;
    }
    points.push_back(std::move(pt));
  }
  j["points"] = std::move(points);
  return j;
}

}  // namespace chipletsim
