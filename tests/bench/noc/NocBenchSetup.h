#pragma once
// Loads a NoC bench platform and a noc_traffic workload through the config layer (with
// --set style overrides) into the plain-C++ specs the fabrics take, so benches and the
// curve tool run the fabrics directly, many points in one process, without the kernel.

#include <string>
#include <vector>

#include "config/Loader.h"
#include "noc/NocSpec.h"
#include "workload/NocTrafficSpec.h"

namespace nocBench {

struct Setup {
  chipletsim::noc::NocSpec noc;
  chipletsim::workload::NocTrafficSpec traffic;
  std::string platformName;
  std::string workloadName;
};

/// The platform's only `noc` instance and the workload's traffic; `sets` are scoped
/// overrides ("platform.…", "workload.…"). ConfigError when either is something else.
Setup load(const std::string& platform, const std::string& workload,
           const std::vector<chipletsim::config::SetOverride>& sets = {});

}  // namespace nocBench
