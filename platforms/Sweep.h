#pragma once
// A sweep file: a base platform and workload, and the design points to run them at, given
// either as a list of named variants or as axes over any config key path (a grid: every
// combination; a `zip` group moves its axes together).
//
//   name: hbm-pin-rate
//   platform: ../platforms/bench/hbm-hbm3.yaml      # relative to this file
//   workload: ../workloads/traffic/stream-read.yaml
//   axes:
//     - key: platform.instances.hbm0.pin_rate
//       values: ["4.8 Gb/s", "6.4 Gb/s"]
//     - zip:
//         - {key: workload.outstanding, values: [8, 64]}
//         - {key: workload.request_size, values: ["64 B", "256 B"]}
//   # or
//   variants:
//     - {name: slow, set: {platform.instances.hbm0.pin_rate: "4.8 Gb/s"}}
//     - {name: other-board, platform: ../platforms/other.yaml}

#include <string>
#include <vector>

#include "config/Loader.h"

namespace chipletsim {

/// One design point: which files, with which overrides.
struct SweepPoint {
  std::string name;  // "hbm0.pin_rate=4.8 Gb/s,outstanding=8" or the variant's name
  std::string platformFile;
  std::string workloadFile;
  std::vector<config::SetOverride> sets;
  /// (key path, value as written) of what this point varies, in axis order.
  std::vector<std::pair<std::string, std::string>> varied;
};

struct SweepSpec {
  std::string name;
  std::string description;
  std::string file;
  std::vector<SweepPoint> points;  // in a fixed order: the first axis varies slowest
};

/// Loads and expands a sweep; every point's overrides are parsed (not yet applied).
SweepSpec loadSweep(const std::string& path);
SweepSpec decodeSweep(const config::Node& root, const std::string& path);

/// Loads every point's platform and workload with its overrides, so a sweep is known to be
/// runnable before any point runs. Throws the first point's ConfigError, naming the point.
void checkSweepPoints(const SweepSpec& sweep);

/// Loads points in order until one loads; when none does, the sweep itself is bad input (a
/// key or file every point shares is wrong): throws a ConfigError at `where` carrying the
/// first point's error ("no <noun> loads; the first, '<name>': ..."). A point that fails
/// alone is a finding its run records, not an error here.
void checkSomePointLoads(const SweepSpec& sweep, const SourceLoc& where,
                         const std::string& noun = "point");

}  // namespace chipletsim
