// The sweep results table without running anything: rows in point order, known metric
// columns in their fixed order, the bottleneck, derived columns, failed rows, CSV quoting.
#include <gtest/gtest.h>

#include "SweepTable.h"

using namespace chipletsim;

namespace {

SweepSpec twoPoints() {
  SweepSpec s;
  s.name = "t";
  for (const char* n : {"a", "b"}) {
    SweepPoint p;
    p.name = n;
    p.platformFile = "p.yaml";
    p.workloadFile = "w.yaml";
    p.varied = {{"platform.instances.x.k", n}};
    s.points.push_back(std::move(p));
  }
  return s;
}

Json trainingResult(double compute, double hbm, double d2d) {
  Json m = Json::object();
  // Written out of the fixed order on purpose.
  m["mfu"] = 0.5;
  m["tokens_per_s"] = 1000.0;
  m["step_time_s"] = compute + hbm + d2d;
  m["breakdown_s"] = {{"compute", compute}, {"hbm_bound", hbm}, {"d2d_bound", d2d}};
  m["energy_j_per_token"] = 0.25;
  m["extra"] = 7.0;
  return Json{{"schema", "chipletsim.result/1"}, {"metrics", m}};
}

}  // namespace

TEST(SweepTable, KnownMetricsComeFirstInTheFixedOrderThenTheRest) {
  SweepOutcome o;
  o.points.resize(2);
  for (std::size_t i = 0; i < 2; ++i) {
    o.points[i].index = i;
    o.points[i].status = PointStatus::kOk;
    o.points[i].result = trainingResult(1.0, 0.2, 0.1);
  }
  const SweepTable t = SweepTable::fromOutcome(twoPoints(), o);
  const std::vector<std::string> expected = {
      "step_time_s",         "tokens_per_s",          "mfu",
      "breakdown_s.compute", "breakdown_s.hbm_bound", "breakdown_s.d2d_bound",
      "energy_j_per_token",  "tokens_per_s_per_w",    "extra"};
  EXPECT_EQ(t.metricColumns(), expected);
  EXPECT_EQ(*t.rows()[0].metric("tokens_per_s_per_w"), 4.0);  // 1 / (0.25 J per token)
}

TEST(SweepTable, BottleneckIsTheLargestComponentOtherThanCompute) {
  SweepOutcome o;
  o.points.resize(2);
  o.points[0] = {0, PointStatus::kOk, false, 0, "", trainingResult(5.0, 0.3, 0.4)};
  o.points[1] = {1, PointStatus::kOk, false, 0, "", trainingResult(5.0, 0.6, 0.4)};
  const SweepTable t = SweepTable::fromOutcome(twoPoints(), o);
  EXPECT_EQ(t.rows()[0].bottleneck, "d2d_bound");
  EXPECT_EQ(t.rows()[1].bottleneck, "hbm_bound");
  EXPECT_NE(t.csv().find(",d2d_bound\n"), std::string::npos) << t.csv();
}

TEST(SweepTable, FailedPointKeepsItsErrorQuotedAndEmptyMetrics) {
  SweepOutcome o;
  o.points.resize(2);
  o.points[0] = {0, PointStatus::kOk, false, 0, "", trainingResult(1.0, 0.1, 0.0)};
  o.points[1] = {1, PointStatus::kFailed, false, 2, "bad value, \"x\"\nsecond line", Json()};
  const SweepTable t = SweepTable::fromOutcome(twoPoints(), o);
  const std::string csv = t.csv();
  EXPECT_NE(csv.find("1,b,b,failed,\"bad value, \"\"x\"\"\nsecond line\",,"), std::string::npos)
      << csv;
  const Json j = t.json(twoPoints(), false);
  EXPECT_EQ(j["points"][1]["status"], "failed");
  EXPECT_FALSE(j["points"][1].contains("metrics"));
  EXPECT_EQ(j["points"][0]["set"]["platform.instances.x.k"], "a");
}

TEST(SweepTable, NumbersRoundTripExactly) {
  for (double v : {0.1, 1.0 / 3.0, 6.02214076e23, 5.7245883311463075e-09, 0.0})
    EXPECT_EQ(std::strtod(formatNumber(v).c_str(), nullptr), v) << formatNumber(v);
}
