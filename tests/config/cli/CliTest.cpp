// Bad input through the real command line: one clear message, exit status 2, never a crash.
#include <gtest/gtest.h>

#include "../loader/TestYaml.h"
#include "Cli.h"

using chipletsim::testing::runCli;
using chipletsim::testing::TempDir;

namespace {
void expectBadInput(const chipletsim::testing::CliResult& r, const std::string& needle) {
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
  // One message: a single line on stderr.
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'),
            needle.find('\n') == std::string::npos ? 1 : 2)
      << r.err;
}
}  // namespace

TEST(Cli, VersionAndHelpExitZero) {
  auto r = runCli("--version");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("chipletsim "), std::string::npos);
  for (const char* sub : {"", "run ", "validate ", "list "}) {
    r = runCli(std::string(sub) + "--help");
    EXPECT_EQ(r.status, 0) << sub;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << sub;
  }
}

TEST(Cli, UnknownFlagIsBadInput) {
  const auto r = runCli("run --frobnicate");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--frobnicate"), std::string::npos) << r.err;
}

TEST(Cli, UnknownSubcommandIsBadInput) {
  const auto r = runCli("simulate");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("simulate"), std::string::npos) << r.err;
}

TEST(Cli, MissingFileIsBadInput) {
  expectBadInput(runCli("validate /nonexistent.yaml"),
                 "/nonexistent.yaml: error: cannot read file");
}

TEST(Cli, DirectoryGivenAsFileIsBadInput) {
  TempDir d;
  expectBadInput(runCli("validate " + d.path()), "is a directory");
}

TEST(Cli, EmptyFileIsBadInput) {
  TempDir d;
  expectBadInput(runCli("validate " + d.write("e.yaml", "")), "empty file");
}

TEST(Cli, BinaryFileIsBadInput) {
  TempDir d;
  expectBadInput(runCli("validate " + d.write("b.yaml", std::string("\x00\x01\x02\xff", 4))),
                 "binary");
}

TEST(Cli, SyntaxErrorIsBadInputWithLineAndColumn) {
  TempDir d;
  const auto f = d.write("s.yaml", "name: x\ninstances: {a: [1, 2}\n");
  expectBadInput(runCli("validate " + f), f + ":2:");
}

TEST(Cli, AliasBombIsBadInputAndDoesNotHang) {
  TempDir d;
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; ++c) {
    text += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) text += std::string(i ? ", " : "") + "*" + prev;
    text += "]\n";
    prev = c;
  }
  expectBadInput(runCli("validate " + d.write("bomb.yaml", text)), "alias bomb");
}

TEST(Cli, UnrecognisableFileIsBadInput) {
  TempDir d;
  expectBadInput(runCli("validate " + d.write("x.yaml", "foo: 1\n")),
                 "cannot tell what this file is");
}

TEST(Cli, UnknownInstanceKindIsBadInputWithDidYouMean) {
  TempDir d;
  const auto f = d.write("p.yaml", "name: p\ninstances:\n  m: {kind: hbm_stak}\n");
  const auto r = runCli("validate " + f);
  expectBadInput(r, f + ":3:13: error: key 'instances.m.kind': unknown instance kind 'hbm_stak'");
}

TEST(Cli, UnknownWorkloadKindIsBadInput) {
  TempDir d;
  const auto f = d.write("w.yaml", "kind: trainign\n");
  expectBadInput(runCli("validate " + f), "unknown workload kind 'trainign'");
}

TEST(Cli, MissingRequiredPlatformKeyIsBadInput) {
  TempDir d;
  const auto f = d.write("p.yaml", "instances: {}\n");
  expectBadInput(runCli("validate " + f), "missing required key 'name'");
}

TEST(Cli, BadSetPathIsBadInput) {
  expectBadInput(runCli("run --set 'plat.x=1'"), "--set plat.x=1");
  expectBadInput(runCli("run --set 'platform.x'"), "expected SCOPE.KEY.PATH=VALUE");
}

TEST(Cli, BadSetValueIsBadInput) {
  expectBadInput(runCli("run --set 'workload.x=[1, 2'"), "YAML syntax error");
}

