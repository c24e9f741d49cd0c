// Energy accounting of a training run: the step energy is the sum of the components that
// have an energy figure, a network's energy is its bytes sent x energy_per_bit, and a
// component without a figure (the NoC; a network without energy_per_bit) is left out of
// the breakdown and named in the platform summary instead of adding a silent 0 J.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "../loader/TestYaml.h"
#include "Cli.h"

namespace chipletsim {
namespace {

using testing::configDir;
using testing::runCli;
using testing::slurp;
using testing::TempDir;

// TinyLlama data-parallel over 16 h100-like packages: the gradient all-reduce crosses
// the scale-out network (`ib`); 2.8 s.
const std::string kRun = "run '" + configDir() + "/platforms/h100-like.yaml' '" + configDir() +
                         "/workloads/tiny-llama.yaml' --set workload.parallel.dp=16 --set "
                         "workload.parallel.packages=16 --set workload.batch.global_batch=64";

nlohmann::json runJson(const TempDir& dir, const std::string& extra) {
  const std::string out = dir.path() + "/r.json";
  const auto r = runCli(kRun + " " + extra + " --quiet --json '" + out + "'");
  EXPECT_EQ(r.status, 0) << r.err;
  return nlohmann::json::parse(slurp(out), nullptr, false);
}

double sumOf(const nlohmann::json& components) {
  double s = 0.0;
  for (const auto& [kind, joules] : components.items()) s += joules.get<double>();
  return s;
}

}  // namespace

TEST(EnergyAccounting, ComponentsWithoutAnEnergyFigureAreLeftOutNotCountedAsZero) {
  TempDir dir;
  const auto j = runJson(dir, "");
  ASSERT_FALSE(j.is_discarded());
  const auto& parts = j["metrics"]["energy_j_by_component"];
  EXPECT_FALSE(parts.contains("noc"));
  EXPECT_FALSE(parts.contains("network"));
  EXPECT_TRUE(parts.contains("compute"));
  EXPECT_TRUE(parts.contains("hbm"));
  EXPECT_NEAR(j["metrics"]["energy_j_per_step"].get<double>(), sumOf(parts), 1e-12 * sumOf(parts));
  ASSERT_GT(j["stats"]["ib"]["bytes_sent"]["value"].get<double>(), 0.0)
      << "the run must use the network for this check to mean anything";
  const auto text = runCli(kRun);
  EXPECT_NE(text.out.find("energy_per_bit                    not set"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("not modelled: its energy is not counted"), std::string::npos);
}

TEST(EnergyAccounting, TextReportSaysTheStepEnergyIsOnePackagesAndTheThroughputTheSystems) {
  // 16 packages: energy_j_per_step is one package's, tokens_per_s all sixteen's; the text
  // report must say so beside the values (the JSON carries the same descriptions).
  const auto text = runCli(kRun);
  ASSERT_EQ(text.status, 0) << text.err;
  const auto line = [&](const std::string& name) {
    const auto at = text.out.find("  " + name + " ");
    return at == std::string::npos ? std::string()
                                   : text.out.substr(at, text.out.find('\n', at) - at);
  };
  EXPECT_NE(line("energy_j_per_step").find("(this package; not counted: noc0"), std::string::npos)
      << text.out;
  EXPECT_NE(line("tokens_per_s").find("(whole system)"), std::string::npos) << text.out;
}

TEST(EnergyAccounting, NetworkEnergyIsBytesSentTimesEnergyPerBit) {
  TempDir dir;
  const auto without = runJson(dir, "");
  const auto with = runJson(dir, "--set 'platform.instances.ib.energy_per_bit=10 pJ/bit'");
  ASSERT_FALSE(without.is_discarded());
  ASSERT_FALSE(with.is_discarded());
  const double bytes = with["stats"]["ib"]["bytes_sent"]["value"].get<double>();
  ASSERT_GT(bytes, 0.0);
  const double expected = bytes * 8.0 * 10e-12;
  // Relative 1e-9: the same sums in floating point, nothing modelled differently.
  EXPECT_NEAR(with["metrics"]["energy_j_by_component"]["network"].get<double>(), expected,
              1e-9 * expected);
  EXPECT_NEAR(with["metrics"]["energy_j_per_step"].get<double>() -
                  without["metrics"]["energy_j_per_step"].get<double>(),
              expected, 1e-9 * expected + 1e-9);
}

}  // namespace chipletsim
