#include "SweepMpi.h"

#include <mpi.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <deque>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "ExitStatus.h"
#include "common/Errors.h"

namespace chipletsim {

namespace fs = std::filesystem;

namespace {

// Messages, all MPI_CHAR buffers on MPI_COMM_WORLD.
constexpr int kTagReady = 1;   // worker -> 0: idle, give me a point (empty)
constexpr int kTagResult = 2;  // worker -> 0: "INDEX EXIT RESULTLEN\n" RESULT LOG
constexpr int kTagLeft = 3;    // worker -> 0: leaving; its point in flight (if any) is lost
constexpr int kTagWork = 4;    // 0 -> worker: INDEX \0 ARG \0 ARG ... (`chipletsim run` args)
constexpr int kTagStop = 5;    // 0 -> worker: stop now (kill the point in flight, leave)

// Polling period of every rank: MPI's blocking receives spin a core, and ranks share cores
// with the points they run (and with each other under --oversubscribe).
constexpr auto kPoll = std::chrono::milliseconds(1);

class MpiSession {
 public:
  MpiSession() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized && MPI_Init(nullptr, nullptr) != MPI_SUCCESS)
      throw ConfigError("--backend mpi: MPI_Init failed (start it with mpirun -np N)");
    MPI_Comm_rank(MPI_COMM_WORLD, &m_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &m_size);
  }
  ~MpiSession() { MPI_Finalize(); }
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return m_rank; }
  int size() const { return m_size; }

 private:
  int m_rank = 0;
  int m_size = 1;
};

void send(const std::string& body, int dest, int tag) {
  MPI_Send(body.data(), static_cast<int>(body.size()), MPI_CHAR, dest, tag, MPI_COMM_WORLD);
}

