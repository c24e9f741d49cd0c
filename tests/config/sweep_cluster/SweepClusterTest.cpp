// Sweeps beyond one machine (issue 9), end to end with the built executable: the MPI job
// farm under `mpirun --oversubscribe -np 3` gives the local backend's results byte for byte;
// a point process killed mid-sweep (MPI or local) is retried and no finished point is lost;
// a worker rank killed outright aborts the job (Open MPI 4.1) but --resume loses no finished
// point; the Slurm manifest covers every point exactly once and --collect over partial
// outputs gives the rows of one local run.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "../cli/Cli.h"
#include "../loader/TestYaml.h"
#include "../sweep_cli/SweepFixtures.h"

extern char** environ;

using chipletsim::testing::configDir;
using chipletsim::testing::gridSweep;
using chipletsim::testing::hbmSweepHead;
using chipletsim::testing::lines;
using chipletsim::testing::runCli;
using chipletsim::testing::slurp;
using chipletsim::testing::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kBin = std::string(CHIPLETSIM_BIN_DIR) + "/chipletsim";

// The status column of every row of a results.csv, in row order (no other field of these
// sweeps holds ",ok," or the like: names are quoted, errors are these tests' own).
std::vector<std::string> statuses(const std::string& csvPath) {
  const auto rows = lines(slurp(csvPath));
  std::vector<std::string> out;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    for (const std::string s : {"ok", "failed", "not_run"}) {
      if (rows[i].find("," + s + ",") != std::string::npos) {
        out.push_back(s);
        break;
      }
    }
  }
  return out;
}

std::int64_t mtimeNs(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

// Finished points (a .json in DIR/points) and their modification times.
std::map<std::size_t, std::int64_t> finishedPoints(const std::string& out, std::size_t n) {
  std::map<std::size_t, std::int64_t> done;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string p = out + "/points/" + std::to_string(i) + ".json";
    if (fs::exists(p)) done[i] = mtimeNs(p);
  }
  return done;
}

// --- processes ------------------------------------------------------------------------------

std::vector<std::string> nulSeparated(const std::string& path) {
  std::vector<std::string> out;
  std::string text = slurp(path), cur;
  for (char c : text) {
    if (c == '\0') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

pid_t parentOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = all.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return -1;
  std::istringstream rest(all.substr(close + 2));
  char state = 0;
  pid_t ppid = -1;
  rest >> state >> ppid;
  return state == 'Z' ? -1 : ppid;  // a zombie is as good as gone
}

// Seconds since `pid` started (from /proc: its start time after boot against the uptime).
double ageOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = all.rfind(')');
  if (close == std::string::npos) return 1e9;
  std::istringstream rest(all.substr(close + 2));
  std::string field;
  for (int i = 3; i < 22 && rest >> field;) ++i;  // fields 3..21
  unsigned long long startTicks = 0;
  rest >> startTicks;  // field 22
  double uptime = 0;
  std::ifstream("/proc/uptime") >> uptime;
  return uptime - static_cast<double>(startTicks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// Live processes below `root` with their command lines.
std::map<pid_t, std::vector<std::string>> descendants(pid_t root) {
  std::map<pid_t, pid_t> parent;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = std::stoi(name);
    parent[pid] = parentOf(pid);
  }
  std::map<pid_t, std::vector<std::string>> out;
  for (const auto& [pid, ppid] : parent) {
    if (ppid < 0) continue;
    for (pid_t p = ppid; p > 1; p = parent.count(p) ? parent[p] : -1) {
      if (p == root) {
        out[pid] = nulSeparated("/proc/" + std::to_string(pid) + "/cmdline");
        break;
      }
    }
  }
  return out;
}

std::string environValue(pid_t pid, const std::string& key) {
  for (const auto& kv : nulSeparated("/proc/" + std::to_string(pid) + "/environ"))
    if (kv.rfind(key + "=", 0) == 0) return kv.substr(key.size() + 1);
  return "";
}

// Starts `args` with stderr into `errFile`; returns its pid.
pid_t start(std::vector<std::string> args, const std::string& errFile) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, errFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  EXPECT_EQ(rc, 0) << "cannot start " << args[0];
  return pid;
}

