// `chipletsim run --trace`: Chrome trace-event JSON through the real command line.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "../cli/Cli.h"
#include "../loader/TestYaml.h"

using chipletsim::testing::configDir;
using chipletsim::testing::runCli;
using chipletsim::testing::slurp;
using chipletsim::testing::TempDir;
using nlohmann::json;

namespace {

// Timestamps are microseconds with six decimals: one picosecond is the format's resolution.
constexpr double kOnePs = 1e-6;

struct TracedRun {
  json trace;
  json results;
  std::string text;  // the trace file as written
  std::map<int, std::string> processes;
};

TracedRun tracedRun(const TempDir& dir, const std::string& args, const std::string& tag = "t") {
  const std::string tracePath = dir.path() + "/" + tag + ".trace.json";
  const std::string resultsPath = dir.path() + "/" + tag + ".results.json";
  const auto r = runCli("run " + args + " --quiet --json " + resultsPath + " --trace " + tracePath);
  EXPECT_EQ(r.status, 0) << r.err;
  TracedRun out;
  out.text = slurp(tracePath);
  out.trace = json::parse(out.text);
  out.results = json::parse(slurp(resultsPath));
  for (const auto& e : out.trace.at("traceEvents"))
    if (e.at("ph") == "M" && e.at("name") == "process_name")
      out.processes[e.at("pid").get<int>()] = e.at("args").at("name").get<std::string>();
  return out;
}

std::vector<json> eventsOf(const json& trace, const std::string& ph) {
  std::vector<json> out;
  for (const auto& e : trace.at("traceEvents"))
    if (e.at("ph") == ph) out.push_back(e);
  return out;
}

/// Counter names of each process.
std::map<std::string, std::set<std::string>> counters(const TracedRun& r) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& e : eventsOf(r.trace, "C"))
    out[r.processes.at(e.at("pid").get<int>())].insert(e.at("name").get<std::string>());
  return out;
}

/// Thread names of each process.
std::map<std::string, std::set<std::string>> threads(const TracedRun& r) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& e : eventsOf(r.trace, "M"))
    if (e.at("name") == "thread_name")
      out[r.processes.at(e.at("pid").get<int>())].insert(
          e.at("args").at("name").get<std::string>());
  return out;
}

const std::string kDefaultRun = "";  // configs/platforms/default.yaml + workloads/default.yaml

}  // namespace

TEST(TraceCli, TrainingTraceFollowsTheTraceEventFormat) {
  TempDir d;
  const TracedRun r = tracedRun(d, kDefaultRun);
  ASSERT_TRUE(r.trace.is_object());
  EXPECT_EQ(r.trace.at("displayTimeUnit"), "ns");
  ASSERT_TRUE(r.trace.at("traceEvents").is_array());
  std::map<std::string, int> phases;
  for (const auto& e : r.trace.at("traceEvents")) {
    const std::string ph = e.at("ph").get<std::string>();
    ++phases[ph];
    ASSERT_TRUE(e.at("pid").is_number_integer()) << e;
    ASSERT_TRUE(e.at("name").is_string()) << e;
    if (ph == "M") {
      const std::string name = e.at("name").get<std::string>();
      EXPECT_TRUE(name == "process_name" || name == "thread_name" || name == "process_sort_index" ||
                  name == "thread_sort_index")
          << e;
      EXPECT_TRUE(e.at("tid").is_number_integer()) << e;
      EXPECT_TRUE(e.at("args").is_object()) << e;
    } else if (ph == "X") {
      EXPECT_TRUE(e.at("tid").is_number_integer()) << e;
      EXPECT_TRUE(e.at("cat").is_string()) << e;
      EXPECT_GE(e.at("ts").get<double>(), 0.0) << e;
      EXPECT_GE(e.at("dur").get<double>(), 0.0) << e;
      EXPECT_TRUE(e.at("args").is_object()) << e;
    } else if (ph == "C") {
      EXPECT_GE(e.at("ts").get<double>(), 0.0) << e;
      ASSERT_TRUE(e.at("args").is_object()) << e;
      for (const auto& [k, v] : e.at("args").items()) EXPECT_TRUE(v.is_number()) << k;
    } else {
      ADD_FAILURE() << "unexpected event type " << ph;
    }
  }
  EXPECT_GT(phases["M"], 0);
  EXPECT_GT(phases["X"], 0);
  EXPECT_GT(phases["C"], 0);
  // Every pid used by an event is named.
  for (const auto& e : r.trace.at("traceEvents"))
    EXPECT_TRUE(r.processes.count(e.at("pid").get<int>())) << e;
}

