// `chipletsim plot`: the Pareto front and CSV reading it rests on, and PNG + SVG files from a
// real sweep's results.csv.
#include <gtest/gtest.h>

#include <filesystem>

#include "../cli/Cli.h"
#include "../loader/TestYaml.h"
#include "Plot.h"
#include "SweepFixtures.h"

using namespace chipletsim;
using chipletsim::testing::configDir;
using chipletsim::testing::hbmSweepHead;
using chipletsim::testing::runCli;
using chipletsim::testing::slurp;
using chipletsim::testing::TempDir;

TEST(ParetoFront, KeepsOnlyPointsNoOtherIsBothCheaperAndFaster) {
  // (cost, throughput): 1 is dominated by 0 (cheaper and faster), 3 by 2 (same cost, slower).
  const std::vector<ParetoPoint> p = {{100, 50}, {120, 40}, {200, 90}, {200, 80}, {300, 95}};
  EXPECT_EQ(paretoFront(p), (std::vector<std::size_t>{0, 2, 4}));
}

TEST(ParetoFront, EqualPointsAreBothOnTheFrontInCostOrder) {
  const std::vector<ParetoPoint> p = {{300, 95}, {100, 50}, {100, 50}};
  EXPECT_EQ(paretoFront(p), (std::vector<std::size_t>{1, 2, 0}));
}

TEST(ResultsCsv, QuotedFieldsKeepCommasQuotesAndNewlines) {
  const CsvTable t = parseCsv("index,name,error\n0,\"a,b\",\"say \"\"hi\"\"\nthen\"\n");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0][1], "a,b");
  EXPECT_EQ(t.rows[0][2], "say \"hi\"\nthen");
  EXPECT_EQ(t.column("error"), 2);
}

TEST(PlotCli, SweepResultsGivePngAndSvgOfThroughputAndParetoFront) {
  TempDir dir;
  const auto sweep = dir.write(
      "s.yaml", hbmSweepHead("gens") +
                    "axes:\n"
                    "  - {key: platform.instances.hbm0.preset, values: [hbm2e, hbm3, hbm4]}\n"
                    "  - {key: workload.total_bytes, values: [\"256 KiB\"]}\n");
  ASSERT_EQ(runCli("sweep '" + sweep + "' --out '" + dir.path() + "/out'").status, 0);
  const auto r =
      runCli("plot '" + dir.path() + "/out/results.csv' --out '" + dir.path() + "/plots'");
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* f : {"throughput.png", "pareto.png"}) {
    const std::string png = slurp(dir.path() + "/plots/" + f);
    ASSERT_GT(png.size(), 1000u) << f;
    EXPECT_EQ(png.substr(1, 3), "PNG") << f;
  }
  for (const char* f : {"throughput.svg", "pareto.svg"}) {
    const std::string svg = slurp(dir.path() + "/plots/" + f);
    EXPECT_NE(svg.find("<svg"), std::string::npos) << f;
    EXPECT_NE(svg.find("hbm4"), std::string::npos) << f << " lacks the variant labels";
  }
}

TEST(PlotCli, CsvWithoutThroughputIsBadInput) {
  TempDir dir;
  const auto csv = dir.write("r.csv", "index,name,status,error\n0,a,ok,\n");
  const auto r = runCli("plot '" + csv + "'");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("nothing to plot"), std::string::npos) << r.err;
}
