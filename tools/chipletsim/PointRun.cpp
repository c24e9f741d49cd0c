#include "PointRun.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/Errors.h"

extern char** environ;

namespace chipletsim {

namespace fs = std::filesystem;

namespace {

std::string readText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes through a temporary file and a rename, so a reader (or a sweep killed half-way)
// never sees half a file.
void writeAtomically(const fs::path& p, const std::string& text) {
  const fs::path tmp = p.string() + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw ConfigError("cannot write '" + tmp.string() + "'");
  }
  std::error_code ec;
  fs::rename(tmp, p, ec);
  if (ec) throw ConfigError("cannot write '" + p.string() + "': " + ec.message());
}

pid_t spawnChild(const std::vector<std::string>& args, const std::string& log) {
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
std::string errorOf(std::string text, int exitCode, int attempts) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  constexpr std::size_t kMaxError = 2000;
  if (text.size() > kMaxError) text = "..." + text.substr(text.size() - kMaxError);
  if (text.empty()) text = "exited with status " + std::to_string(exitCode) + " and no message";
  if (exitCode > 128) {
    text = "killed by signal " + std::to_string(exitCode - 128) + ": " + text;
    if (attempts > 1) text += " (retried once, lost again)";
  }
  return text;
}

}  // namespace

std::vector<std::string> runArguments(const SweepPoint& p) {
  std::vector<std::string> a = {"run", p.platformFile, p.workloadFile};
  for (const auto& s : p.sets) {
    a.push_back("--set");
    a.push_back(s.text);
  }
  return a;
}

std::string argsRecord(const SweepPoint& p) {
  std::string s = "platform " + p.platformFile + "\nworkload " + p.workloadFile + "\n";
  for (const auto& o : p.sets) s += "set " + o.text + "\n";
  return s;
}

bool isLostAttempt(const PointAttempt& a) {
  return a.exitCode > 128 && a.resultJson.empty();
}

std::string retryNote(std::size_t index, const PointAttempt& a) {
  return "sweep: point " + std::to_string(index) + " was killed by signal " +
         std::to_string(a.exitCode - 128) + "; running it once more\n";
}

std::string selfExecutable() {
  return fs::read_symlink("/proc/self/exe").string();
}

PointProcess::PointProcess(const std::string& exe, const std::vector<std::string>& args,
                           std::string base)
    : m_base(std::move(base)) {
  std::vector<std::string> full = {exe};
  full.insert(full.end(), args.begin(), args.end());
  full.push_back("--json");
  full.push_back(m_base + ".json.tmp");
  m_pid = spawnChild(full, m_base + ".log");
}

PointProcess::PointProcess(PointProcess&& other) noexcept
    : m_pid(other.m_pid), m_base(std::move(other.m_base)) {
  other.m_pid = -1;
}

PointProcess& PointProcess::operator=(PointProcess&& other) noexcept {
  if (this != &other) {
    stop();
    m_pid = other.m_pid;
    m_base = std::move(other.m_base);
    other.m_pid = -1;
  }
  return *this;
}

PointProcess::~PointProcess() {
  if (m_pid > 0) stop();
}

PointAttempt PointProcess::collect(int waitStatus) {
  m_pid = -1;
  PointAttempt a;
  a.exitCode = exitCodeOf(waitStatus);
  const std::string tmp = m_base + ".json.tmp";
  if (a.exitCode == 0) a.resultJson = readText(tmp);  // checked once, by PointFiles::store
  std::error_code ec;
  fs::remove(tmp, ec);
  a.log = readText(m_base + ".log");
  return a;
}

std::optional<PointAttempt> PointProcess::poll() {
  if (m_pid <= 0) return std::nullopt;
  int st = 0;
  if (::waitpid(m_pid, &st, WNOHANG) != m_pid) return std::nullopt;
  return collect(st);
}

PointAttempt PointProcess::wait() {
  int st = 0;
  while (::waitpid(m_pid, &st, 0) != m_pid) {
    if (errno != EINTR) throw InternalError("waitpid failed: " + std::string(std::strerror(errno)));
  }
  return collect(st);
}