TEST(TraceCli, SlicesNestOnEveryTrack) {
  TempDir d;
  const TracedRun r = tracedRun(d, kDefaultRun);
  std::map<std::pair<int, int>, std::vector<std::pair<double, double>>> tracks;
  for (const auto& e : eventsOf(r.trace, "X"))
    tracks[{e.at("pid").get<int>(), e.at("tid").get<int>()}].emplace_back(
        e.at("ts").get<double>(), e.at("ts").get<double>() + e.at("dur").get<double>());
  ASSERT_FALSE(tracks.empty());
  for (auto& [key, slices] : tracks) {
    // Outer slices first; then a slice must end inside every open slice that it starts in:
    // a child ends no later than its parent, and two slices never partly overlap.
    std::stable_sort(slices.begin(), slices.end(), [](const auto& a, const auto& b) {
      return a.first < b.first || (a.first == b.first && a.second > b.second);
    });
    std::vector<std::pair<double, double>> open;
    for (const auto& s : slices) {
      while (!open.empty() && open.back().second <= s.first + kOnePs) open.pop_back();
      if (!open.empty()) {
        ASSERT_LE(s.second, open.back().second + kOnePs)
            << "track " << key.first << "/" << key.second << ": slice [" << s.first << ", "
            << s.second << "] partly overlaps [" << open.back().first << ", " << open.back().second
            << "]";
      }
      open.push_back(s);
    }
  }
}

TEST(TraceCli, TimestampsNeverDecreaseAlongATrack) {
  TempDir d;
  const TracedRun r = tracedRun(d, kDefaultRun);
  std::map<std::pair<int, int>, double> lastSlice;
  std::map<std::pair<int, std::string>, double> lastSample;
  for (const auto& e : r.trace.at("traceEvents")) {
    const int pid = e.at("pid").get<int>();
    if (e.at("ph") == "X") {
      const auto key = std::make_pair(pid, e.at("tid").get<int>());
      const double ts = e.at("ts").get<double>();
      if (lastSlice.count(key)) {
        EXPECT_GE(ts, lastSlice[key]) << e;
      }
      lastSlice[key] = ts;
    } else if (e.at("ph") == "C") {
      const auto key = std::make_pair(pid, e.at("name").get<std::string>());
      const double ts = e.at("ts").get<double>();
      if (lastSample.count(key)) {
        EXPECT_GT(ts, lastSample[key]) << e;
      }
      lastSample[key] = ts;
    }
  }
}

TEST(TraceCli, EveryEngineChannelAndLinkHasATrack) {
  TempDir d;
  const TracedRun r = tracedRun(d, kDefaultRun);
  auto c = counters(r);
  const auto t = threads(r);
  const json& stats = r.results.at("stats");
  // The default platform: one compute die, HBM stacks behind a NoC, two networks.
  ASSERT_TRUE(c.count("die0"));
  EXPECT_TRUE(c.at("die0").count("engines"));
  const int dma = stats.at("die0").at("dma_engines").at("value").get<int>();
  for (int i = 0; i < dma; ++i) EXPECT_TRUE(c.at("die0").count("dma" + std::to_string(i))) << i;
  EXPECT_TRUE(t.at("die0").count("compute engines"));
  int stacks = 0;
  for (const auto& [name, g] : stats.items()) {
    if (!g.contains("channels")) continue;
    ++stacks;
    std::size_t pcs = 0;
    for (const auto& [ch, cg] : g.at("channels").items())
      for (const auto& [pc, pg] : cg.items())
        if (pg.is_object() && pg.contains("bytes_read")) {
          ++pcs;
          EXPECT_TRUE(c[name].count(ch + "." + pc)) << name << " " << ch << "." << pc;
        }
    EXPECT_EQ(c[name].size(), pcs) << name;
  }
  EXPECT_GT(stacks, 0);
  EXPECT_TRUE(c.count("noc0") && c.at("noc0").count("endpoints"));
  for (const char* net : {"nvlink", "ib"}) {
    ASSERT_TRUE(c.count(net)) << net;
    EXPECT_TRUE(c.at(net).count("send") && c.at(net).count("receive")) << net;
  }
}

