#pragma once
// Runs the built chipletsim executable and captures its exit status, stdout and stderr.

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace chipletsim::testing {

struct CliResult {
  int status = -1;  // exit status; 128 + signal number when killed by a signal
  std::string out;
  std::string err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// `args` is appended to the command line as written (quote what needs quoting).
inline CliResult runCli(const std::string& args) {
  const std::string base = "/tmp/chipletsim-cli-" + std::to_string(::getpid());
  const std::string cmd = std::string(CHIPLETSIM_BIN_DIR) + "/chipletsim " + args + " >" + base +
                          ".out 2>" + base + ".err";
  const int raw = std::system(cmd.c_str());
  CliResult r;
  if (WIFEXITED(raw)) r.status = WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) r.status = 128 + WTERMSIG(raw);
  r.out = slurp(base + ".out");
  r.err = slurp(base + ".err");
  std::remove((base + ".out").c_str());
  std::remove((base + ".err").c_str());
  return r;
}

inline std::string configDir() {
  return std::string(CHIPLETSIM_SOURCE_DIR) + "/configs";
}

}  // namespace chipletsim::testing