void PointProcess::stop() {
  if (m_pid <= 0) return;
  ::kill(-m_pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  int st = 0;
  while (::waitpid(m_pid, &st, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) ::kill(-m_pid, SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  m_pid = -1;
  std::error_code ec;
  fs::remove(m_base + ".json.tmp", ec);
}

std::optional<Json> trimmedResult(const std::string& text) {
  Json j;
  try {
    j = Json::parse(text);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  // A stored file is the user's to damage: any other shape is "no result" (rerun by --resume,
  // not_run for --collect), never a throw ("schema": 5 or a workload name 5 ended --collect
  // in an uncaught type_error, exit 3).
  auto objectOrAbsent = [&](const char* key) { return !j.contains(key) || j[key].is_object(); };
  auto stringOrAbsent = [](const Json& o, const char* key) {
    return !o.contains(key) || o[key].is_string();
  };
  if (!j.is_object() || !j.contains("schema") || j["schema"] != "chipletsim.result/1" ||
      !j.contains("metrics") || !j["metrics"].is_object() || !objectOrAbsent("platform") ||
      !objectOrAbsent("workload"))
    return std::nullopt;
  const Json workload = j.value("workload", Json::object());
  if (!stringOrAbsent(workload, "name") || !stringOrAbsent(workload, "kind")) return std::nullopt;
  // Keep what the table needs, not the stats tree: a sweep may hold thousands of points.
  Json kept = Json::object();
  kept["schema"] = j["schema"];
  Json platform = j.value("platform", Json::object());
  if (platform.contains("instances") && platform["instances"].is_object()) {
    Json kinds = Json::object();
    for (auto it = platform["instances"].begin(); it != platform["instances"].end(); ++it) {
      if (it->is_object() && !stringOrAbsent(*it, "kind")) return std::nullopt;
      kinds[it.key()] = Json{{"kind", it->is_object() ? it->value("kind", "") : ""}};
    }
    platform["instances"] = std::move(kinds);
  }
  kept["platform"] = std::move(platform);
  kept["workload"] = workload;
  kept["metrics"] = std::move(j["metrics"]);
  return kept;
}

std::optional<Json> readCompleteResult(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  return trimmedResult(readText(path));
}

bool isCompleteResult(const std::string& path) {
  return readCompleteResult(path).has_value();
}

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

PointFiles::PointFiles(const std::string& outDir) : m_dir((fs::path(outDir) / "points").string()) {
  std::error_code ec;
  fs::create_directories(m_dir, ec);
  if (ec) throw ConfigError("cannot create '" + m_dir + "': " + ec.message());
}

std::string PointFiles::base(std::size_t index) const {
  return (fs::path(m_dir) / std::to_string(index)).string();
}

std::string PointFiles::path(std::size_t index, const char* what) const {
  return base(index) + "." + what;
}

PointOutcome PointFiles::stored(std::size_t index, const SweepPoint& p, bool withFailures) const {
  PointOutcome o;
  o.index = index;
  if (readText(path(index, "args")) != argsRecord(p)) return o;
  if (auto result = readCompleteResult(path(index, "json"))) {
    o.status = PointStatus::kOk;
    o.reused = true;
    o.result = std::move(*result);
  } else if (std::error_code ec; withFailures && fs::is_regular_file(path(index, "error"), ec)) {
    o.status = PointStatus::kFailed;
    o.reused = true;
    o.error = readText(path(index, "error"));
  }
  return o;
}

void PointFiles::begin(std::size_t index, const SweepPoint& p) const {
  std::error_code ec;
  fs::remove(path(index, "json"), ec);  // a stale result must not be resumed later
  fs::remove(path(index, "error"), ec);
  writeAtomically(path(index, "args"), argsRecord(p));
}

PointOutcome PointFiles::store(std::size_t index, const PointAttempt& a, int attempts) const {
  PointOutcome o;
  o.index = index;
  o.exitCode = a.exitCode;
  o.attempts = attempts;
  const std::string log = path(index, "log");
  if (readText(log) != a.log) writeAtomically(log, a.log);  // the local child wrote it here
  std::optional<Json> result;
  if (!a.resultJson.empty()) result = trimmedResult(a.resultJson);
  if (result) {
    writeAtomically(path(index, "json"), a.resultJson);
    o.status = PointStatus::kOk;
    o.result = std::move(*result);
  } else {
    o.status = PointStatus::kFailed;
    o.error = a.exitCode == 0 ? "exited with status 0 but wrote no complete results JSON"
                              : errorOf(a.log, a.exitCode, attempts);
    writeAtomically(path(index, "error"), o.error);
  }
  return o;
}

}  // namespace chipletsim
