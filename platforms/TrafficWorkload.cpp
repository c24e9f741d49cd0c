#include "TrafficWorkload.h"

#include <algorithm>
#include <limits>

#include "Platform.h"
#include "config/Reader.h"
#include "workload/TrafficGenerator.h"

namespace chipletsim {

using config::Limits;
using config::MapReader;
using config::Node;
using workload::MemoryPattern;
using workload::MemoryTrafficSpec;
using workload::TrafficGenerator;
using workload::TransportStyle;

namespace {

const config::EnumTable<MemoryPattern> kPatterns{{
    {"stream-read", MemoryPattern::kStreamRead},
    {"stream-write", MemoryPattern::kStreamWrite},
    {"copy", MemoryPattern::kCopy},
    {"random-read", MemoryPattern::kRandomRead},
}};
const config::EnumTable<TransportStyle> kStyles{{
    {"at", TransportStyle::kApproximatelyTimed},
    {"lt", TransportStyle::kLooselyTimed},
}};

/// Sum of the `peak_bandwidth` rows the instances behind `ports` describe (B/s).
double peakOf(const Platform& platform) {
  double peak = 0;
  for (const PortRef& p : platform.trafficPorts()) {
    const InstanceDecl* decl = platform.spec().instance(p.instance);
    if (!decl) continue;
    Summary s;
    decl->spec->describe(s);
    for (const auto& row : s.rows)
      if (row.name == "peak_bandwidth") peak += row.value;
  }
  return peak;
}

class TrafficRun : public WorkloadRun {
 public:
  TrafficRun(Platform& platform, const MemoryTrafficSpec& spec, std::uint64_t spanLimit) {
    if (platform.trafficPorts().empty())
      throw ConfigError(SourceLoc{platform.spec().file, 0, 0}, "traffic_ports",
                        "platform '" + platform.spec().name +
                            "' lists no traffic_ports for a memory_traffic workload");
    for (const PortRef& p : platform.trafficPorts()) {
      Component* c = platform.component(p.instance);
      MemoryTrafficSpec s = spec;
      const std::uint64_t span = c->addressSpan(p.port);
      if (span)
        s.span = std::min(span, spanLimit ? spanLimit : span);
      else if (spanLimit)
        s.span = spanLimit;
      if (s.span < s.requestBytes)
        throw ConfigError(p.loc, p.keyPath, "target '" + p.str() + "' is smaller than one request");
      auto gen =
          std::make_unique<TrafficGenerator>(("traffic_" + p.instance + "_" + p.port).c_str(), s);
      gen->out.bind(*c->targetPort(p.port));
      m_names.push_back(p.str());
      m_gens.push_back(std::move(gen));
    }
    m_peak = peakOf(platform);
  }

  void reportMetrics(StatGroup& m) const override {
    double bytes = 0;
    Tick first = std::numeric_limits<Tick>::max(), last = 0;
    Distribution lat;
    for (const auto& g : m_gens) {
      bytes += static_cast<double>(g->bytes());
      first = std::min(first, g->firstIssue());
      last = std::max(last, g->lastResponse());
      lat.merge(g->latencyNs());
    }
    const double seconds =
        last > first ? static_cast<double>(last - first) / static_cast<double>(kTicksPerSecond)
                     : 0.0;
    const double achieved = seconds > 0 ? bytes / seconds : 0.0;
    m.add("achieved_bytes_per_s", achieved, "B/s", "all generators, first issue to last response");
    m.add("peak_bytes_per_s", m_peak, "B/s", "sum of the targets' peak bandwidth");
    if (m_peak > 0) m.add("efficiency", achieved / m_peak, "1", "achieved / peak");
    StatGroup& l = m.child("latency_ns");
    l.add("mean", lat.mean(), "ns");
    l.add("p50", lat.percentile(0.5), "ns");
    l.add("p99", lat.percentile(0.99), "ns");
  }
  void reportStats(StatGroup& stats) const override {
    for (std::size_t i = 0; i < m_gens.size(); ++i) m_gens[i]->reportStats(stats.child(m_names[i]));
  }
  std::uint64_t transactions() const override {
    std::uint64_t n = 0;
    for (const auto& g : m_gens) n += g->transactions();
    return n;
  }
  bool finished() const override {
    return std::all_of(m_gens.begin(), m_gens.end(), [](const auto& g) { return g->finished(); });
  }
  double simulatedSeconds() const override {
    Tick last = 0;
    for (const auto& g : m_gens) last = std::max(last, g->lastResponse());
    return static_cast<double>(last) / static_cast<double>(kTicksPerSecond);
  }