TEST(Cli, UnknownListCategoryIsBadInput) {
  expectBadInput(runCli("list widgets"), "unknown list category 'widgets'");
}

// Inside a real platform: the kinds' decoders are strict too.
namespace {
const char* kHbmPlatform =
    "name: p\n"
    "instances:\n"
    "  hbm0: {kind: hbm_stack, preset: hbm3}\n"
    "traffic_ports: [hbm0.in]\n";
}  // namespace

TEST(Cli, DanglingConnectionReferenceIsBadInputWithDidYouMean) {
  TempDir d;
  const auto f = d.write(
      "p.yaml", std::string(kHbmPlatform) + "connections:\n  - {from: gen.out, to: hbm1.in}\n");
  const auto r = runCli("validate " + f);
  expectBadInput(r, "unknown instance 'gen'");
}

TEST(Cli, DanglingTrafficPortIsBadInputWithDidYouMean) {
  TempDir d;
  const auto f = d.write("p.yaml",
                         "name: p\ninstances:\n  hbm0: {kind: hbm_stack, preset: hbm3}\n"
                         "traffic_ports: [hbm1.in]\n");
  expectBadInput(
      runCli("validate " + f),
      f + ":4:17: error: key 'traffic_ports[0]': unknown instance 'hbm1' (did you mean 'hbm0'?)");
}

TEST(Cli, PresetThatDoesNotExistIsBadInputListingTheShippedOnes) {
  TempDir d;
  const auto f =
      d.write("p.yaml", "name: p\ninstances:\n  hbm0: {kind: hbm_stack, preset: hbm5}\n");
  const auto r = runCli("validate " + f);
  expectBadInput(r, "no memory preset 'hbm5'");
  EXPECT_NE(r.err.find("hbm3"), std::string::npos) << r.err;
}

TEST(Cli, UnknownKeyInsideAnInstanceIsBadInputWithDidYouMean) {
  TempDir d;
  const auto f = d.write(
      "p.yaml", "name: p\ninstances:\n  hbm0: {kind: hbm_stack, preset: hbm3, fidelty: fast}\n");
  const auto r = runCli("validate " + f);
  expectBadInput(r, "unknown key 'fidelty'");
  EXPECT_NE(r.err.find("did you mean 'fidelity'"), std::string::npos) << r.err;
}

TEST(Cli, SetOverrideIsValidatedLikeTheFile) {
  const std::string plat = chipletsim::testing::configDir() + "/platforms/bench/hbm-hbm3.yaml";
  const std::string work = chipletsim::testing::configDir() + "/workloads/traffic/stream-read.yaml";
  auto r = runCli("run " + plat + " " + work + " --set 'workload.outstandin=4'");
  expectBadInput(r, "--set workload.outstandin=4");
  EXPECT_NE(r.err.find("did you mean 'outstanding'"), std::string::npos) << r.err;
  r = runCli("run " + plat + " " + work + " --set 'workload.request_size=64'");
  expectBadInput(r, "missing unit");
  r = runCli("run " + plat + " " + work + " --set 'workload.outstanding=0'");
  expectBadInput(r, "value out of range");
}

TEST(Cli, RunWritesResultsJsonWithTheSchema) {
  TempDir d;
  const std::string plat = chipletsim::testing::configDir() + "/platforms/bench/hbm-hbm3.yaml";
  const std::string work = chipletsim::testing::configDir() + "/workloads/traffic/stream-read.yaml";
  const std::string out = d.path() + "/r.json";
  const auto r = runCli("run --quiet " + plat + " " + work +
                        " --set 'platform.instances.hbm0.fidelity=fast' --json " + out);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  const std::string json = chipletsim::testing::slurp(out);
  for (const char* key :
       {"\"schema\": \"chipletsim.result/1\"", "\"platform\"", "\"workload\"", "\"metrics\"",
        "\"stats\"", "\"sim\"", "\"wall_s\"", "\"fidelity\"", "\"hbm0\": \"fast\""})
    EXPECT_NE(json.find(key), std::string::npos) << key;
}

