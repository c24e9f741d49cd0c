#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "SweepMpi.h"
#include "common/Errors.h"

namespace chipletsim {

namespace fs = std::filesystem;

void execMpiBackend() {
  const fs::path mpi = fs::path(selfExecutable()).parent_path() / "chipletsim-mpi";
  std::error_code ec;
  if (!fs::exists(mpi, ec))
    throw ConfigError(
        "--backend mpi: this chipletsim was built without MPI (no " + mpi.string() +
        ": CMake found no MPI, or -DCHIPLETSIM_MPI=OFF); install Debian's openmpi-bin and "
        "libopenmpi-dev and rebuild, or use --backend local");
  // This process's own arguments, as the kernel keeps them.
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<std::string> args;
  std::string cur;
  for (char c : ss.str()) {
    if (c == '\0') {
      args.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  args.at(0) = mpi.string();
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execv(argv[0], argv.data());
  throw ConfigError("--backend mpi: cannot start '" + mpi.string() +
                    "': " + std::string(std::strerror(errno)));
}

}  // namespace chipletsim
