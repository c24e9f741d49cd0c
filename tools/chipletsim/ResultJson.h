#pragma once
// Results JSON (DESIGN.md, schema "chipletsim.result/1") and the stats tree as JSON.

#include <nlohmann/json.hpp>

#include "Simulation.h"

namespace chipletsim {

using Json = nlohmann::ordered_json;

/// {"name": {"value": v, "unit": u}, "child": {...}}: every value with its unit.
Json statsToJson(const StatGroup& g);
/// {"name": v, "child": {...}}: values only (results' "metrics").
Json metricsToJson(const StatGroup& g);
/// The platform summary: name, packaging, compute_chiplets, hbm_stacks, peak_flops,
/// hbm_peak_bytes_per_s and each instance's derived quantities.
Json platformSummaryJson(const std::string& name, const std::string& description,
                         const std::vector<InstanceSummary>& instances);
/// The whole results document.
Json resultToJson(const SimulationResult& r);

}  // namespace chipletsim
