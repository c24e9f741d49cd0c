#include "SweepRunner.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "SweepTable.h"
#include "common/Errors.h"

namespace chipletsim {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Set by SIGINT/SIGTERM while a sweep runs; a signal handler can only reach a global.
volatile std::sig_atomic_t g_stopRequested = 0;

extern "C" void onStopSignal(int) {
  g_stopRequested = 1;
}

void writeText(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw ConfigError("cannot write '" + p.string() + "'");
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

struct Running {
  PointProcess process;
  std::size_t index;
};

}  // namespace

StopSignals::StopSignals() {
  g_stopRequested = 0;
  struct sigaction sa {};
  sa.sa_handler = onStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &m_oldInt);
  sigaction(SIGTERM, &sa, &m_oldTerm);
}

StopSignals::~StopSignals() {
  sigaction(SIGINT, &m_oldInt, nullptr);
  sigaction(SIGTERM, &m_oldTerm, nullptr);
}

bool StopSignals::requested() const {
  return g_stopRequested != 0;
}

SweepProgress::SweepProgress(std::ostream& out, std::string label, std::size_t total,
                             std::size_t reused)
    : m_out(out),
      m_label(std::move(label)),
      m_total(total),
      m_reused(reused),
      m_start(Clock::now()),
      m_tty(&out == &std::cerr && ::isatty(2)) {}

void SweepProgress::update(std::size_t ran, std::size_t failed, std::size_t running, bool final) {
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

SweepOutcome plannedOutcome(const SweepSpec& sweep, const SweepOptions& options,
                            const PointFiles& files, std::vector<std::size_t>& queue) {
  if (options.isSlice() && (options.first > options.last || options.first >= sweep.points.size()))
    throw ConfigError("--points " + std::to_string(options.first) + "-" +
                      std::to_string(options.last) + ": the sweep has points 0-" +
                      std::to_string(sweep.points.size() - 1));
  SweepOutcome out;
  out.points.resize(sweep.points.size());
  for (std::size_t i = 0; i < sweep.points.size(); ++i) {
    out.points[i].index = i;
    if (i < options.first || i > options.last) continue;
    if (options.resume) out.points[i] = files.stored(i, sweep.points[i], false);
    if (out.points[i].status == PointStatus::kNotRun) queue.push_back(i);
  }
  return out;
}

SweepOutcome runSweepPoints(const SweepSpec& sweep, const SweepOptions& options,
                            std::ostream& progress) {
  if (options.jobs < 1) throw ConfigError("--jobs must be at least 1");
  const PointFiles files(options.outDir);
  const std::string exe = options.executable.empty() ? selfExecutable() : options.executable;

  std::vector<std::size_t> planned;
  SweepOutcome out = plannedOutcome(sweep, options, files, planned);
  const std::size_t inSlice = std::min(options.last, sweep.points.size() - 1) - options.first + 1;
  std::deque<std::size_t> queue(planned.begin(), planned.end());
  std::vector<int> attempts(sweep.points.size(), 0);

  SweepProgress bar(progress, options.label, inSlice, inSlice - queue.size());
  StopSignals stop;
  std::vector<Running> running;
  std::size_t ran = 0, failed = 0;
  auto lastDraw = Clock::now();
  bar.update(0, 0, 0, false);
  while (!queue.empty() || !running.empty()) {
    if (stop.requested()) {
      running.clear();  // each PointProcess stops its child
      out.interrupted = true;
      break;
    }
    bool reaped = false;
    for (auto it = running.begin(); it != running.end();) {
      const std::optional<PointAttempt> a = it->process.poll();
      if (!a) {
        ++it;
        continue;
      }
      reaped = true;
      const std::size_t i = it->index;
      if (isLostAttempt(*a) && attempts[i] < kMaxAttempts) {
        queue.push_back(i);
        progress << retryNote(i, *a);
      } else {
        out.points[i] = files.store(i, *a, attempts[i]);
        failed += out.points[i].status == PointStatus::kFailed;
        ++ran;
      }
      it = running.erase(it);
    }
    while (running.size() < static_cast<std::size_t>(options.jobs) && !queue.empty()) {
      const std::size_t i = queue.front();
      queue.pop_front();
      if (attempts[i]++ == 0) files.begin(i, sweep.points[i]);
      running.push_back({PointProcess(exe, runArguments(sweep.points[i]), files.base(i)), i});
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

void writeSweepResults(const SweepSpec& sweep, const SweepOutcome& outcome,
                       const std::string& outDir) {
  const SweepTable table = SweepTable::fromOutcome(sweep, outcome);
  const fs::path dir(outDir);
  writeText(dir / "results.csv", table.csv());
  writeText(dir / "results.json", table.json(sweep, outcome.interrupted).dump(2) + "\n");
  std::cerr << "sweep: results in " << (dir / "results.csv").string() << " and "
            << (dir / "results.json").string() << "\n";
}

int sweepExitStatus(const SweepOutcome& outcome) {
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

int commandSweep(const std::string& sweepFile, const SweepOptions& options) {
  SweepOptions o = options;
  if (o.backend == SweepBackend::kMpi)
    throw InternalError("commandSweep runs the local backend; --backend mpi goes to SweepMpi");
  const SweepSpec sweep = loadSweep(sweepFile);
  checkSomePointLoads(sweep, SourceLoc{sweep.file, 0, 0});
  if (o.outDir.empty()) o.outDir = "sweep-" + sweep.name;
  const SweepOutcome outcome = runSweepPoints(sweep, o, std::cerr);
  if (o.isSlice()) {
    // Slices run side by side in one DIR: the table is merged once, by --collect.
    std::cerr << "sweep: points " << o.first << "-" << std::min(o.last, sweep.points.size() - 1)
              << " in " << PointFiles(o.outDir).dir() << "; merge with 'chipletsim sweep --collect "
              << o.outDir << "'\n";
    SweepOutcome slice;
    slice.interrupted = outcome.interrupted;
    for (std::size_t i = o.first; i <= o.last && i < outcome.points.size(); ++i)
      slice.points.push_back(outcome.points[i]);
    return sweepExitStatus(slice);
  }
  writeSweepResults(sweep, outcome, o.outDir);
  return sweepExitStatus(outcome);
}

}  // namespace chipletsim
