#pragma once
// Runs the points of a sweep, each in its own child process (the SystemC kernel cannot
// restart): the child is this executable running `run` with the point's files, --set
// overrides and --json into DIR/points/<index>.json, its stdout and stderr captured in
// DIR/points/<index>.log. Up to `jobs` children at a time; a failing point is recorded with
// its error and the others go on; finished points (a complete result JSON) are skipped on
// resume; SIGINT/SIGTERM kill the children and keep what finished. Results are gathered in
// point-index order whatever order the children finish in.

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "ResultJson.h"
#include "Sweep.h"

namespace chipletsim {

struct SweepOptions {
  int jobs = 1;                 // children at a time, >= 1
  std::string outDir;           // DIR: points/ and results.{csv,json} go here
  bool resume = false;          // skip points whose DIR/points/<index>.json is complete
  std::string executable;       // the chipletsim to spawn (default: this process's executable)
  std::string label = "sweep";  // what progress lines start with
};

/// How one point ended.
enum class PointStatus { kOk, kFailed, kNotRun };
const char* pointStatusName(PointStatus s);

struct PointOutcome {
  std::size_t index = 0;
  PointStatus status = PointStatus::kNotRun;
  bool reused = false;  // its result came from an earlier (resumed) sweep
  int exitCode = 0;     // the child's exit status (128 + signal when killed)
  std::string error;    // the child's stderr when it failed
  Json result;          // the child's results JSON, trimmed (null unless kOk)
};

struct SweepOutcome {
  std::vector<PointOutcome> points;  // one per sweep point, in index order
  bool interrupted = false;          // stopped by SIGINT/SIGTERM
  std::size_t failures() const;
  std::size_t ran() const;  // children that ran to an exit in this invocation
};

/// Runs every point of `sweep` as described above; progress lines go to `progress`
/// (done/total, failures, elapsed, ETA). Throws ConfigError when DIR cannot be written.
SweepOutcome runSweepPoints(const SweepSpec& sweep, const SweepOptions& options,
                            std::ostream& progress);

/// True when `path` holds a complete results JSON (schema chipletsim.result/1 with metrics).
bool isCompleteResult(const std::string& path);
/// The complete results JSON at `path` trimmed to what a sweep table needs (schema,
/// platform summary with instance kinds only, workload, metrics), or nothing.
std::optional<Json> readCompleteResult(const std::string& path);

/// `chipletsim sweep`: runs the points and writes DIR/results.csv and DIR/results.json.
/// Returns 0 when every point succeeded, 1 when some failed, 130 when interrupted.
int commandSweep(const std::string& sweepFile, const SweepOptions& options);

}  // namespace chipletsim