TEST(TraceCli, D2dLinkDirectionsAndEveryDieHaveTracks) {
  TempDir d;
  const TracedRun r = tracedRun(
      d, configDir() + "/platforms/b200-like.yaml " + configDir() + "/workloads/tiny-llama.yaml");
  const auto c = counters(r);
  const auto t = threads(r);
  int links = 0;
  for (const auto& [name, g] : r.results.at("stats").items()) {
    if (!g.contains("a_to_b")) continue;
    ++links;
    ASSERT_TRUE(c.count(name)) << name;
    EXPECT_TRUE(c.at(name).count("a_to_b") && c.at(name).count("b_to_a")) << name;
  }
  EXPECT_GT(links, 0);
  for (const char* die : {"die0", "die1"}) {
    ASSERT_TRUE(t.count(die)) << die;
    EXPECT_TRUE(t.at(die).count("compute engines")) << die;
  }
}

TEST(TraceCli, StepSliceSpansTheSimulatedTime) {
  TempDir d;
  const TracedRun r = tracedRun(d, kDefaultRun);
  const double simulatedUs = r.results.at("sim").at("simulated_s").get<double>() * 1e6;
  int steps = 0;
  for (const auto& e : eventsOf(r.trace, "X")) {
    if (e.at("cat") != "step") continue;
    ++steps;
    EXPECT_NEAR(e.at("ts").get<double>(), 0.0, kOnePs);
    EXPECT_NEAR(e.at("dur").get<double>(), simulatedUs, 2 * kOnePs);
    EXPECT_NEAR(e.at("args").at("step_time_s").get<double>(),
                r.results.at("metrics").at("step_time_s").get<double>(),
                1e-5 * r.results.at("metrics").at("step_time_s").get<double>());
  }
  EXPECT_GT(steps, 0);
}

TEST(TraceCli, OpSlicesAccountForEveryEngineSecond) {
  // The engines compute only inside ops: the compute time of the op slices of a die adds up
  // to the die's busy time (args carry 6 significant digits: 1e-5 relative).
  TempDir d;
  const TracedRun r = tracedRun(d, kDefaultRun);
  double computeUs = 0.0;
  for (const auto& e : eventsOf(r.trace, "X"))
    if (r.processes.at(e.at("pid").get<int>()) == "die0" && e.at("args").contains("compute_us"))
      computeUs += e.at("args").at("compute_us").get<double>();
  const double busyUs =
      r.results.at("stats").at("die0").at("busy_s").at("value").get<double>() * 1e6;
  ASSERT_GT(busyUs, 0.0);
  EXPECT_NEAR(computeUs, busyUs, 1e-5 * busyUs);
}

TEST(TraceCli, BusyTimeUtilisationNeverExceedsOne) {
  // Engines, DMA engines and network ports count busy time up to the sample, never ahead of
  // it: a busy fraction cannot exceed 1 (plus the 1e-3 rounding of the format).
  TempDir d;
  const TracedRun r = tracedRun(d, kDefaultRun + " --trace-sample-ns 20000");
  int checked = 0;
  for (const auto& e : eventsOf(r.trace, "C")) {
    const std::string name = e.at("name").get<std::string>();
    if (name != "engines" && name.rfind("dma", 0) != 0 && name != "send" && name != "receive")
      continue;
    ++checked;
    const double v = e.at("args").at("value").get<double>();
    EXPECT_GE(v, 0.0) << e;
    EXPECT_LE(v, 1.0005) << r.processes.at(e.at("pid").get<int>()) << " " << e;
  }
  EXPECT_GT(checked, 0);
}