TEST(Cli, HbmOnAPackageThatCannotCarryItIsBadInput) {
  TempDir d;
  const auto f = d.write("p.yaml", std::string(kHbmPlatform) + "packaging: organic-substrate\n");
  expectBadInput(
      runCli("validate " + f),
      f + ":5:12: error: key 'packaging': packaging 'organic-substrate' cannot carry HBM");
}

TEST(Cli, MoreHbmStacksThanSitesIsBadInput) {
  TempDir d;
  std::string text = "name: p\ninstances:\n";
  for (int i = 0; i < 9; ++i)
    text += "  hbm" + std::to_string(i) + ": {kind: hbm_stack, preset: hbm3}\n";
  const auto f = d.write("p.yaml", text + "packaging: cowos-s\n");
  expectBadInput(runCli("validate " + f), "9 HBM stacks exceed the");
}

TEST(Cli, PackageSummaryShowsTheTechnologyAndItsLimits) {
  TempDir d;
  const auto f = d.write("p.yaml", std::string(kHbmPlatform) + "packaging: cowos-s\n");
  const auto r = runCli("validate " + f);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("package (package)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("max_hbm_sites"), std::string::npos) << r.out;
}

TEST(Cli, ProcessNodeThatDoesNotExistIsBadInput) {
  const std::string plat = chipletsim::testing::configDir() + "/platforms/h100-like.yaml";
  const std::string work = chipletsim::testing::configDir() + "/workloads/tiny-llama.yaml";
  expectBadInput(runCli("run --set 'platform.instances.die0.process_node=n2' " + plat + " " + work),
                 "key 'instances.die0.process_node': no process preset 'n2'");
}

TEST(Cli, AResultOfACostedPlatformCarriesPackageCostAndPerDollarThroughput) {
  TempDir d;
  const std::string out = d.path() + "/r.json";
  const auto r = runCli("run --quiet --json " + out);  // the default: h100-like, tiny-llama
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string json = chipletsim::testing::slurp(out);
  for (const char* key : {"\"package_usd\"", "\"tokens_per_s_per_usd\"",
                          "\"packages_per_interposer_wafer\"", "\"packaging\": \"cowos-s\""})
    EXPECT_NE(json.find(key), std::string::npos) << key;
}

TEST(Cli, ParallelismThatDoesNotMatchThePackagesIsBadInputAtTheParallelSection) {
  // tiny-llama.yaml: the `parallel:` map's entries start at line 31; packages 1 against dp 16.
  const std::string c = chipletsim::testing::configDir();
  const auto r = runCli("run '" + c + "/platforms/h100-like.yaml' '" + c +
                        "/workloads/tiny-llama.yaml' --set workload.parallel.dp=16");
  expectBadInput(r, "packages (1) must equal tp x cp x pp x dp (16)");
  EXPECT_NE(r.err.find("tiny-llama.yaml:31:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("key 'parallel'"), std::string::npos) << r.err;
}

TEST(Cli, AModelRuleIsBadInputAtTheModelSection) {
  const std::string c = chipletsim::testing::configDir();
  const auto r = runCli("run '" + c + "/platforms/h100-like.yaml' '" + c +
                        "/workloads/tiny-llama.yaml' --set workload.model.heads=31");
  expectBadInput(r, "hidden must be a multiple of heads");
  EXPECT_NE(r.err.find("key 'model'"), std::string::npos) << r.err;
}

TEST(Cli, EmptyFileArgumentIsBadInputNotTheDefaultFile) {
  // `run "" ""` and `compare ""` ran the default configs as if nothing had been given.
  expectBadInput(runCli("run '' ''"), "run: the platform file name is empty");
  expectBadInput(
      runCli("run '" + chipletsim::testing::configDir() + "/platforms/h100-like.yaml' '' --quiet"),
      "run: the workload file name is empty");
  expectBadInput(runCli("compare ''"), "compare: the workload file name is empty");
}

TEST(Cli, NotANumberTraceOptionIsBadInput) {
  // CLI11's Range check lets NaN through; llround(NaN) ticks would be undefined.
  TempDir d;
  const std::string trace = " --quiet --trace " + d.path() + "/t.json";
  expectBadInput(runCli("run --trace-sample-ns nan" + trace), "--trace-sample-ns: expected");
  expectBadInput(runCli("run --trace-max-mb nan" + trace), "--trace-max-mb: expected");
}

TEST(Cli, PointsPerTaskOutsideOneToABillionIsBadInputNotWrapped) {
  // -1 was read into a size_t as 2^64-1: a manifest of "0 array tasks".
  TempDir d;
  const std::string sweep = chipletsim::testing::configDir() + "/sweeps/hbm-stacks.yaml";
  for (const char* n : {"0", "-1", "99999999999999999999"}) {
    const auto r =
        runCli("sweep '" + sweep + "' --emit-slurm " + d.path() + "/es --points-per-task " + n);
    expectBadInput(r, "--points-per-task");
    EXPECT_FALSE(std::filesystem::exists(d.path() + "/es/manifest.tsv")) << n;
  }
}

TEST(Cli, HostBuffersBeyondWhatAProcessCanHoldAreBadInputNotBadAlloc) {
  // A 1 TB DMA chunk and 10^8 requests in flight each ended in std::bad_alloc (exit 3).
  const std::string cfg = chipletsim::testing::configDir();
  expectBadInput(runCli("run '" + cfg + "/platforms/h100-like.yaml' '" + cfg +
                        "/workloads/tiny-llama.yaml' --quiet --set "
                        "'platform.instances.die0.dma_chunk=1 TB'"),
                 "key 'instances.die0.dma_chunk': value out of range: expected a value between "
                 "64 and 4294967296");
  const std::string hbm = "run '" + cfg + "/platforms/bench/hbm-hbm3.yaml' '" + cfg +
                          "/workloads/traffic/stream-read.yaml' --quiet --set ";
  expectBadInput(runCli(hbm + "workload.outstanding=100000000"),
                 "key 'outstanding': value out of range: expected at most 1048576 requests");
}

TEST(Cli, TrafficSpanShorterThanOneRequestIsBadInputAtTheSpan) {
  // Was reported at the platform's traffic port ("target is smaller than one request").
  const std::string cfg = chipletsim::testing::configDir();
  expectBadInput(runCli("run '" + cfg + "/platforms/bench/hbm-hbm3.yaml' '" + cfg +
                        "/workloads/traffic/stream-read.yaml' --quiet --set 'workload.span=1 KiB'"),
                 "key 'span': expected a span of at least one request (4096 B)");
}

TEST(Cli, ValidateChecksTheNetlistLikeRun) {
  // validate said OK to ports that do not exist; only run, which elaborates, refused them.
  TempDir d;
  const auto f = d.write("p.yaml",
                         "name: t\ninstances:\n"
                         "  hbm0: { kind: hbm_stack, preset: hbm3, fidelity: fast }\n"
                         "  hbm1: { kind: hbm_stack, preset: hbm3, fidelity: fast }\n"
                         "connections:\n  - { from: hbm0.in, to: hbm1.in }\n");
  expectBadInput(runCli("validate " + f),
                 f + ":6:13: error: key 'connections[0].from': instance 'hbm0' has no initiator "
                     "port 'in'");
  // Several platforms in one process: each elaborates under its own name, silently.
  const std::string cfg = chipletsim::testing::configDir() + "/platforms/";
  const auto r = runCli("validate " + cfg + "h100-like.yaml " + cfg + "b200-like.yaml " + cfg +
                        "h100-like.yaml");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
}

TEST(Cli, ParallelDegreesWhoseProductOverflowsAnIntAreBadInputNotWrapped) {
  // Without `packages:` its default, tp x cp x pp x dp, was an int product: 65536 x 65536
  // wrapped to 0 (undefined behaviour) before any check saw it.
  TempDir d;
  std::string text =
      chipletsim::testing::slurp(chipletsim::testing::configDir() + "/workloads/tiny-llama.yaml");
  text.replace(text.find("  packages: 1\n"), 14, "");
  const auto w = d.write("w.yaml", text);
  const auto r =
      runCli("run '" + chipletsim::testing::configDir() + "/platforms/h100-like.yaml' " + w +
             " --quiet --set workload.parallel.dp=65536 --set workload.parallel.pp=65536");
  expectBadInput(r,
                 "key 'parallel': tp x cp x pp x dp is 4294967296 packages: expected at most "
                 "2147483647");
  EXPECT_NE(r.err.find("w.yaml:31:"), std::string::npos) << r.err;
}

TEST(Cli, NocTrafficCyclesBeyondSixtyFourBitTimeAreBadInputNotWrapped) {
  // 2^64-1 measure cycles wrapped the driver's cycle arithmetic and "finished" at once, exit 0.
  const std::string cfg = chipletsim::testing::configDir();
  expectBadInput(runCli("run '" + cfg + "/platforms/bench/mesh-4x4.yaml' '" + cfg +
                        "/workloads/traffic/uniform-random.yaml' --quiet --set "
                        "workload.measure_cycles=18446744073709551615"),
                 "warmup_cycles + measure_cycles + drain_cycles (1.84467e+19 cycles) of noc "
                 "'noc' last 9.22337e+09 s: expected at most 9.2e6 s");
}

TEST(Cli, AWorkloadThePlatformCannotRunIsReportedAtThePlatformFileAndKey) {
  // These named the platform but no file or key ("error: workload training: platform ...").
  const std::string cfg = chipletsim::testing::configDir();
  expectBadInput(runCli("run '" + cfg + "/platforms/bench/hbm-hbm3.yaml' '" + cfg +
                        "/workloads/tiny-llama.yaml' --quiet"),
                 cfg +
                     "/platforms/bench/hbm-hbm3.yaml: error: key 'instances': workload "
                     "training: platform 'hbm-hbm3' has no compute_chiplet instance");
  expectBadInput(runCli("run '" + cfg + "/platforms/h100-like.yaml' '" + cfg +
                        "/workloads/traffic/stream-read.yaml' --quiet"),
                 cfg +
                     "/platforms/h100-like.yaml: error: key 'traffic_ports': platform "
                     "'h100-like' lists no traffic_ports");
}

TEST(Cli, AnUnwritableJsonPathIsBadInputBeforeTheRunNotAfterIt) {
  // The results JSON was opened after the simulation: a run of hours ended in "cannot write".
  TempDir d;
  const auto r = runCli("run --quiet --json " + d.path() + "/missing/r.json");
  expectBadInput(r, "--json " + d.path() +
                        "/missing/r.json: cannot write the file there: folder '" + d.path() +
                        "/missing' does not exist");
  expectBadInput(runCli("run --quiet --json " + d.path()),
                 "cannot write the file there: it is a folder");
}

TEST(Cli, AHugeValueIsElidedInTheMessageNotEchoedWhole) {
  // A 100000-character preset name made a 100 KB error line.
  TempDir d;
  const auto f = d.write("p.yaml", "name: t\ninstances:\n  hbm0: {kind: hbm_stack, preset: " +
                                       std::string(100000, 'x') + "}\ntraffic_ports: [hbm0.in]\n");
  const auto r = runCli("validate " + f);
  expectBadInput(r, "no memory preset '" + std::string(60, 'x') + "... (100000 characters)'");
  EXPECT_LT(r.err.size(), 1000u);
}

TEST(Cli, ADieToDieShorelineOfAKilometreIsBadInputAtTheDiesNotAnOverflow) {
  // 1e300 mm of edge overflowed the module count's int cast and was reported as "less than
  // one module"; the modules now saturate and the die they would need is too large.
  const std::string cfg = chipletsim::testing::configDir();
  const auto r = runCli("run '" + cfg + "/platforms/partition-4die-cowos-s.yaml' '" + cfg +
                        "/workloads/tiny-llama.yaml' --quiet --set "
                        "'platform.partition.d2d.shoreline=1e300 mm'");
  expectBadInput(r, "key 'partition.dies': a die of ");
  EXPECT_NE(r.err.find("exceeds the reticle"), std::string::npos) << r.err;
}
