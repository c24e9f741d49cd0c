#include "SweepRunner.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "SweepTable.h"
#include "common/Errors.h"

extern char** environ;

namespace chipletsim {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Set by SIGINT/SIGTERM while a sweep runs; a signal handler can only reach a global.
volatile std::sig_atomic_t g_stopRequested = 0;

extern "C" void onStopSignal(int) {
  g_stopRequested = 1;
}

// Installs the stop handler for the lifetime of the object and restores the old ones.
class StopSignals {
 public:
  StopSignals() {
    g_stopRequested = 0;
    struct sigaction sa {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &m_oldInt);
    sigaction(SIGTERM, &sa, &m_oldTerm);
  }
  ~StopSignals() {
    sigaction(SIGINT, &m_oldInt, nullptr);
    sigaction(SIGTERM, &m_oldTerm, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction m_oldInt {};
  struct sigaction m_oldTerm {};
};

struct Running {
  pid_t pid;
  std::size_t index;
};

std::string readText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void writeText(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw ConfigError("cannot write '" + p.string() + "'");
}

std::vector<std::string> childArgs(const std::string& exe, const SweepPoint& p,
                                   const fs::path& jsonTmp) {
  std::vector<std::string> a = {exe, "run", p.platformFile, p.workloadFile};
  for (const auto& s : p.sets) {
    a.push_back("--set");
    a.push_back(s.text);
  }
  a.push_back("--json");
  a.push_back(jsonTmp.string());
  return a;
}

// The arguments that define a point's result (not where it is written): a resumed sweep
// reuses a result only when they are unchanged.
std::string argsRecord(const SweepPoint& p) {
  std::string s = "platform " + p.platformFile + "\nworkload " + p.workloadFile + "\n";
  for (const auto& o : p.sets) s += "set " + o.text + "\n";
  return s;
}

pid_t spawnChild(const std::vector<std::string>& args, const fs::path& log) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Own process group: a terminal's Ctrl-C reaches the sweep, which stops the children
  // itself. Default SIGINT/SIGTERM dispositions and an empty mask in the child.
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &fa, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0)
    throw ConfigError("cannot start '" + args[0] + "': " + std::string(std::strerror(rc)));
  return pid;
}

int exitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// The error of a failed point: what the child wrote (its report is only printed on
// success, so this is its stderr), trimmed to the last lines.
std::string errorOf(const fs::path& log, int exitCode) {
  std::string text = readText(log);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  constexpr std::size_t kMaxError = 2000;
  if (text.size() > kMaxError) text = "..." + text.substr(text.size() - kMaxError);
  if (text.empty()) text = "exited with status " + std::to_string(exitCode) + " and no message";
  if (exitCode > 128) text = "killed by signal " + std::to_string(exitCode - 128) + ": " + text;
  return text;
}

std::string seconds(double s) {
  std::ostringstream o;
  if (s < 60) {
    o << std::fixed << std::setprecision(1) << s << " s";
  } else {
    const auto t = static_cast<long>(s + 0.5);
    o << t / 3600 << ":" << std::setw(2) << std::setfill('0') << (t / 60) % 60 << ":"
      << std::setw(2) << t % 60;
  }
  return o.str();
}

class Progress {
 public:
  Progress(std::ostream& out, std::string label, std::size_t total, std::size_t reused)
      : m_out(out),
        m_label(std::move(label)),
        m_total(total),
        m_reused(reused),
        m_start(Clock::now()),
        m_tty(&out == &std::cerr && ::isatty(2)) {}

  void update(std::size_t ran, std::size_t failed, std::size_t running, bool final) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - m_start).count();
    const std::size_t done = ran + m_reused;
    std::ostringstream line;
    line << m_label << ": " << done << "/" << m_total << " done";
    if (m_reused) line << " (" << m_reused << " resumed)";
    line << ", " << failed << " failed, " << running << " running, elapsed " << seconds(elapsed);
    if (ran > 0 && done < m_total)
      line << ", ETA "
           << seconds(elapsed / static_cast<double>(ran) * static_cast<double>(m_total - done));
    if (m_tty) {
      m_out << "\r" << line.str() << "\033[K" << (final ? "\n" : "") << std::flush;
    } else if (done != m_lastDone || (final && running != m_lastRunning)) {
      // Off a terminal: one line per finished point, and the final state when it differs.
      m_out << line.str() << "\n" << std::flush;
    }
    m_lastDone = done;
    m_lastRunning = running;
  }

 private:
  std::ostream& m_out;
  std::string m_label;
  std::size_t m_total;
  std::size_t m_reused;
  Clock::time_point m_start;
  bool m_tty;
  std::size_t m_lastDone = static_cast<std::size_t>(-1);
  std::size_t m_lastRunning = 0;
};

