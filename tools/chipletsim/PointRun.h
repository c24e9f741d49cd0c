#pragma once
// One sweep point run in its own child process (the SystemC kernel cannot restart): this
// executable's `run` with the point's files and --set overrides, --json into BASE.json.tmp,
// stdout and stderr into BASE.log. Every sweep backend (local --jobs, MPI workers, Slurm
// slices) runs points through PointProcess and stores what they left with storeAttempt, so
// DIR/points/<index>.{json,log,args,error} mean the same whichever backend wrote them:
//   .args   the arguments that define the point's result (a resumed sweep reuses a result
//           only when they are unchanged)
//   .json   the complete results JSON (only when the point succeeded)
//   .log    the child's stdout and stderr
//   .error  the point's error (only when it failed)

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "ResultJson.h"
#include "Sweep.h"

namespace chipletsim {

/// The arguments of `chipletsim run` for a point, without the executable and --json:
/// {"run", platform, workload, "--set", "k=v", ...}.
std::vector<std::string> runArguments(const SweepPoint& p);

/// The text stored in DIR/points/<index>.args for a point.
std::string argsRecord(const SweepPoint& p);

/// What one child process left behind.
struct PointAttempt {
  int exitCode = 0;        // its exit status; 128 + signal number when killed by a signal
  std::string resultJson;  // the results JSON text it wrote when it exited 0 (maybe partial)
  std::string log;         // its stdout and stderr
};

/// A point killed by a signal (crashed, OOM-killed, killed by hand) is run once more before
/// it is recorded as failed; a point that exits with an error fails at once (it would fail
/// the same way again).
constexpr int kMaxAttempts = 2;
bool isLostAttempt(const PointAttempt& a);
/// "sweep: point 3 was killed by signal 9; running it once more\n".
std::string retryNote(std::size_t index, const PointAttempt& a);

/// A child process running `exe` with `args` plus "--json BASE.json.tmp", stdin from
/// /dev/null, stdout and stderr into BASE.log, in its own process group with default
/// SIGINT/SIGTERM handling. Not copyable; the destructor stops a child still running.
class PointProcess {
 public:
  PointProcess(const std::string& exe, const std::vector<std::string>& args, std::string base);
  ~PointProcess();
  PointProcess(PointProcess&& other) noexcept;
  PointProcess& operator=(PointProcess&& other) noexcept;
  PointProcess(const PointProcess&) = delete;
  PointProcess& operator=(const PointProcess&) = delete;

  /// The attempt once the child has exited (its .json.tmp removed), or nothing yet.
  std::optional<PointAttempt> poll();
  /// Blocks until the child exits.
  PointAttempt wait();
  /// SIGTERM to the child's process group, SIGKILL after 3 s; waits for it.
  void stop();

 private:
  PointAttempt collect(int waitStatus);
  pid_t m_pid = -1;
  std::string m_base;
};

/// This process's executable (what sweeps spawn by default).
std::string selfExecutable();

/// The complete results JSON in `text` trimmed to what a sweep table needs (schema,
/// platform summary with instance kinds only, workload, metrics), or nothing when `text`
/// is not a complete chipletsim.result/1 document.
std::optional<Json> trimmedResult(const std::string& text);
/// trimmedResult() of the file at `path` (nothing when it does not exist).
std::optional<Json> readCompleteResult(const std::string& path);
/// True when `path` holds a complete results JSON (schema chipletsim.result/1 with metrics).
bool isCompleteResult(const std::string& path);

/// How one point ended.
enum class PointStatus { kOk, kFailed, kNotRun };
const char* pointStatusName(PointStatus s);

struct PointOutcome {
  std::size_t index = 0;
  PointStatus status = PointStatus::kNotRun;
  bool reused = false;  // its result came from an earlier (resumed) sweep
  int exitCode = 0;     // the child's exit status (128 + signal when killed)
  std::string error;    // why it failed
  Json result;          // the child's results JSON, trimmed (null unless kOk)
  int attempts = 0;     // child processes run for it in this invocation
};

/// Where a sweep's per-point files live: DIR/points/<index>.<what>.
class PointFiles {
 public:
  explicit PointFiles(const std::string& outDir);  // creates DIR/points (ConfigError if not)
  std::string dir() const { return m_dir; }
  std::string base(std::size_t index) const;                    // DIR/points/<index>
  std::string path(std::size_t index, const char* what) const;  // what: "json", "log", ...

  /// The outcome a resumed sweep takes from disk: kOk with the stored result when the .args
  /// match and the .json is complete; kFailed with the stored .error when `withFailures`
  /// and the .args match; otherwise kNotRun.
  PointOutcome stored(std::size_t index, const SweepPoint& p, bool withFailures) const;
  /// Clears what an earlier sweep left for the point and records its arguments (before it
  /// runs).
  void begin(std::size_t index, const SweepPoint& p) const;
  /// Stores a finished attempt (.json on success, else .error; .log always, atomically)
  /// and returns the point's outcome with `attempts` child processes run.
  PointOutcome store(std::size_t index, const PointAttempt& a, int attempts) const;

 private:
  std::string m_dir;
};

}  // namespace chipletsim
