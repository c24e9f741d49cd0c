#pragma once
// Sweep files and result parsing shared by the sweep, plot and cluster CLI tests.

#include <sstream>
#include <string>
#include <vector>

#include "../cli/Cli.h"

namespace chipletsim::testing {

/// The head of a sweep file called `name`: one HBM3 stack under stream reads (points that
/// take milliseconds).
inline std::string hbmSweepHead(const std::string& name) {
  return "name: " + name + "\nplatform: " + configDir() +
         "/platforms/bench/hbm-hbm3.yaml\nworkload: " + configDir() +
         "/workloads/traffic/stream-read.yaml\n";
}

/// 3 HBM generations x 4 queue depths (12 points); `totalBytes` sets how long a point takes
/// (256 KiB: ~20 ms, 32 MiB: a few hundred ms).
inline std::string gridSweep(const std::string& name, const std::string& totalBytes) {
  return hbmSweepHead(name) +
         "axes:\n"
         "  - {key: platform.instances.hbm0.preset, values: [hbm2e, hbm3, hbm3e]}\n"
         "  - {key: workload.outstanding, values: [4, 16, 64, 256]}\n"
         "  - {key: workload.total_bytes, values: [\"" +
         totalBytes + "\"]}\n";
}

/// The lines of `text`, without their newlines.
inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace chipletsim::testing
