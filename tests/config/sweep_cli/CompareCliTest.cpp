// `chipletsim compare` end to end: each platform runs in its own process and the table puts
// them side by side with the best of each line marked; a broken platform fails alone.
#include <gtest/gtest.h>

#include <sstream>

#include "../cli/Cli.h"
#include "../loader/TestYaml.h"

using chipletsim::testing::configDir;
using chipletsim::testing::runCli;
using chipletsim::testing::TempDir;

namespace {

// The table line that starts with `label`, split on runs of spaces.
std::vector<std::string> tableLine(const std::string& out, const std::string& label) {
  std::istringstream in(out);
  for (std::string l; std::getline(in, l);) {
    if (l.rfind(label + " ", 0) != 0) continue;
    std::vector<std::string> words;
    std::istringstream ws(l.substr(label.size()));
    for (std::string w; ws >> w;) words.push_back(w);
    return words;
  }
  ADD_FAILURE() << "no line '" << label << "' in\n" << out;
  return {};
}

std::string bench(const std::string& name) {
  return "'" + configDir() + "/platforms/bench/" + name + ".yaml'";
}

const char* kSmallCopy = "--set 'workload.total_bytes=256 KiB'";

}  // namespace

// HBM4 has 2.5x HBM3's peak (2048-bit at 8 Gb/s against 1024-bit at 6.4 Gb/s): with 256
// requests in flight its achieved bandwidth is the best and the table marks it.
TEST(CompareCli, WiderFasterHbmGenerationIsMarkedBestInAchievedBandwidth) {
  const auto r = runCli("compare '" + configDir() + "/workloads/traffic/copy.yaml' " + kSmallCopy +
                        " " + bench("hbm-hbm3") + " " + bench("hbm-hbm4"));
  ASSERT_EQ(r.status, 0) << r.err;
  const auto achieved = tableLine(r.out, "achieved");
  // "468.6 GB/s 911.8 GB/s *": value, unit, value, unit, mark.
  ASSERT_EQ(achieved.size(), 5u) << r.out;
  EXPECT_EQ(achieved.back(), "*") << r.out;
  const auto peak = tableLine(r.out, "peak");
  EXPECT_EQ(std::count(peak.begin(), peak.end(), "*"), 0) << "peak is not a figure of merit";
  EXPECT_NE(r.out.find("hbm-hbm3"), std::string::npos);
  EXPECT_NE(r.err.find("compare: 2/2 done"), std::string::npos) << r.err;
}

TEST(CompareCli, BrokenPlatformFailsAloneWithItsError) {
  TempDir dir;
  const auto broken = dir.write("broken.yaml",
                                "name: broken\n"
                                "instances:\n"
                                "  hbm0: { kind: hbm_stack, preset: hbm3, fidelty: bank }\n"
                                "traffic_ports: [hbm0.in]\n");
  const auto r = runCli("compare '" + configDir() + "/workloads/traffic/copy.yaml' " + kSmallCopy +
                        " " + bench("hbm-hbm3") + " '" + broken + "'");
  EXPECT_EQ(r.status, 1) << r.err;
  const auto achieved = tableLine(r.out, "achieved");
  ASSERT_EQ(achieved.size(), 3u) << r.out;  // value, unit, "failed"
  EXPECT_EQ(achieved.back(), "failed");
  EXPECT_NE(r.out.find("broken failed:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fidelty"), std::string::npos) << r.out;
}

TEST(CompareCli, MissingPlatformFileIsBadInput) {
  const auto r =
      runCli("compare '" + configDir() + "/workloads/traffic/copy.yaml' /nonexistent.yaml");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("/nonexistent.yaml"), std::string::npos) << r.err;
}

TEST(CompareCli, AWorkloadThatLoadsWithNoPlatformIsBadInput) {
  // Files given the wrong way round: every run would fail with the same error.
  const auto r =
      runCli("compare " + bench("hbm-hbm3") + " '" + configDir() + "/workloads/traffic/copy.yaml'");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("compare: error: no platform loads; the first, 'copy':"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("missing required key 'instances'"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}
