#include "ResultJson.h"

#include <map>

namespace chipletsim {

Json statsToJson(const StatGroup& g) {
  Json j = Json::object();
  for (const auto& v : g.values()) j[v.name] = Json{{"value", v.value}, {"unit", v.unit}};
  for (const auto& c : g.children()) j[c->name()] = statsToJson(*c);
  return j;
}

Json metricsToJson(const StatGroup& g) {
  Json j = Json::object();
  for (const auto& v : g.values()) j[v.name] = v.value;
  for (const auto& c : g.children()) j[c->name()] = metricsToJson(*c);
  return j;
}

Json platformSummaryJson(const std::string& name, const std::string& description,
                         const std::vector<InstanceSummary>& instances) {
  Json p = Json::object();
  p["name"] = name;
  p["description"] = description;
  std::string packaging = "none";
  int chiplets = 0, stacks = 0;
  double hbmPeak = 0.0;
  std::map<std::string, double> flops;
  Json each = Json::object();
  for (const auto& i : instances) {
    if (i.kind == "hbm_stack") ++stacks;
    if (i.kind == "compute_chiplet") ++chiplets;
    Json rows = Json::object();
    rows["kind"] = i.kind;
    for (const auto& [k, v] : i.summary.labels) {
      rows[k] = v;
      if (k == "packaging") packaging = v;
    }
    for (const auto& row : i.summary.rows) {
      rows[row.name] = Json{{"value", row.value}, {"unit", row.unit}};
      if (i.kind == "hbm_stack" && row.name == "peak_bandwidth") hbmPeak += row.value;
      const std::string prefix = "peak_flops_";
      if (row.name.rfind(prefix, 0) == 0) flops[row.name.substr(prefix.size())] += row.value;
    }
    each[i.name] = std::move(rows);
  }
  p["packaging"] = packaging;
  p["compute_chiplets"] = chiplets;
  p["hbm_stacks"] = stacks;
  Json f = Json::object();
  for (const auto& [dtype, v] : flops) f[dtype] = v;
  p["peak_flops"] = f;
  p["hbm_peak_bytes_per_s"] = hbmPeak;
  p["instances"] = std::move(each);
  return p;
}

Json resultToJson(const SimulationResult& r) {
  Json j = Json::object();
  j["schema"] = "chipletsim.result/1";
  j["platform"] = platformSummaryJson(r.platformName, r.platformDescription, r.instances);
  Json w = Json::object();
  w["name"] = r.workloadName;
  w["kind"] = r.resultKind;
  w["workload_kind"] = r.workloadKind;
  for (const auto& row : r.workload.rows)
    w[row.name] = Json{{"value", row.value}, {"unit", row.unit}};
  for (const auto& [k, v] : r.workload.labels) w[k] = v;
  j["workload"] = std::move(w);
  j["metrics"] = metricsToJson(r.metrics);
  j["stats"] = statsToJson(r.stats);
  Json sim = Json::object();
  sim["wall_s"] = r.wallSeconds;
  sim["simulated_s"] = r.simulatedSeconds;
  sim["transactions"] = r.transactions;
  Json fid = Json::object();
  for (const auto& [inst, f] : r.fidelity) fid[inst] = f;
  sim["fidelity"] = std::move(fid);
  j["sim"] = std::move(sim);
  return j;
}

}  // namespace chipletsim