TEST(TraceCli, TracingDoesNotChangeTheResults) {
  TempDir d;
  const std::string plain = d.path() + "/plain.json";
  ASSERT_EQ(runCli("run --quiet --json " + plain).status, 0);
  const TracedRun r = tracedRun(d, kDefaultRun);
  json a = json::parse(slurp(plain));
  json b = r.results;
  a["sim"].erase("wall_s");
  b["sim"].erase("wall_s");
  EXPECT_EQ(a["metrics"], b["metrics"]);
  EXPECT_EQ(a["sim"], b["sim"]);
  // Stats: identical up to summation order (a model may fold running sums when read).
  std::function<void(const json&, const json&, const std::string&)> same =
      [&](const json& x, const json& y, const std::string& path) {
        ASSERT_EQ(x.type(), y.type()) << path;
        if (x.is_object()) {
          ASSERT_EQ(x.size(), y.size()) << path;
          for (const auto& [k, v] : x.items()) same(v, y.at(k), path + "." + k);
        } else if (x.is_number()) {
          EXPECT_NEAR(x.get<double>(), y.get<double>(), 1e-12 * std::abs(x.get<double>())) << path;
        } else {
          EXPECT_EQ(x, y) << path;
        }
      };
  same(a["stats"], b["stats"], "stats");
}

TEST(TraceCli, SameInputsGiveAByteIdenticalTrace) {
  TempDir d;
  const TracedRun a = tracedRun(d, kDefaultRun, "a");
  const TracedRun b = tracedRun(d, kDefaultRun, "b");
  EXPECT_EQ(a.text.size(), b.text.size());
  EXPECT_TRUE(a.text == b.text);
}

TEST(TraceCli, CoarserDetailKeepsOnlyCoarserSlices) {
  TempDir d;
  const std::map<std::string, std::set<std::string>> allowed = {
      {"step", {"step", "segment"}},
      {"layer", {"step", "segment", "layer", "phase"}},
  };
  std::size_t previous = 0;
  for (const std::string detail : {"step", "layer", "op"}) {
    const TracedRun r = tracedRun(d, kDefaultRun + " --trace-detail " + detail, detail);
    std::set<std::string> cats;
    for (const auto& e : eventsOf(r.trace, "X")) cats.insert(e.at("cat").get<std::string>());
    if (allowed.count(detail)) {
      for (const auto& c : cats) EXPECT_TRUE(allowed.at(detail).count(c)) << detail << ": " << c;
      EXPECT_EQ(cats, allowed.at(detail)) << detail;
    } else {
      EXPECT_TRUE(cats.count("forward") && cats.count("backward")) << detail;
    }
    const std::size_t slices = eventsOf(r.trace, "X").size();
    EXPECT_GT(slices, previous) << detail;
    previous = slices;
  }
}

TEST(TraceCli, TraceSizeIsBoundedBySeriesAndSamples) {
  // A counter series holds at most one sample per interval plus the final zero; slices are a
  // few per op. Stated bound for the default run (one step of TinyLlama on h100-like, about
  // 55 ms simulated) at the default 100 us interval: under 16 MB (9.2 MB measured).
  TempDir d;
  const TracedRun r = tracedRun(d, kDefaultRun);
  const double intervalNs = r.trace.at("otherData").at("sample_interval_ns").get<double>();
  EXPECT_EQ(intervalNs, 100000.0);
  const double simulatedNs = r.results.at("sim").at("simulated_s").get<double>() * 1e9;
  std::size_t series = 0;
  for (const auto& [p, names] : counters(r)) series += names.size();
  const double samplesPerSeries = std::ceil(simulatedNs / intervalNs) + 2;
  EXPECT_LE(static_cast<double>(eventsOf(r.trace, "C").size()), series * samplesPerSeries);
  EXPECT_LT(r.text.size(), 16u * 1000 * 1000);
  // A 10x coarser interval gives a trace several times smaller.
  const TracedRun coarse = tracedRun(d, kDefaultRun + " --trace-sample-ns 1000000", "coarse");
  EXPECT_LT(coarse.text.size() * 3, r.text.size());
}

namespace {

/// Integral over time of counter `name` of process `process`, microseconds x value.
double integral(const TracedRun& r, const std::string& process, const std::string& name,
                double& spanUs) {
  std::vector<std::pair<double, double>> s;
  for (const auto& e : eventsOf(r.trace, "C"))
    if (e.at("name") == name && r.processes.at(e.at("pid").get<int>()) == process)
      s.emplace_back(e.at("ts").get<double>(), e.at("args").at("value").get<double>());
  double area = 0.0;
  for (std::size_t i = 0; i + 1 < s.size(); ++i)
    area += s[i].second * (s[i + 1].first - s[i].first);
  spanUs = s.empty() ? 0.0 : s.back().first - s.front().first;
  return area;
}

}  // namespace

