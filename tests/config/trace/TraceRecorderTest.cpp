// The trace recorder and the utilisation sampler on their own (plain C++, no kernel).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "common/Errors.h"
#include "common/Trace.h"

using namespace chipletsim;

namespace {

nlohmann::json written(const TraceRecorder& t) {
  std::ostringstream out;
  t.write(out);
  return nlohmann::json::parse(out.str());
}

std::vector<nlohmann::json> eventsOf(const nlohmann::json& trace, const std::string& ph) {
  std::vector<nlohmann::json> out;
  for (const auto& e : trace.at("traceEvents"))
    if (e.at("ph") == ph) out.push_back(e);
  return out;
}

}  // namespace

TEST(TraceRecorder, RepeatedCounterValuesAreDropped) {
  TraceRecorder t;
  const int c = t.counter("hbm0", "ch0.pc0");
  t.sample(c, 0, 0.5);
  t.sample(c, 1000, 0.5);      // same value: the series already holds it
  t.sample(c, 2000, 0.50001);  // equal after rounding to 1e-3
  t.sample(c, 3000, 0.25);
  EXPECT_EQ(t.sampleCount(), 2u);
  const auto samples = eventsOf(written(t), "C");
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_DOUBLE_EQ(samples[1].at("args").at("value").get<double>(), 0.25);
}

TEST(TraceRecorder, TimesAreExactMicrosecondsOfPicosecondTicks) {
  TraceRecorder t;
  const int track = t.track("die0", "compute engines");
  // 1 ps and a time past 2^53 ps would both lose digits through a double.
  t.slice(track, 1, 3'000'000'000'000'001ull, 0, "op", "forward");
  std::ostringstream out;
  t.write(out);
  EXPECT_NE(out.str().find("\"ts\":0.000001,\"dur\":3000000000.000000"), std::string::npos)
      << out.str();
}

TEST(TraceRecorder, NamesSurviveJsonEscaping) {
  TraceRecorder t;
  const std::string odd = "a \"quoted\" \\ name\nwith a newline\t";
  const int track = t.track(odd, odd);
  t.slice(track, 0, 10, 0, odd, odd, TraceArgs().add(odd, odd).add("n", 1.5));
  const auto trace = written(t);
  const auto slices = eventsOf(trace, "X");
  ASSERT_EQ(slices.size(), 1u);
  EXPECT_EQ(slices[0].at("name"), odd);
  EXPECT_EQ(slices[0].at("args").at(odd), odd);
  EXPECT_DOUBLE_EQ(slices[0].at("args").at("n").get<double>(), 1.5);
}

TEST(TraceRecorder, ParentsPrecedeChildrenThatStartTogether) {
  TraceRecorder t;
  const int track = t.track("die0", "compute engines");
  t.slice(track, 0, 10, 2, "child", "op");  // recorded first, same span as its parent
  t.slice(track, 0, 10, 1, "parent", "segment");
  t.slice(track, 0, 20, 0, "grandparent", "step");
  const auto slices = eventsOf(written(t), "X");
  ASSERT_EQ(slices.size(), 3u);
  EXPECT_EQ(slices[0].at("name"), "grandparent");
  EXPECT_EQ(slices[1].at("name"), "parent");
  EXPECT_EQ(slices[2].at("name"), "child");
}

TEST(TraceRecorder, CounterSampledBackInTimeIsAnInternalError) {
  TraceRecorder t;
  const int c = t.counter("p", "c");
  t.sample(c, 2000, 1.0);
  EXPECT_THROW(t.sample(c, 1000, 0.0), InternalError);
}

TEST(TraceRecorder, SliceEndingBeforeItStartsIsAnInternalError) {
  TraceRecorder t;
  const int track = t.track("p", "t");
  EXPECT_THROW(t.slice(track, 10, 9, 0, "x", "y"), InternalError);
  EXPECT_THROW(t.slice(track + 1, 0, 1, 0, "x", "y"), InternalError);
}

TEST(UtilisationSampler, UtilisationIsTheAmountOverCapacityTimesInterval) {
  TraceRecorder t;
  UtilisationSampler s(t);
  double bytes = 0.0;
  // 1 GB/s: 1 byte per ns at 100%.
  s.addSource("hbm0", {{"ch0.pc0", 1e9}}, [&](std::vector<double>& v) { v[0] = bytes; });
  s.sample(0);
  bytes = 250.0;  // 250 B in 1000 ns: 25%
  s.sample(1000 * kTicksPerNs);
  bytes = 1250.0;  // 1000 B in the next 1000 ns: 100%
  s.sample(2000 * kTicksPerNs);
  s.finish(3000 * kTicksPerNs);  // idle last interval, then the end
  const auto samples = eventsOf(written(t), "C");
  ASSERT_EQ(samples.size(), 3u);
  // Each value holds from the start of its interval (a repeated 0 is dropped).
  EXPECT_DOUBLE_EQ(samples[0].at("ts").get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(samples[0].at("args").at("value").get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(samples[1].at("ts").get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(samples[1].at("args").at("value").get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(samples[2].at("ts").get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(samples[2].at("args").at("value").get<double>(), 0.0);
}

TEST(TraceDetail, NamesRoundTripAndOthersAreRejected) {
  for (TraceDetail d : {TraceDetail::kStep, TraceDetail::kLayer, TraceDetail::kOp}) {
    TraceDetail back = TraceDetail::kStep;
    ASSERT_TRUE(parseTraceDetail(traceDetailName(d), back));
    EXPECT_EQ(back, d);
  }
  TraceDetail out = TraceDetail::kOp;
  EXPECT_FALSE(parseTraceDetail("ops", out));
  EXPECT_FALSE(parseTraceDetail("", out));
}

TEST(TraceRecorder, BudgetAveragesCountersOverWiderWindowsKeepingTheirMean) {
  TraceOptions o;
  o.sampleInterval = 1000;  // 1 ns
  o.maxBytes = 20000;
  TraceRecorder t(o);
  const int c = t.counter("die0", "engines");
  // 0.2, 0.8, 0.2, 0.8, ...: mean 0.5 over any two intervals.
  for (Tick i = 0; i < 2000; ++i) t.sample(c, i * 1000, i % 2 ? 0.8 : 0.2);
  t.sample(c, 2000 * 1000, 0.0);
  std::ostringstream out;
  t.write(out);
  EXPECT_LE(out.str().size(), o.maxBytes);
  const auto trace = nlohmann::json::parse(out.str());
  EXPECT_GT(trace.at("otherData").at("counter_window_ns").get<double>(), 1.0);
  const auto samples = eventsOf(trace, "C");
  ASSERT_GE(samples.size(), 2u);
  double area = 0.0;
  for (std::size_t i = 0; i + 1 < samples.size(); ++i)
    area += samples[i].at("args").at("value").get<double>() *
            (samples[i + 1].at("ts").get<double>() - samples[i].at("ts").get<double>());
  EXPECT_NEAR(area, 0.5 * 2000 * 1e-3, 1e-9);  // 2000 ns at 0.5, in microseconds
  EXPECT_DOUBLE_EQ(samples.front().at("args").at("value").get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(samples.back().at("args").at("value").get<double>(), 0.0);
}