int waitExit(pid_t pid) {
  int st = 0;
  if (::waitpid(pid, &st, 0) != pid) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

template <class Pred>
bool waitFor(Pred pred, std::chrono::seconds limit = std::chrono::seconds(60)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

#ifdef CHIPLETSIM_HAVE_MPI
std::vector<std::string> mpiSweep(int ranks, const std::string& file, const std::string& out) {
  return {CHIPLETSIM_MPIEXEC,
          "--oversubscribe",
          "-np",
          std::to_string(ranks),
          kBin,
          "sweep",
          file,
          "--backend",
          "mpi",
          "--out",
          out};
}
#define SKIP_WITHOUT_MPI()
#else
std::vector<std::string> mpiSweep(int, const std::string&, const std::string&) {
  return {};
}
#define SKIP_WITHOUT_MPI() \
  GTEST_SKIP() << "chipletsim was built without MPI (no MPI found by CMake)"
#endif

std::string shellLine(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) s += (s.empty() ? "'" : " '") + a + "'";
  return s;
}

// Runs a command line; exit status, stderr in `err`.
int runShell(const std::string& line, std::string* err = nullptr) {
  const std::string errFile = "/tmp/chipletsim-cluster-" + std::to_string(::getpid()) + ".err";
  const int raw = std::system((line + " >/dev/null 2>" + errFile).c_str());
  if (err) *err = slurp(errFile);
  std::remove(errFile.c_str());
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
}

}  // namespace

// --- MPI --------------------------------------------------------------------------------------

TEST(SweepMpi, ThreeRanksOnOneMachineGiveTheLocalBackendsResults) {
  SKIP_WITHOUT_MPI();
  TempDir dir;
  const auto file = dir.write("grid.yaml", gridSweep("cluster-grid", "256 KiB"));
  ASSERT_EQ(runCli("sweep '" + file + "' --jobs 2 --out '" + dir.path() + "/local'").status, 0);
  std::string err;
  ASSERT_EQ(runShell(shellLine(mpiSweep(3, file, dir.path() + "/mpi")), &err), 0) << err;
  const std::string csv = slurp(dir.path() + "/local/results.csv");
  ASSERT_EQ(lines(csv).size(), 13u);
  EXPECT_EQ(slurp(dir.path() + "/mpi/results.csv"), csv);
  EXPECT_EQ(slurp(dir.path() + "/mpi/results.json"), slurp(dir.path() + "/local/results.json"));
  // The same point files as the local backend: a local --resume takes every point.
  const auto r = runCli("sweep '" + file + "' --out '" + dir.path() + "/mpi' --resume");
  EXPECT_NE(r.err.find("(12 resumed)"), std::string::npos) << r.err;
}

TEST(SweepMpi, OneRankIsABadInputErrorNamingTheFix) {
  SKIP_WITHOUT_MPI();
  TempDir dir;
  const auto file = dir.write("grid.yaml", gridSweep("cluster-grid", "256 KiB"));
  std::string err;
  EXPECT_EQ(runShell(shellLine(mpiSweep(1, file, dir.path() + "/out")), &err), 2) << err;
  EXPECT_NE(err.find("at least 2 MPI ranks"), std::string::npos) << err;
}

TEST(SweepMpi, BadSweepFileReleasesTheWorkersAndExitsTwo) {
  SKIP_WITHOUT_MPI();
  TempDir dir;
  const auto file = dir.write("bad.yaml", "name: bad\nplatform: nowhere.yaml\n");
  std::string err;
  EXPECT_EQ(runShell(shellLine(mpiSweep(3, file, dir.path() + "/out")), &err), 2) << err;
  EXPECT_NE(err.find("bad.yaml"), std::string::npos) << err;
}