void stopChildren(std::vector<Running>& running) {
  for (const auto& r : running) ::kill(-r.pid, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::seconds(3);
  for (const auto& r : running) {
    int st = 0;
    while (::waitpid(r.pid, &st, WNOHANG) == 0) {
      if (Clock::now() > deadline) ::kill(-r.pid, SIGKILL);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  running.clear();
}

}  // namespace

const char* pointStatusName(PointStatus s) {
  switch (s) {
    case PointStatus::kOk:
      return "ok";
    case PointStatus::kFailed:
      return "failed";
    case PointStatus::kNotRun:
      return "not_run";
  }
  return "?";
}

std::size_t SweepOutcome::failures() const {
  std::size_t n = 0;
  for (const auto& p : points) n += p.status == PointStatus::kFailed;
  return n;
}

std::size_t SweepOutcome::ran() const {
  std::size_t n = 0;
  for (const auto& p : points) n += p.status != PointStatus::kNotRun && !p.reused;
  return n;
}

std::optional<Json> readCompleteResult(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  Json j;
  try {
    j = Json::parse(readText(path));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (!j.is_object() || j.value("schema", "") != "chipletsim.result/1" || !j.contains("metrics") ||
      !j["metrics"].is_object())
    return std::nullopt;
  // Keep what the table needs, not the stats tree: a sweep may hold thousands of points.
  Json kept = Json::object();
  kept["schema"] = j["schema"];
  Json platform = j.value("platform", Json::object());
  if (platform.contains("instances") && platform["instances"].is_object()) {
    Json kinds = Json::object();
    for (auto it = platform["instances"].begin(); it != platform["instances"].end(); ++it)
      kinds[it.key()] = Json{{"kind", it->is_object() ? it->value("kind", "") : ""}};
    platform["instances"] = std::move(kinds);
  }
  kept["platform"] = std::move(platform);
  kept["workload"] = j.value("workload", Json::object());
  kept["metrics"] = std::move(j["metrics"]);
  return kept;
}

bool isCompleteResult(const std::string& path) {
  return readCompleteResult(path).has_value();
}

SweepOutcome runSweepPoints(const SweepSpec& sweep, const SweepOptions& options,
                            std::ostream& progress) {
  if (options.jobs < 1) throw ConfigError("--jobs must be at least 1");
  const fs::path points = fs::path(options.outDir) / "points";
  std::error_code ec;
  fs::create_directories(points, ec);
  if (ec) throw ConfigError("cannot create '" + points.string() + "': " + ec.message());
  const std::string exe =
      options.executable.empty() ? fs::read_symlink("/proc/self/exe").string() : options.executable;

  SweepOutcome out;
  out.points.resize(sweep.points.size());
  std::vector<std::size_t> queue;
  for (std::size_t i = 0; i < sweep.points.size(); ++i) {
    PointOutcome& o = out.points[i];
    o.index = i;
    const fs::path json = points / (std::to_string(i) + ".json");
    const fs::path args = points / (std::to_string(i) + ".args");
    const bool same = readText(args) == argsRecord(sweep.points[i]);
    std::optional<Json> previous;
    if (options.resume && same) previous = readCompleteResult(json.string());
    if (previous) {
      o.status = PointStatus::kOk;
      o.reused = true;
      o.result = std::move(*previous);
    } else {
      fs::remove(json, ec);  // a stale result must not be resumed later
      queue.push_back(i);
    }
  }

  Progress bar(progress, options.label, sweep.points.size(), sweep.points.size() - queue.size());
  StopSignals stop;
  std::vector<Running> running;
  std::size_t next = 0, ran = 0, failed = 0;
  auto lastDraw = Clock::now();
  bar.update(0, 0, 0, false);
  while (next < queue.size() || !running.empty()) {
    if (g_stopRequested) {
      stopChildren(running);
      out.interrupted = true;
      break;
    }
    bool reaped = false;
    for (auto it = running.begin(); it != running.end();) {
      int st = 0;
      if (::waitpid(it->pid, &st, WNOHANG) != it->pid) {
        ++it;
        continue;
      }
      reaped = true;
      PointOutcome& o = out.points[it->index];
      const std::string base = (points / std::to_string(it->index)).string();
      o.exitCode = exitCodeOf(st);
      std::optional<Json> result;
      if (o.exitCode == 0) result = readCompleteResult(base + ".json.tmp");
      if (result) {
        fs::rename(base + ".json.tmp", base + ".json");
        o.status = PointStatus::kOk;
        o.result = std::move(*result);
      } else {
        fs::remove(base + ".json.tmp", ec);
        o.status = PointStatus::kFailed;
        o.error = o.exitCode == 0 ? "exited with status 0 but wrote no complete results JSON"
                                  : errorOf(base + ".log", o.exitCode);
        ++failed;
      }
      ++ran;
      it = running.erase(it);
    }
    while (running.size() < static_cast<std::size_t>(options.jobs) && next < queue.size()) {
      const std::size_t i = queue[next++];
      const std::string base = (points / std::to_string(i)).string();
      writeText(base + ".args", argsRecord(sweep.points[i]));
      const auto args = childArgs(exe, sweep.points[i], base + ".json.tmp");
      running.push_back({spawnChild(args, base + ".log"), i});
    }
    if (reaped || Clock::now() - lastDraw > std::chrono::milliseconds(500)) {
      bar.update(ran, failed, running.size(), false);
      lastDraw = Clock::now();
    }
    // Polling every millisecond keeps the runner's cost per point small (a point can take
    // ~20 ms) at a negligible CPU cost, and a stop request is seen at once.
    if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  bar.update(ran, failed, 0, true);
  return out;
}

int commandSweep(const std::string& sweepFile, const SweepOptions& options) {
  const SweepSpec sweep = loadSweep(sweepFile);
  SweepOptions o = options;
  if (o.outDir.empty()) o.outDir = "sweep-" + sweep.name;
  const SweepOutcome outcome = runSweepPoints(sweep, o, std::cerr);
  const SweepTable table = SweepTable::fromOutcome(sweep, outcome);
  const fs::path dir(o.outDir);
  writeText(dir / "results.csv", table.csv());
  writeText(dir / "results.json", table.json(sweep, outcome.interrupted).dump(2) + "\n");
  std::cerr << "sweep: results in " << (dir / "results.csv").string() << " and "
            << (dir / "results.json").string() << "\n";
  if (outcome.interrupted) {
    std::cerr << "sweep: interrupted; finished points are kept, continue with --resume\n";
    return 130;
  }
  if (outcome.failures() > 0) {
    std::cerr << "sweep: " << outcome.failures() << " of " << outcome.points.size()
              << " points failed (see results.csv's error column)\n";
    return 1;
  }
  return 0;
}

}  // namespace chipletsim
