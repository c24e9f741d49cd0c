#pragma once
// Runs the points of a sweep, each in its own child process (PointRun.h), and writes the
// results table. Backends: `local` runs up to `jobs` children at a time on this machine;
// `mpi` (SweepMpi.h) farms points out to the ranks of an MPI job. Whatever the backend, a
// failing point is recorded with its error and the others go on; a point whose process is
// killed is retried once; finished points (a complete result JSON with unchanged arguments)
// are skipped on resume; SIGINT/SIGTERM stop the children and keep what finished. Results
// are gathered in point-index order whatever order the children finish in.

#include <chrono>
#include <csignal>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "PointRun.h"
#include "ResultJson.h"
#include "Sweep.h"

namespace chipletsim {

enum class SweepBackend { kLocal, kMpi };

struct SweepOptions {
  int jobs = 1;                 // children at a time (local backend), >= 1
  std::string outDir;           // DIR: points/ and results.{csv,json} go here
  bool resume = false;          // skip points whose DIR/points/<index>.json is complete
  std::string executable;       // the chipletsim to spawn (default: this process's executable)
  std::string label = "sweep";  // what progress lines start with
  SweepBackend backend = SweepBackend::kLocal;
  // Run only points first..last (inclusive): a slice of a sweep split over jobs (Slurm
  // array tasks); a slice writes its points/ files but no results table (--collect merges).
  std::size_t first = 0;
  std::size_t last = std::numeric_limits<std::size_t>::max();
  bool isSlice() const { return first != 0 || last != std::numeric_limits<std::size_t>::max(); }
};

struct SweepOutcome {
  std::vector<PointOutcome> points;  // one per sweep point, in index order
  bool interrupted = false;          // stopped by SIGINT/SIGTERM
  std::size_t failures() const;
  std::size_t ran() const;  // points that ran to an end in this invocation
};

/// Runs every point of `sweep` on this machine as described above; progress lines go to
/// `progress` (done/total, failures, elapsed, ETA). Throws ConfigError when DIR cannot be
/// written.
SweepOutcome runSweepPoints(const SweepSpec& sweep, const SweepOptions& options,
                            std::ostream& progress);

/// The outcomes a sweep starts from: points resumed from DIR (when options.resume) are
/// kOk, points outside the slice kNotRun; `queue` receives the indices still to run.
SweepOutcome plannedOutcome(const SweepSpec& sweep, const SweepOptions& options,
                            const PointFiles& files, std::vector<std::size_t>& queue);

/// Writes DIR/results.csv and DIR/results.json for `outcome`.
void writeSweepResults(const SweepSpec& sweep, const SweepOutcome& outcome,
                       const std::string& outDir);

/// The exit status of a finished sweep (0 all ok, 1 some failed or not run, 130
/// interrupted), with one line on stderr saying why when it is not 0.
int sweepExitStatus(const SweepOutcome& outcome);

/// `chipletsim sweep` with the local backend: runs the points and writes DIR/results.csv and
/// DIR/results.json (a slice writes only its points).
/// Returns 0 when every point succeeded, 1 when some failed, 130 when interrupted.
int commandSweep(const std::string& sweepFile, const SweepOptions& options);

/// SIGINT/SIGTERM set a flag for the lifetime of the object (old handlers restored after).
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  bool requested() const;

 private:
  struct sigaction m_oldInt {};
  struct sigaction m_oldTerm {};
};

/// The progress line of a sweep on stderr: done/total, resumed, failed, running, elapsed,
/// ETA. On a terminal one line redrawn in place; otherwise one line per finished point.
class SweepProgress {
 public:
  SweepProgress(std::ostream& out, std::string label, std::size_t total, std::size_t reused);
  void update(std::size_t ran, std::size_t failed, std::size_t running, bool final);

 private:
  std::ostream& m_out;
  std::string m_label;
  std::size_t m_total;
  std::size_t m_reused;
  std::chrono::steady_clock::time_point m_start;
  bool m_tty;
  std::size_t m_lastDone = static_cast<std::size_t>(-1);
  std::size_t m_lastRunning = 0;
};

}  // namespace chipletsim