// Starts `sweep` (a command line writing to `out`), kills one point process in flight once
// a point has finished, and checks the sweep retries it and rewrites no finished point.
void killOnePointProcessMidSweep(const TempDir& dir, const std::vector<std::string>& sweep,
                                 const std::string& out) {
  const pid_t runner = start(sweep, dir.path() + "/sweep.err");
  std::map<std::size_t, std::int64_t> before;
  std::size_t killed = 0;
  ASSERT_TRUE(waitFor([&] {
    if (finishedPoints(out, 12).empty()) return false;
    for (const auto& [pid, argv] : descendants(runner)) {
      if (argv.size() < 2 || argv[1] != "run" || argv.back().find(".json.tmp") == std::string::npos)
        continue;
      const std::string tmp = fs::path(argv.back()).filename().string();  // "<index>.json.tmp"
      const std::size_t index = std::stoul(tmp.substr(0, tmp.find('.')));
      before = finishedPoints(out, 12);
      // A young one (a point takes several tenths of a second), so that it is surely still
      // running when the signal lands.
      if (before.count(index) || fs::exists(argv.back()) || ageOf(pid) > 0.1) continue;
      ::kill(pid, SIGKILL);
      killed = index;
      return true;
    }
    return false;
  })) << "no point process to kill";
  const std::string err = [&] {
    const int status = waitExit(runner);
    const std::string text = slurp(dir.path() + "/sweep.err");
    EXPECT_EQ(status, 0) << text;
    return text;
  }();
  EXPECT_NE(
      err.find("point " + std::to_string(killed) + " was killed by signal 9; running it once more"),
      std::string::npos)
      << err;
  // Every point ends ok, the killed one included; finished points were never rewritten.
  EXPECT_EQ(statuses(out + "/results.csv"), std::vector<std::string>(12, "ok"));
  for (const auto& [index, mtime] : before)
    EXPECT_EQ(mtimeNs(out + "/points/" + std::to_string(index) + ".json"), mtime) << index;
  EXPECT_TRUE(fs::exists(out + "/points/" + std::to_string(killed) + ".json"));
}

TEST(SweepMpi, KilledPointProcessIsRetriedAndNoFinishedPointIsLost) {
  SKIP_WITHOUT_MPI();
  TempDir dir;
  const auto file = dir.write("grid.yaml", gridSweep("cluster-grid", "32 MiB"));
  killOnePointProcessMidSweep(dir, mpiSweep(3, file, dir.path() + "/mpi"), dir.path() + "/mpi");
}

TEST(SweepLocal, KilledPointProcessIsRetriedAndNoFinishedPointIsLost) {
  TempDir dir;
  const auto file = dir.write("grid.yaml", gridSweep("cluster-grid", "32 MiB"));
  const std::string out = dir.path() + "/local";
  killOnePointProcessMidSweep(dir, {kBin, "sweep", file, "--jobs", "2", "--out", out}, out);
}

// Open MPI 4.1 has no fault tolerance: a worker rank killed outright makes mpirun abort the
// job. What the backend promises is that every point finished before is on disk, so
// --resume reruns only the points that were in flight.
TEST(SweepMpi, KilledWorkerRankLosesNoFinishedPointOnResume) {
  SKIP_WITHOUT_MPI();
  TempDir dir;
  const auto file = dir.write("grid.yaml", gridSweep("cluster-grid", "32 MiB"));
  const std::string out = dir.path() + "/mpi";
  // The killed rank's point process runs on as an orphan: its scratch folder goes here.
  ::setenv("TMPDIR", dir.path().c_str(), 1);
  auto args = mpiSweep(3, file, out);
  const pid_t mpirun = start(args, dir.path() + "/first.err");
  ASSERT_TRUE(waitFor([&] {
    if (finishedPoints(out, 12).size() < 2) return false;
    for (const auto& [pid, argv] : descendants(mpirun)) {
      if (argv.size() > 1 && argv[1] == "sweep" &&
          environValue(pid, "OMPI_COMM_WORLD_RANK") == "1") {
        ::kill(pid, SIGKILL);
        return true;
      }
    }
    return false;
  })) << "no worker rank to kill";
  const int first = waitExit(mpirun);
  const auto kept = finishedPoints(out, 12);
  ASSERT_GE(kept.size(), 2u);
  if (kept.size() == 12) GTEST_SKIP() << "the sweep finished before the worker was killed";
  EXPECT_NE(first, 0) << "Open MPI 4.1 was expected to abort the job";

  args.push_back("--resume");
  std::string err;
  ASSERT_EQ(runShell(shellLine(args), &err), 0) << err;
  EXPECT_NE(err.find("(" + std::to_string(kept.size()) + " resumed)"), std::string::npos) << err;
  for (const auto& [index, mtime] : kept)
    EXPECT_EQ(mtimeNs(out + "/points/" + std::to_string(index) + ".json"), mtime)
        << "point " << index << " was rerun";
  EXPECT_EQ(statuses(out + "/results.csv"), std::vector<std::string>(12, "ok"));
}

