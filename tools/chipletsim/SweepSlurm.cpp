#include "SweepSlurm.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/Errors.h"

namespace chipletsim {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxArrayTasks = 1000;  // Slurm's default MaxArraySize is 1001
const char* const kManifest = "manifest.tsv";
const char* const kSweepHeader = "# sweep: ";

void writeFile(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw ConfigError("cannot write '" + p.string() + "'");
}

std::string absolute(const std::string& p) {
  return fs::absolute(p).lexically_normal().string();
}

// The sweep file DIR/manifest.tsv names.
std::string manifestSweep(const fs::path& dir) {
  std::ifstream in(dir / kManifest);
  for (std::string line; std::getline(in, line) && !line.empty() && line[0] == '#';)
    if (line.rfind(kSweepHeader, 0) == 0) return line.substr(std::string(kSweepHeader).size());
  throw ConfigError("--collect " + dir.string() + ": no " + kManifest +
                    " naming the sweep there (written by --emit-slurm); give the sweep file: "
                    "chipletsim sweep SWEEP.yaml --collect " +
                    dir.string());
}

}  // namespace

std::string shellQuote(const std::string& text) {
  if (!text.empty() && text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                              "0123456789_./=:,+-@%") == std::string::npos)
    return text;  // nothing a shell would change
  std::string q = "'";
  for (char c : text) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

void parsePointRange(const std::string& text, SweepOptions& options) {
  const auto bad = [&] {
    return ConfigError("--points '" + text +
                       "': expected a point index or a range FIRST-LAST (0-based, inclusive)");
  };
  const std::size_t dash = text.find('-');
  const std::string a = text.substr(0, dash);
  const std::string b = dash == std::string::npos ? a : text.substr(dash + 1);
  const auto number = [&](const std::string& s) {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 18)
      throw bad();
    return static_cast<std::size_t>(std::stoull(s));
  };
  options.first = number(a);
  options.last = number(b);
  if (options.first > options.last) throw bad();
}

int commandEmitSlurm(const std::string& sweepFile, const std::string& dirArg, std::size_t perTask) {
  const std::string file = absolute(sweepFile);
  const SweepSpec sweep = loadSweep(file);
  checkSomePointLoads(sweep, SourceLoc{sweep.file, 0, 0});
  const std::size_t n = sweep.points.size();
  if (perTask == 0) perTask = (n + kMaxArrayTasks - 1) / kMaxArrayTasks;
  const std::size_t tasks = (n + perTask - 1) / perTask;
  const fs::path dir = absolute(dirArg.empty() ? "sweep-" + sweep.name : dirArg);
  std::error_code ec;
  fs::create_directories(dir / "points", ec);
  if (!ec) fs::create_directories(dir / "slurm", ec);
  if (ec) throw ConfigError("cannot create '" + dir.string() + "': " + ec.message());

  std::ostringstream m;
  m << "# chipletsim sweep manifest: one line per point, INDEX<tab>the arguments of "
       "'chipletsim run' (shell-quoted)\n"
    << kSweepHeader << file << "\n"
    << "# points: " << n << "\n";
  for (std::size_t i = 0; i < n; ++i) {
    m << i << "\t";
    const auto args = runArguments(sweep.points[i]);
    for (std::size_t k = 0; k < args.size(); ++k) m << (k ? " " : "") << shellQuote(args[k]);
    m << "\n";
  }
  writeFile(dir / kManifest, m.str());

  std::ostringstream s;
  s << "#!/bin/bash\n"
    << "# chipletsim sweep '" << sweep.name << "': " << n << " points, " << perTask
    << " per array task (written by 'chipletsim sweep --emit-slurm').\n"
    << "# Submit: sbatch " << shellQuote((dir / "sweep.sbatch").string()) << "\n"
    << "# Then merge: chipletsim sweep --collect " << shellQuote(dir.string()) << "\n"
    << "# A task resubmitted (or requeued) skips the points it already finished.\n"
    << "# Add your site's options here (--partition, --account, --time).\n"
    << "#SBATCH --job-name=chipletsim-" << sweep.name << "\n"
    << "#SBATCH --array=0-" << tasks - 1 << "\n"
    << "#SBATCH --ntasks=1\n"
    << "#SBATCH --cpus-per-task=1\n"
    << "#SBATCH --output=" << (dir / "slurm" / "%A_%a.out").string() << "\n"
    << "set -euo pipefail\n"
    << "per_task=" << perTask << "\n"
    << "first=$(( SLURM_ARRAY_TASK_ID * per_task ))\n"
    << "last=$(( first + per_task - 1 ))\n"
    << "if [ \"$last\" -ge " << n << " ]; then last=" << n - 1 << "; fi\n"
    << "exec " << shellQuote(selfExecutable()) << " sweep " << shellQuote(file) << " --out "
    << shellQuote(dir.string())
    << " --points \"$first-$last\" --resume --jobs \"${SLURM_CPUS_PER_TASK:-1}\"\n";
  const fs::path script = dir / "sweep.sbatch";
  writeFile(script, s.str());
  fs::permissions(script, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add, ec);

  std::cerr << "sweep: " << n << " points in " << (dir / kManifest).string() << "; " << tasks
            << " array tasks of " << perTask << " in " << script.string() << "\n"
            << "sweep: submit with 'sbatch " << script.string()
            << "', then merge with 'chipletsim sweep --collect " << dir.string() << "'\n";
  return 0;
}

int commandCollect(const std::string& sweepFile, const std::string& dirArg) {
  const fs::path dir(dirArg);
  std::error_code ec;
  if (!fs::is_directory(dir / "points", ec))
    throw ConfigError("--collect " + dirArg + ": no points/ folder there (not a sweep output)");
  const SweepSpec sweep = loadSweep(sweepFile.empty() ? manifestSweep(dir) : sweepFile);
  const PointFiles files(dir.string());
  SweepOutcome outcome;
  std::size_t notRun = 0;
  for (std::size_t i = 0; i < sweep.points.size(); ++i) {
    outcome.points.push_back(files.stored(i, sweep.points[i], true));
    notRun += outcome.points.back().status == PointStatus::kNotRun;
  }
  writeSweepResults(sweep, outcome, dir.string());
  const int status = sweepExitStatus(outcome);
  if (notRun > 0) {
    std::cerr << "sweep: " << notRun << " of " << sweep.points.size()
              << " points have no result yet (status not_run)\n";
    return 1;
  }
  return status;
}

}  // namespace chipletsim