// A message waiting from `source` (MPI_ANY_SOURCE for any), received, or nothing.
struct Message {
  int source;
  int tag;
  std::string body;
};
std::optional<Message> tryReceive(int source) {
  int flag = 0;
  MPI_Status st;
  MPI_Iprobe(source, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
  if (!flag) return std::nullopt;
  int n = 0;
  MPI_Get_count(&st, MPI_CHAR, &n);
  Message m{st.MPI_SOURCE, st.MPI_TAG, std::string(static_cast<std::size_t>(n), '\0')};
  MPI_Recv(m.body.data(), n, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  return m;
}

std::string encodeAttempt(std::size_t index, const PointAttempt& a) {
  return std::to_string(index) + " " + std::to_string(a.exitCode) + " " +
         std::to_string(a.resultJson.size()) + "\n" + a.resultJson + a.log;
}

std::pair<std::size_t, PointAttempt> decodeAttempt(const std::string& body) {
  const std::size_t eol = body.find('\n');
  std::istringstream head(body.substr(0, eol));
  std::size_t index = 0, resultLen = 0;
  PointAttempt a;
  head >> index >> a.exitCode >> resultLen;
  if (!head || eol == std::string::npos || body.size() < eol + 1 + resultLen)
    throw InternalError("MPI sweep: malformed result message");
  a.resultJson = body.substr(eol + 1, resultLen);
  a.log = body.substr(eol + 1 + resultLen);
  return {index, std::move(a)};
}

std::string encodeWork(std::size_t index, const std::vector<std::string>& args) {
  std::string s = std::to_string(index);
  for (const auto& a : args) s += '\0' + a;
  return s;
}

std::pair<std::size_t, std::vector<std::string>> decodeWork(const std::string& body) {
  std::vector<std::string> parts(1);
  for (char c : body) {
    if (c == '\0') {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  const std::size_t index = std::stoul(parts.front());
  return {index, std::vector<std::string>(parts.begin() + 1, parts.end())};
}

// Tells every worker to stop and waits until each has said it leaves, passing every other
// message that arrives meanwhile to `onMessage` (results still in flight).
template <class OnMessage>
void releaseWorkers(std::set<int>& present, OnMessage onMessage) {
  for (int r : present) send("", r, kTagStop);
  while (!present.empty()) {
    if (std::optional<Message> m = tryReceive(MPI_ANY_SOURCE)) {
      if (m->tag == kTagLeft) present.erase(m->source);
      onMessage(*m);
    } else {
      std::this_thread::sleep_for(kPoll);
    }
  }
}

// A worker: asks for points, runs each in a child process, sends back what it left.
int runWorker() {
  StopSignals signalled;
  const fs::path scratch =
      fs::temp_directory_path() / ("chipletsim-mpi-" + std::to_string(::getpid()));
  std::error_code ec;
  fs::create_directories(scratch, ec);
  // Points run in the plain chipletsim beside this executable when there is one: it starts
  // faster than this one, which loads the MPI library.
  std::string exe = selfExecutable();
  if (const fs::path plain = fs::path(exe).parent_path() / "chipletsim"; fs::exists(plain, ec))
    exe = plain.string();
  send("", 0, kTagReady);
  for (;;) {
    std::optional<Message> m = tryReceive(0);
    if (!m) {
      if (signalled.requested()) {
        send("", 0, kTagLeft);
        break;
      }
      std::this_thread::sleep_for(kPoll);
      continue;
    }
    if (m->tag == kTagStop) {
      send("", 0, kTagLeft);
      break;
    }
    const auto [index, args] = decodeWork(m->body);
    std::optional<PointAttempt> attempt;
    std::optional<Message> stopWhileRunning;
    try {
      PointProcess p(exe, args, (scratch / std::to_string(index)).string());
      while (!(attempt = p.poll())) {
        if (signalled.requested()) break;
        if ((stopWhileRunning = tryReceive(0))) break;  // rank 0 only sends stop meanwhile
        std::this_thread::sleep_for(kPoll);
      }
      // Leaving the scope stops a child still running.
    } catch (const std::exception& e) {
      attempt = PointAttempt{kExitInternal, "", std::string("MPI worker: ") + e.what() + "\n"};
    }
    if (!attempt) {
      send(stopWhileRunning ? "" : std::to_string(index), 0, kTagLeft);
      break;
    }
    send(encodeAttempt(index, *attempt), 0, kTagResult);
  }
  fs::remove_all(scratch, ec);
  // 0 even when signalled: a worker that left cleanly has lost nothing (rank 0 reruns its
  // point), and mpirun would otherwise report the whole sweep as failed.
  return 0;
}

// Rank 0: hands out points, stores what comes back.
class Farm {
 public:
  Farm(const SweepSpec& sweep, const SweepOptions& options, int ranks)
      : m_sweep(sweep), m_options(options), m_files(options.outDir) {
    for (int r = 1; r < ranks; ++r) m_present.insert(r);
  }
  // Whatever way rank 0 leaves, every worker is told to stop and heard leaving, so no rank
  // waits for a message that never comes.
  ~Farm() {
    try {
      stopWorkers();
    } catch (...) {
    }
  }
  Farm(const Farm&) = delete;
  Farm& operator=(const Farm&) = delete;

  SweepOutcome run() {
    std::vector<std::size_t> planned;
    m_out = plannedOutcome(m_sweep, m_options, m_files, planned);
    m_queue.assign(planned.begin(), planned.end());
    m_attempts.assign(m_sweep.points.size(), 0);
    SweepProgress bar(std::cerr, m_options.label, m_sweep.points.size(),
                      m_sweep.points.size() - m_queue.size());
    StopSignals stop;
    bar.update(0, 0, 0, false);
    auto lastDraw = std::chrono::steady_clock::now();
    while ((!m_queue.empty() || !m_busy.empty()) && !m_present.empty()) {
      if (stop.requested()) {
        m_out.interrupted = true;
        break;
      }
      bool heard = false;
      while (std::optional<Message> m = tryReceive(MPI_ANY_SOURCE)) {
        heard = true;
        handle(*m);
      }
      while (!m_idle.empty() && !m_queue.empty()) {
        const int worker = m_idle.front();
        m_idle.pop_front();
        const std::size_t i = m_queue.front();
        m_queue.pop_front();
        if (m_attempts[i]++ == 0) m_files.begin(i, m_sweep.points[i]);
        send(encodeWork(i, runArguments(m_sweep.points[i])), worker, kTagWork);
        m_busy[worker] = i;
      }
      if (heard || std::chrono::steady_clock::now() - lastDraw > std::chrono::milliseconds(500)) {
        bar.update(m_ran, m_failed, m_busy.size(), false);
        lastDraw = std::chrono::steady_clock::now();
      }
      if (!heard) std::this_thread::sleep_for(kPoll);
    }
    if (!m_out.interrupted && (!m_queue.empty() || !m_busy.empty())) {
      std::cerr << "sweep: every MPI worker left; the points not run are kept as not_run\n";
      m_out.interrupted = true;
    }
    stopWorkers();  // results still in flight are stored
    bar.update(m_ran, m_failed, 0, true);
    return m_out;
  }

 private:
  void handle(const Message& m) {
    if (m.tag == kTagReady) {
      m_idle.push_back(m.source);
    } else if (m.tag == kTagResult) {
      auto [index, attempt] = decodeAttempt(m.body);
      m_busy.erase(m.source);
      m_idle.push_back(m.source);
      if (isLostAttempt(attempt) && m_attempts[index] < kMaxAttempts && !m_stopping) {
        m_queue.push_back(index);
        std::cerr << retryNote(index, attempt);
      } else {
        m_out.points[index] = m_files.store(index, attempt, m_attempts[index]);
        m_failed += m_out.points[index].status == PointStatus::kFailed;
        ++m_ran;
      }
    } else if (m.tag == kTagLeft) {
      m_present.erase(m.source);
      m_idle.erase(std::remove(m_idle.begin(), m_idle.end(), m.source), m_idle.end());
      if (const auto it = m_busy.find(m.source); it != m_busy.end()) {
        // The worker lost its point: a lost attempt like a killed process.
        if (!m_stopping && m_attempts[it->second] < kMaxAttempts) {
          m_queue.push_front(it->second);
          std::cerr << "sweep: point " << it->second << " was lost with MPI worker rank "
                    << m.source << "; running it once more\n";
        } else if (!m_stopping) {
          PointAttempt lost{128 + SIGTERM, "", "its MPI worker left twice while running it\n"};
          m_out.points[it->second] = m_files.store(it->second, lost, m_attempts[it->second]);
          ++m_failed;
          ++m_ran;
        }
        m_busy.erase(it);
      }
      if (!m_stopping)
        std::cerr << "sweep: MPI worker rank " << m.source << " left; " << m_present.size()
                  << " remain\n";
    }
  }

  void stopWorkers() {
    m_stopping = true;
    std::set<int> present = m_present;
    releaseWorkers(present, [this](const Message& m) { handle(m); });
  }

  const SweepSpec& m_sweep;
  const SweepOptions& m_options;
  PointFiles m_files;
  SweepOutcome m_out;
  std::deque<std::size_t> m_queue;
  std::vector<int> m_attempts;
  std::set<int> m_present;            // workers that have not left
  std::deque<int> m_idle;             // workers waiting for a point
  std::map<int, std::size_t> m_busy;  // worker -> point in flight
  std::size_t m_ran = 0, m_failed = 0;
  bool m_stopping = false;
};

}  // namespace

int commandSweepMpi(const std::string& sweepFile, const SweepOptions& options) {
  MpiSession mpi;
  if (mpi.rank() != 0) return runWorker();
  // Rank 0. The workers wait for it whatever happens: release them before any error.
  SweepOptions o = options;
  std::optional<SweepSpec> sweep;
  std::optional<ConfigError> error;
  try {
    sweep = loadSweep(sweepFile);
    checkSomePointLoads(*sweep, SourceLoc{sweep->file, 0, 0});
  } catch (const ConfigError& e) {
    error = e;
  }
  if (mpi.size() < 2 && !error)
    error = ConfigError(
        "--backend mpi needs at least 2 MPI ranks (rank 0 hands out points, the others run "
        "them): start it with 'mpirun -np N' and N >= 2");
  if (error) {
    std::set<int> workers;
    for (int r = 1; r < mpi.size(); ++r) workers.insert(r);
    releaseWorkers(workers, [](const Message&) {});
    throw *error;
  }
  if (o.outDir.empty()) o.outDir = "sweep-" + sweep->name;
  SweepOutcome outcome;
  {
    Farm farm(*sweep, o, mpi.size());
    outcome = farm.run();
  }
  writeSweepResults(*sweep, outcome, o.outDir);
  return sweepExitStatus(outcome);
}

}  // namespace chipletsim