TEST(SweepMpi, WithoutMpiTheBackendIsABadInputError) {
#ifdef CHIPLETSIM_HAVE_MPI
  GTEST_SKIP() << "built with MPI: --backend mpi is available";
#else
  TempDir dir;
  const auto file = dir.write("grid.yaml", gridSweep("cluster-grid", "256 KiB"));
  const auto r = runCli("sweep '" + file + "' --backend mpi --out '" + dir.path() + "/out'");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("built without MPI"), std::string::npos) << r.err;
#endif
}

// --- Slurm ------------------------------------------------------------------------------------

// Runs array task `task` of DIR/sweep.sbatch as Slurm would; its stderr in `err`.
int runArrayTask(const std::string& dir, int task, std::string* err) {
  return runShell(
      "SLURM_ARRAY_TASK_ID=" + std::to_string(task) + " bash '" + dir + "/sweep.sbatch'", err);
}

TEST(SweepSlurm, ManifestAndArrayCoverEveryPointExactlyOnce) {
  TempDir dir;
  const auto file = dir.write("grid.yaml", gridSweep("cluster-grid", "256 KiB"));
  const std::string out = dir.path() + "/slurm";
  const auto r = runCli("sweep '" + file + "' --emit-slurm '" + out + "' --points-per-task 5");
  ASSERT_EQ(r.status, 0) << r.err;
  // The manifest: one line per point, indices 0..11 once each, each line the point's
  // arguments of `chipletsim run`.
  std::multiset<std::size_t> indices;
  std::size_t points = 0;
  for (const auto& l : lines(slurp(out + "/manifest.tsv"))) {
    if (l.empty() || l[0] == '#') continue;
    ++points;
    const auto tab = l.find('\t');
    ASSERT_NE(tab, std::string::npos) << l;
    indices.insert(std::stoul(l.substr(0, tab)));
    EXPECT_EQ(l.substr(tab + 1, 4), "run ") << l;
    EXPECT_NE(l.find("--set workload.outstanding="), std::string::npos) << l;
  }
  EXPECT_EQ(points, 12u);
  for (std::size_t i = 0; i < 12; ++i) EXPECT_EQ(indices.count(i), 1u) << i;
  // The array: 3 tasks of 5, 5 and 2 points, each point run by exactly one of them.
  const std::string script = slurp(out + "/sweep.sbatch");
  EXPECT_NE(script.find("#SBATCH --array=0-2\n"), std::string::npos) << script;
  std::map<std::size_t, int> runs;
  const std::vector<std::string> expect = {"5/5 done", "5/5 done", "2/2 done"};
  for (int t = 0; t < 3; ++t) {
    const auto before = finishedPoints(out, 12);
    std::string err;
    ASSERT_EQ(runArrayTask(out, t, &err), 0) << err;
    EXPECT_NE(err.find(expect[t] + ", 0 failed"), std::string::npos) << err;
    for (const auto& [index, mtime] : finishedPoints(out, 12))
      if (!before.count(index)) ++runs[index];
  }
  EXPECT_EQ(runs.size(), 12u);
  for (const auto& [index, n] : runs) EXPECT_EQ(n, 1) << "point " << index;
}

TEST(SweepSlurm, CollectOverPartialOutputsGivesTheRowsOfOneLocalRun) {
  TempDir dir;
  const auto file = dir.write("grid.yaml", gridSweep("cluster-grid", "256 KiB"));
  ASSERT_EQ(runCli("sweep '" + file + "' --jobs 2 --out '" + dir.path() + "/local'").status, 0);
  const std::string out = dir.path() + "/slurm";
  ASSERT_EQ(runCli("sweep '" + file + "' --emit-slurm '" + out + "' --points-per-task 4").status,
            0);
  // Tasks 0 and 2 have run, task 1 not yet: its four points are not_run, and collect says so.
  std::string err;
  ASSERT_EQ(runArrayTask(out, 0, &err), 0) << err;
  ASSERT_EQ(runArrayTask(out, 2, &err), 0) << err;
  auto c = runCli("sweep --collect '" + out + "'");
  EXPECT_EQ(c.status, 1) << c.err;
  EXPECT_NE(c.err.find("4 of 12 points have no result yet"), std::string::npos) << c.err;
  auto s = statuses(out + "/results.csv");
  ASSERT_EQ(s.size(), 12u);
  for (std::size_t i = 0; i < 12; ++i) EXPECT_EQ(s[i], i >= 4 && i < 8 ? "not_run" : "ok") << i;
  // The last task, then the same rows (and the same JSON) as one local run.
  ASSERT_EQ(runArrayTask(out, 1, &err), 0) << err;
  c = runCli("sweep --collect '" + out + "'");
  ASSERT_EQ(c.status, 0) << c.err;
  EXPECT_EQ(slurp(out + "/results.csv"), slurp(dir.path() + "/local/results.csv"));
  EXPECT_EQ(slurp(out + "/results.json"), slurp(dir.path() + "/local/results.json"));
}