TEST(TraceCli, EngineCounterIntegratesToTheBusyTimeWithinTheBudget) {
  // The engines' utilisation over time adds up to the seconds they computed, also when a
  // size budget averages the counters over wider windows. Values carry 3 decimals: the
  // integral may be off by 0.0005 x the span.
  TempDir d;
  for (const std::string budget : {"100", "1"}) {
    const TracedRun r =
        tracedRun(d, " --trace-sample-ns 20000 --trace-max-mb " + budget, "b" + budget);
    double span = 0.0;
    const double busyUs =
        r.results.at("stats").at("die0").at("busy_s").at("value").get<double>() * 1e6;
    const double area = integral(r, "die0", "engines", span);
    ASSERT_GT(span, 0.0);
    EXPECT_NEAR(area, busyUs, 0.0005 * span) << budget;
    const double window = r.trace.at("otherData").at("counter_window_ns").get<double>();
    if (budget == "1") {
      EXPECT_LE(r.text.size(), 1u * 1000 * 1000);
      EXPECT_GT(window, 20000.0);
    } else {
      EXPECT_EQ(window, 20000.0);
    }
  }
}

TEST(TraceCli, VcdHasAWaveformPerCounter) {
  TempDir d;
  const std::string vcd = d.path() + "/u.vcd";
  const TracedRun r = tracedRun(d, " --trace-sample-ns 1000000 --vcd " + vcd);
  const std::string text = slurp(vcd);
  std::size_t vars = 0, stamps = 0;
  for (std::size_t at = text.find("$var real"); at != std::string::npos;
       at = text.find("$var real", at + 1))
    ++vars;
  for (std::size_t at = text.find("\n#"); at != std::string::npos; at = text.find("\n#", at + 1))
    ++stamps;
  std::size_t series = 0;
  for (const auto& [p, names] : counters(r)) series += names.size();
  EXPECT_EQ(vars, series);
  // One change set per sample at most (about 55 ms simulated at 1 ms), and more than a few.
  const double simulatedMs = r.results.at("sim").at("simulated_s").get<double>() * 1e3;
  EXPECT_GT(stamps, 10u);
  EXPECT_LE(static_cast<double>(stamps), std::ceil(simulatedMs) + 2);
}

TEST(TraceCli, TrafficWorkloadTraceHasCountersOnly) {
  TempDir d;
  const TracedRun r =
      tracedRun(d, configDir() + "/platforms/bench/hbm-hbm3.yaml " + configDir() +
                       "/workloads/traffic/random-read.yaml --trace-sample-ns 1000");
  EXPECT_TRUE(eventsOf(r.trace, "X").empty());
  const auto c = counters(r);
  ASSERT_TRUE(c.count("hbm0"));
  EXPECT_FALSE(c.at("hbm0").empty());
}

TEST(TraceCli, BadTraceOptionsAreBadInput) {
  TempDir d;
  const std::string t = " --trace " + d.path() + "/t.json";
  struct Case {
    std::string args;
    std::string needle;
  };
  const std::vector<Case> cases = {
      {"run --quiet" + t + " --trace-detail ops", "--trace-detail"},
      {"run --quiet" + t + " --trace-sample-ns 0", "--trace-sample-ns"},
      {"run --quiet" + t + " --trace-sample-ns -5", "--trace-sample-ns"},
      {"run --quiet" + t + " --trace-sample-ns fast", "--trace-sample-ns"},
      {"run --quiet" + t + " --trace-max-mb -1", "--trace-max-mb"},
      {"run --quiet --trace-detail op", "--trace"},
      {"run --quiet --trace " + d.path() + "/no/such/dir/t.json", "cannot write the trace"},
      {"run --quiet --vcd " + d.path() + "/no/such/dir/u.vcd", "cannot write the VCD"},
  };
  for (const Case& c : cases) {
    const auto r = runCli(c.args);
    EXPECT_EQ(r.status, 2) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.needle), std::string::npos) << c.args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.args << "\n" << r.err;
  }
}
