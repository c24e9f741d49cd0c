// Golden-result regression: each tests/regression/golden/<case>.json names a platform, a
// workload and --set overrides, and the metrics the run must reproduce, each with its own
// relative tolerance. The goldens are regression anchors (what the model gave when they
// were recorded), not physics: the physics lives in the unit and SystemC tests. Record
// anew with CHIPLETSIM_UPDATE_GOLDEN=1 after an intended change, and say why in the commit.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../config/cli/Cli.h"

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using chipletsim::testing::runCli;

namespace {

fs::path goldenDir() {
  return fs::path(CHIPLETSIM_SOURCE_DIR) / "tests" / "regression" / "golden";
}

std::vector<std::string> cases() {
  std::vector<std::string> out;
  if (fs::is_directory(goldenDir()))
    for (const auto& e : fs::directory_iterator(goldenDir()))
      if (e.path().extension() == ".json") out.push_back(e.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

Json readJson(const fs::path& p) {
  std::ifstream in(p);
  return Json::parse(in);
}

// "metrics.latency_ns.mean" -> the value, or null.
const Json* at(const Json& j, const std::string& dotted) {
  const Json* cur = &j;
  std::size_t start = 0;
  while (start <= dotted.size()) {
    const auto dot = std::min(dotted.find('.', start), dotted.size());
    const std::string key = dotted.substr(start, dot - start);
    if (!cur->is_object() || !cur->contains(key)) return nullptr;
    cur = &(*cur)[key];
    start = dot + 1;
  }
  return cur;
}

std::string commandFor(const Json& golden, const std::string& jsonOut) {
  const std::string src = CHIPLETSIM_SOURCE_DIR;
  std::string cmd = "run --quiet " + src + "/" + golden["platform"].get<std::string>() + " " + src +
                    "/" + golden["workload"].get<std::string>() + " --json " + jsonOut;
  if (golden.contains("set"))
    for (const auto& s : golden["set"]) cmd += " --set '" + s.get<std::string>() + "'";
  return cmd;
}

}  // namespace

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, MetricsMatchWithinTheirTolerance) {
  const fs::path file = goldenDir() / (GetParam() + ".json");
  Json golden = readJson(file);
  const std::string out = (fs::temp_directory_path() /
                           ("golden-" + GetParam() + "-" + std::to_string(::getpid()) + ".json"))
                              .string();
  const auto r = runCli(commandFor(golden, out));
  ASSERT_EQ(r.status, 0) << r.err;
  const Json result = readJson(out);
  fs::remove(out);
  const bool update = std::getenv("CHIPLETSIM_UPDATE_GOLDEN") != nullptr;
  for (auto& [key, want] : golden["expect"].items()) {
    const Json* got = at(result, key);
    ASSERT_NE(got, nullptr) << key << " missing from the results";
    ASSERT_TRUE(got->is_number()) << key;
    if (update) {
      want["value"] = got->get<double>();
      continue;
    }
    const double expected = want["value"].get<double>();
    const double tol = want["rel_tol"].get<double>();
    EXPECT_NEAR(got->get<double>(), expected, std::fabs(expected) * tol + 1e-300)
        << key << " (relative tolerance " << tol << ")";
  }
  if (update) std::ofstream(file) << golden.dump(2) << "\n";
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                           std::string n = i.param;
                           std::replace_if(
                               n.begin(), n.end(), [](char c) { return !std::isalnum(c); }, '_');
                           return n;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Golden);

TEST(Determinism, SameInputsGiveByteIdenticalResultsApartFromWallTime) {
  const std::string a =
      (fs::temp_directory_path() / ("det-a-" + std::to_string(::getpid()) + ".json")).string();
  const std::string b =
      (fs::temp_directory_path() / ("det-b-" + std::to_string(::getpid()) + ".json")).string();
  ASSERT_EQ(runCli("run --quiet --json " + a).status, 0);
  ASSERT_EQ(runCli("run --quiet --json " + b).status, 0);
  Json ja = readJson(a), jb = readJson(b);
  fs::remove(a);
  fs::remove(b);
  ja["sim"].erase("wall_s");
  jb["sim"].erase("wall_s");
  EXPECT_EQ(ja.dump(), jb.dump());
}