TEST(SweepSlurm, CollectRecordsAFailedPointWithItsError) {
  TempDir dir;
  const auto file =
      dir.write("variants.yaml", hbmSweepHead("one-broken") +
                                     "variants:\n"
                                     "  - {name: small, set: {workload.total_bytes: \"64 KiB\"}}\n"
                                     "  - {name: broken, set: {workload.total_bytes: \"lots\"}}\n");
  const std::string out = dir.path() + "/out";
  // Slices of a local sweep (as GNU parallel over the manifest would run them).
  EXPECT_EQ(runCli("sweep '" + file + "' --out '" + out + "' --points 0").status, 0);
  EXPECT_EQ(runCli("sweep '" + file + "' --out '" + out + "' --points 1-1").status, 1);
  EXPECT_FALSE(fs::exists(out + "/results.csv")) << "a slice writes no table";
  const auto c = runCli("sweep '" + file + "' --collect '" + out + "'");
  EXPECT_EQ(c.status, 1) << c.err;
  const auto csv = lines(slurp(out + "/results.csv"));
  ASSERT_EQ(csv.size(), 3u);
  EXPECT_NE(csv[1].find(",ok,"), std::string::npos) << csv[1];
  EXPECT_NE(csv[2].find(",failed,"), std::string::npos) << csv[2];
  EXPECT_NE(csv[2].find("lots"), std::string::npos) << csv[2];
}

TEST(SweepSlurm, BadPointRangeIsABadInputError) {
  TempDir dir;
  const auto file = dir.write("grid.yaml", gridSweep("cluster-grid", "256 KiB"));
  for (const char* bad : {"5-2", "x", "3-", "40-50"}) {
    const auto r = runCli("sweep '" + file + "' --out '" + dir.path() + "/o' --points " + bad);
    EXPECT_EQ(r.status, 2) << bad;
    EXPECT_NE(r.err.find("--points"), std::string::npos) << r.err;
  }
}

TEST(SweepSlurm, AStoredResultOfAnotherShapeIsNoResultNotACrash) {
  // A points/<i>.json edited or damaged by hand ("schema": 5, a workload name 5) ended
  // --collect and --resume in an uncaught nlohmann type_error (exit 3).
  TempDir dir;
  const auto file =
      dir.write("variants.yaml", hbmSweepHead("two") +
                                     "variants:\n"
                                     "  - {name: a, set: {workload.total_bytes: \"64 KiB\"}}\n"
                                     "  - {name: b, set: {workload.total_bytes: \"128 KiB\"}}\n");
  const std::string out = dir.path() + "/out";
  ASSERT_EQ(runCli("sweep '" + file + "' --out '" + out + "'").status, 0);
  for (const char* bad : {"{\"schema\": 5}",
                          "{\"schema\": \"chipletsim.result/1\", \"metrics\": {}, "
                          "\"workload\": {\"name\": 5}}",
                          "{\"schema\": \"chipletsim.result/1\", \"metrics\": {}, "
                          "\"platform\": {\"instances\": {\"x\": {\"kind\": 7}}}}"}) {
    dir.write("out/points/1.json", bad);
    const auto c = runCli("sweep '" + file + "' --collect '" + out + "'");
    EXPECT_EQ(c.status, 1) << bad << "\n" << c.err;  // point 1 not_run
    EXPECT_NE(c.err.find("1 of 2 points have no result yet"), std::string::npos) << c.err;
    const auto r = runCli("sweep '" + file + "' --out '" + out + "' --resume");
    EXPECT_EQ(r.status, 0) << bad << "\n" << r.err;  // point 1 run again
    EXPECT_NE(slurp(out + "/points/1.json"), bad);
  }
}
