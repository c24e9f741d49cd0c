// The chipletsim command line. libsystemc defines main() and calls sc_main().
// Exit status: 0 success, 2 bad input (configs, CLI arguments, workloads), 3 internal error.

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <systemc>

#include <unistd.h>

#include "Compare.h"
#include "ConfigPaths.h"
#include "ExitStatus.h"
#include "Loading.h"
#include "Plot.h"
#include "ResultJson.h"
#include "Simulation.h"
#include "SweepMpi.h"
#include "SweepRunner.h"
#include "SweepSlurm.h"
#include "TextReport.h"
#include "Validate.h"
#include "config/Loader.h"
#include "config/Node.h"

#ifndef CHIPLETSIM_VERSION
#define CHIPLETSIM_VERSION "0.0.0"
#endif

namespace chipletsim {
namespace {

// SystemC reports go to stderr (stdout carries our report), and nothing aborts: errors and
// fatals are thrown and end up as internal errors.
void reportHandler(const sc_core::sc_report& rep, const sc_core::sc_actions& actions) {
  if (actions & sc_core::SC_DISPLAY)
    std::cerr << sc_core::sc_report_compose_message(rep) << std::endl;
  if (actions & (sc_core::SC_THROW | sc_core::SC_ABORT | sc_core::SC_INTERRUPT)) throw rep;
  if (actions & sc_core::SC_STOP) sc_core::sc_stop();
}

void installReportHandler() {
  using namespace sc_core;
  sc_report_handler::set_handler(reportHandler);
  sc_report_handler::set_actions(SC_ERROR, SC_DISPLAY | SC_THROW);
  sc_report_handler::set_actions(SC_FATAL, SC_DISPLAY | SC_THROW);
  // A model's run-time warnings are worth seeing, but never on stdout.
  sc_report_handler::set_actions(SC_WARNING, SC_DISPLAY);
  sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
}

// Fails before a run of minutes or hours, not after it: the folder of `file` must exist and
// be writable, and `file` must not be a folder or a read-only file.
void requireWritable(const std::string& file, const std::string& option) {
  namespace fs = std::filesystem;
  const fs::path p(file);
  const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  std::error_code ec;
  std::string why;
  if (fs::is_directory(p, ec))
    why = "it is a folder";
  else if (!fs::is_directory(dir, ec))
    why = "folder '" + dir.string() + "' does not exist";
  else if (::access(dir.c_str(), W_OK) != 0 ||
           (fs::exists(p, ec) && ::access(p.c_str(), W_OK) != 0))
    why = "no permission to write it";
  if (!why.empty())
    throw ConfigError(option + " " + file + ": cannot write the file there: " + why);
}

std::string defaultFile(const std::string& category) {
  return (std::filesystem::path(configRoot()) / category / "default.yaml").string();
}

struct RunOptions {
  std::string platform;
  std::string workload;
  std::vector<std::string> sets;
  std::string json;
  bool quiet = false;
  std::string trace;  // Chrome trace-event JSON, "" for none
  std::string traceDetail = "op";
  double traceSampleNs = 100000.0;
  double traceMaxMb = 100.0;
  std::string vcd;  // VCD of the utilisation counters, "" for none
};

int commandRun(const RunOptions& o) {
  std::vector<config::SetOverride> platformSets, workloadSets;
  for (const auto& s : o.sets) {
    config::SetOverride ov = config::parseSetOverride(s);
    (ov.scope == "platform" ? platformSets : workloadSets).push_back(std::move(ov));
  }
  const std::string platformFile = o.platform.empty() ? defaultFile("platforms") : o.platform;
  const std::string workloadFile = o.workload.empty() ? defaultFile("workloads") : o.workload;
  const PlatformSpec platform = loadPlatform(platformFile, platformSets);
  const LoadedWorkload workload = loadWorkload(workloadFile, workloadSets);
  if (!o.json.empty()) requireWritable(o.json, "--json");
  // CLI::Range lets NaN through (every comparison with it is false).
  if (!std::isfinite(o.traceSampleNs))
    throw ConfigError("--trace-sample-ns: expected a number of nanoseconds in [1, 1e9], got " +
                      std::to_string(o.traceSampleNs));
  if (!std::isfinite(o.traceMaxMb))
    throw ConfigError("--trace-max-mb: expected a number of MB in [0, 1e6], got " +
                      std::to_string(o.traceMaxMb));
  TraceRequest trace;
  trace.file = o.trace;
  if (!parseTraceDetail(o.traceDetail, trace.options.detail))
    throw ConfigError("--trace-detail: expected step, layer or op, got '" + o.traceDetail + "'");
  trace.options.sampleInterval = static_cast<Tick>(std::llround(o.traceSampleNs * 1000.0));
  trace.options.maxBytes = static_cast<std::uint64_t>(std::llround(o.traceMaxMb * 1e6));
  trace.vcdFile = o.vcd;
  const SimulationResult r = simulate(platform, workload, trace);
  if (!o.json.empty()) {
    std::ofstream out(o.json);
    if (!out) throw ConfigError("cannot write results JSON to '" + o.json + "'");
    out << resultToJson(r).dump(2) << "\n";
    if (!out) throw ConfigError("failed writing results JSON to '" + o.json + "'");
  }
  if (!o.quiet) printRunReport(std::cout, r);
  return kExitOk;
}

int commandValidate(const std::vector<std::string>& files) {
  for (const auto& f : files) validateFile(f, std::cout);
  return kExitOk;
}

std::string descriptionOf(const std::string& file) {
  try {
    const config::Node n = config::loadFile(file);
    if (const config::Node* d = n.get("description"); d && d->isScalar()) return d->text();
  } catch (const ConfigError& e) {
    return std::string("(invalid: ") + e.what() + ")";
  }
  return "";
}

int commandList(const std::string& what) {
  const std::vector<std::string> categories = {"memory", "packaging", "platforms", "workloads"};
  bool any = false;
  for (const auto& c : categories) {
    if (!what.empty() && what != c) continue;
    any = true;
    std::cout << c << ":\n";
    for (const auto& name : listPresets(c)) {
      if (name == "default") continue;
      const auto file = (std::filesystem::path(configRoot()) / c / (name + ".yaml")).string();
      std::cout << "  " << std::left << std::setw(28) << name << " " << descriptionOf(file) << "\n";
    }
  }
  if (what.empty() || what == "kinds") {
    any = true;
    std::cout << "instance kinds:\n";
    for (const auto& k : componentKinds())
      std::cout << "  " << std::left << std::setw(28) << k.name << " " << k.description << "\n";
    std::cout << "workload kinds:\n";
    for (const auto& k : workloadKinds())
      std::cout << "  " << std::left << std::setw(28) << k.name << " " << k.description << "\n";
  }
  if (!any)
    throw ConfigError("unknown list category '" + what +
                      "': expected memory, packaging, platforms, workloads or kinds");
  return kExitOk;
}

int dispatch(int argc, char* argv[]) {
  CLI::App app{"chipletsim: performance model of AI accelerator packages (SystemC/TLM-2.0)",
               "chipletsim"};
  app.set_version_flag("--version", std::string("chipletsim ") + CHIPLETSIM_VERSION);
  app.require_subcommand(1);

  RunOptions run;
  auto* runCmd = app.add_subcommand(
      "run", "Simulate a workload on a platform; report on stdout, results JSON with --json");
  runCmd->add_option("platform", run.platform,
                     "Platform YAML (default: configs/platforms/default.yaml)");
  runCmd->add_option("workload", run.workload,
                     "Workload YAML (default: configs/workloads/default.yaml)");
  runCmd
      ->add_option("--set", run.sets,
                   "Override a key: platform.KEY.PATH=VALUE or workload.KEY.PATH=VALUE")
      ->type_name("SCOPE.KEY=V")
      ->allow_extra_args(false);  // one value per --set, so files may follow
  runCmd->add_option("--json", run.json, "Write results JSON (schema chipletsim.result/1)");
  runCmd->add_flag("--quiet", run.quiet, "No report on stdout");
  auto* traceOpt = runCmd->add_option(
      "--trace", run.trace,
      "Write a timeline trace (Chrome trace-event JSON for Perfetto or chrome://tracing)");
  runCmd
      ->add_option("--trace-detail", run.traceDetail,
                   "Finest slices in the trace: step, layer or op (default op)")
      ->check(CLI::IsMember({"step", "layer", "op"}))
      ->needs(traceOpt);
  runCmd
      ->add_option("--trace-sample-ns", run.traceSampleNs,
                   "Interval of the trace's utilisation counters, ns (default 100000)")
      ->check(CLI::Range(1.0, 1e9));
  runCmd
      ->add_option("--trace-max-mb", run.traceMaxMb,
                   "Size budget of the trace, MB (default 100): counters are averaged over "
                   "wider windows until it fits; 0 for none")
      ->check(CLI::Range(0.0, 1e6))
      ->needs(traceOpt);
  runCmd->add_option("--vcd", run.vcd,
                     "Write the utilisation counters as a VCD waveform (sc_trace), sampled "
                     "every --trace-sample-ns");

  std::vector<std::string> validateFiles;
  auto* validateCmd = app.add_subcommand(
      "validate", "Check config files and print what follows from them (bandwidths, areas, ...)");
  validateCmd->add_option("files", validateFiles, "YAML files")->required();

  std::string listWhat;
  auto* listCmd = app.add_subcommand("list", "List shipped presets and registered kinds");
  listCmd->add_option("what", listWhat, "memory | packaging | platforms | workloads | kinds");

  SweepOptions sweep;
  std::string sweepFile, sweepBackend = "local", sweepPoints, emitSlurm, collectDir;
  int pointsPerTask = 0;  // 0: as many as keep the array within 1000 tasks
  auto* sweepCmd = app.add_subcommand(
      "sweep",
      "Run every point of a sweep file, each in its own process; write DIR/results.{csv,json} "
      "(exit 1 when some points failed, 130 when interrupted)");
  sweepCmd->add_option("sweep", sweepFile, "Sweep YAML");
  auto* jobsOpt = sweepCmd->add_option("--jobs,-j", sweep.jobs, "Points run at a time")
                      ->check(CLI::Range(1, 1024));
  auto* outOpt =
      sweepCmd->add_option("--out", sweep.outDir, "Output folder (default: sweep-<name>)");
  auto* resumeOpt =
      sweepCmd->add_flag("--resume", sweep.resume, "Skip points whose results are complete");
  auto* backendOpt =
      sweepCmd
          ->add_option("--backend", sweepBackend,
                       "local (--jobs processes here) or mpi (under mpirun -np N: rank 0 hands out "
                       "points to the other ranks)")
          ->check(CLI::IsMember({"local", "mpi"}));
  auto* pointsOpt =
      sweepCmd->add_option("--points", sweepPoints,
                           "Run only points FIRST-LAST (a slice: points/ files, no results table)");
  auto* emitOpt = sweepCmd->add_option(
      "--emit-slurm", emitSlurm,
      "Write a point manifest and a Slurm job-array script into DIR; run nothing");
  auto* perTaskOpt = sweepCmd
                         ->add_option("--points-per-task", pointsPerTask,
                                      "Points per Slurm array task (default: at most 1000 tasks)")
                         ->check(CLI::Range(1, 1000000000));
  auto* collectOpt =
      sweepCmd->add_option("--collect", collectDir,
                           "Merge DIR/points/ (slices, array tasks) into DIR/results.{csv,json}");
  // --emit-slurm and --collect run no point: options about running points are refused with
  // them, not ignored (--collect DIR --points 1-2 merged everything).
  for (auto* o : {pointsOpt, resumeOpt, jobsOpt, outOpt, backendOpt, collectOpt})
    emitOpt->excludes(o);
  for (auto* o : {pointsOpt, resumeOpt, jobsOpt, outOpt, backendOpt}) collectOpt->excludes(o);
  perTaskOpt->needs(emitOpt);

  CompareOptions compare;
  auto* compareCmd = app.add_subcommand(
      "compare",
      "Run a workload on each platform (one process each) and print the results side by side, "
      "the best of each line marked '*'");
  compareCmd->add_option(
      "workload", compare.workload,
      "Workload YAML, or a comparison file (default: configs/comparisons/default.yaml)");
  compareCmd->add_option("platforms", compare.platforms, "Platform YAML files");
  compareCmd->add_option("--jobs,-j", compare.jobs, "Platforms run at a time (default: cores)")
      ->check(CLI::Range(1, 1024));
  compareCmd
      ->add_option(
          "--set", compare.sets,
          "Override a key in every run: platform.KEY.PATH=VALUE or workload.KEY.PATH=VALUE")
      ->type_name("SCOPE.KEY=V")
      ->allow_extra_args(false);
  compareCmd->add_option("--out", compare.outDir, "Keep each run's results in this folder");

  std::string plotCsv, plotOut;
  auto* plotCmd = app.add_subcommand(
      "plot",
      "Plot a results.csv with gnuplot: throughput with its breakdown, and throughput "
      "against cost (or latency) with the Pareto front; PNG and SVG");
  plotCmd->add_option("results", plotCsv, "results.csv of a sweep or comparison")->required();
  plotCmd->add_option("--out", plotOut, "Output folder (default: the CSV's folder)");

  std::string known;
  bool isKnown = false;
  for (const auto* sub : app.get_subcommands({})) {
    known += (known.empty() ? "" : ", ") + sub->get_name();
    isKnown = isKnown || (argc > 1 && sub->get_name() == argv[1]);
  }
  if (argc > 1 && argv[1][0] != '-' && !isKnown) {
    throw ConfigError("unknown command '" + std::string(argv[1]) + "': expected one of " + known);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion&) {
    std::cout << "chipletsim " << CHIPLETSIM_VERSION << "\n";
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::cerr << "chipletsim: error: " << e.what() << " (see 'chipletsim --help')\n";
    return kExitBadInput;
  }
  // A file argument given as "" would otherwise fall back to the default file.
  for (const auto& [sub, name] : std::vector<std::pair<CLI::App*, const char*>>{
           {runCmd, "platform"}, {runCmd, "workload"}, {compareCmd, "workload"}}) {
    const CLI::Option* opt = sub->get_option(name);
    if (sub->parsed() && opt->count() > 0 && opt->as<std::string>().empty())
      throw ConfigError(sub->get_name() + ": the " + name +
                        " file name is empty: expected a YAML file (or leave it out for the "
                        "default)");
  }
  if (runCmd->parsed()) return commandRun(run);
  if (validateCmd->parsed()) return commandValidate(validateFiles);
  if (listCmd->parsed()) return commandList(listWhat);
  if (sweepCmd->parsed()) {
    if (!collectDir.empty()) return commandCollect(sweepFile, collectDir);
    if (sweepFile.empty()) throw ConfigError("sweep: expected a sweep file (or --collect DIR)");
    if (!emitSlurm.empty())
      return commandEmitSlurm(sweepFile, emitSlurm, static_cast<std::size_t>(pointsPerTask));
    if (pointsOpt->count() > 0) parsePointRange(sweepPoints, sweep);  // "" is no range
    if (sweepBackend == "mpi") {
      if (sweep.isSlice())
        throw ConfigError("--points runs a slice here; it cannot go with --backend mpi");
      sweep.backend = SweepBackend::kMpi;
#ifdef CHIPLETSIM_MPI_BACKEND
      return commandSweepMpi(sweepFile, sweep);  // this is chipletsim-mpi
#else
      execMpiBackend();
#endif
    }
    return commandSweep(sweepFile, sweep);
  }
  if (compareCmd->parsed()) return commandCompare(compare);
  if (plotCmd->parsed()) return commandPlot(plotCsv, plotOut);
  throw InternalError("no subcommand dispatched");
}

}  // namespace
}  // namespace chipletsim

int sc_main(int argc, char* argv[]) {
  using namespace chipletsim;
  return runGuarded(
      [&] {
        installReportHandler();
        return dispatch(argc, argv);
      },
      std::cerr);
}

// libsystemc's own main() prints the kernel's banner before sc_main runs; ours silences it
// and then enters the kernel the same way.
int main(int argc, char* argv[]) {
  ::setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