 private:
  std::vector<std::unique_ptr<TrafficGenerator>> m_gens;
  std::vector<std::string> m_names;
  double m_peak = 0;
};

class TrafficSpec : public WorkloadSpec {
 public:
  MemoryTrafficSpec spec;
  std::uint64_t spanLimit = 0;  // 0: the whole target

  std::string resultKind() const override { return "traffic"; }
  std::unique_ptr<WorkloadRun> build(Platform& platform) const override {
    return std::make_unique<TrafficRun>(platform, spec, spanLimit);
  }
  void describe(Summary& out) const override {
    out.label("pattern", workload::toString(spec.pattern));
    out.label("transport", spec.style == TransportStyle::kLooselyTimed ? "lt" : "at");
    out.add("request_size", spec.requestBytes, "B");
    out.add("outstanding", spec.outstanding, "count");
    out.add("read_fraction", spec.readFraction, "1");
    out.add("total_bytes", static_cast<double>(spec.totalBytes), "B");
  }
};

}  // namespace

workload::MemoryTrafficSpec decodeMemoryTrafficSpec(const Node& root, std::uint64_t* spanLimit) {
  MapReader r(root);
  MemoryTrafficSpec s;
  r.ignore("kind");
  r.ignore("name");
  r.ignore("description");
  s.pattern = r.requiredEnum("pattern", kPatterns);
  s.requestBytes = static_cast<std::uint32_t>(
      r.required<DataSize>("request_size", Limits::between(1, 1u << 30)).si());
  s.outstanding = r.required<int>("outstanding", Limits::atLeast(1));
  // Every request in flight holds a payload buffer of request_size bytes on the host (and, in
  // LT transport, a SystemC thread): beyond 2^20 requests or 4 GiB of buffers the run dies of
  // memory instead of simulating.
  if (s.outstanding > (1 << 20) ||
      static_cast<double>(s.outstanding) * s.requestBytes > 4294967296.0)
    r.node()
        .get("outstanding")
        ->fail(
            "value out of range: expected at most 1048576 requests in flight and at most 4 GiB of "
            "them (outstanding x request_size), got " +
            std::to_string(s.outstanding) + " x " + std::to_string(s.requestBytes) + " B");
  const double defaultRead = s.pattern == MemoryPattern::kStreamWrite ? 0.0
                             : s.pattern == MemoryPattern::kCopy      ? 0.5
                                                                      : 1.0;
  s.readFraction = r.optional<double>("read_fraction", defaultRead, Limits::fraction());
  s.totalBytes =
      static_cast<std::uint64_t>(r.required<DataSize>("total_bytes", Limits::positive()).si());
  s.style = r.optionalEnum("transport", kStyles, TransportStyle::kApproximatelyTimed);
  s.seed = r.optional<std::uint64_t>("seed", 1);
  s.baseAddress = r.optional<std::uint64_t>("base_address", 0);
  const auto span = static_cast<std::uint64_t>(
      r.optional<DataSize>("span", DataSize(0), Limits::nonNegative()).si());
  if (span != 0 && span < s.requestBytes)
    r.node().get("span")->fail(
        "expected a span of at least one request (" + std::to_string(s.requestBytes) +
        " B), or 0 for the whole target, got '" + r.node().get("span")->text() + "'");
  if (spanLimit) *spanLimit = span;
  r.finish();
  return s;
}

std::unique_ptr<WorkloadSpec> decodeMemoryTraffic(const Node& root) {
  auto out = std::make_unique<TrafficSpec>();
  out->spec = decodeMemoryTrafficSpec(root, &out->spanLimit);
  return out;
}

WorkloadKind memoryTrafficKind() {
  return {"memory_traffic", "memory traffic generators (stream, copy, random) on the traffic ports",
          &decodeMemoryTraffic};
}

}  // namespace chipletsim
