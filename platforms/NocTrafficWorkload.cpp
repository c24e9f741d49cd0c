#include "NocTrafficWorkload.h"

#include <systemc>

#include "NocConfig.h"
#include "Platform.h"
#include "config/Reader.h"
#include "workload/NocCalibration.h"
#include "workload/NocChannelLoad.h"
#include "workload/NocTrafficDriver.h"

namespace chipletsim {

using config::Limits;
using config::MapReader;
using config::Node;

namespace {

const config::EnumTable<workload::NocPatternKind> kPatterns{{
    {"uniform_random", workload::NocPatternKind::kUniformRandom},
    {"transpose", workload::NocPatternKind::kTranspose},
    {"bit_complement", workload::NocPatternKind::kBitComplement},
    {"hotspot", workload::NocPatternKind::kHotspot},
    {"nearest_neighbour", workload::NocPatternKind::kNearestNeighbour},
}};

/// Runs the driver in one SystemC thread, then lets simulated time catch up with the
/// cycles the fabric simulated, so sim.simulated_s is the NoC's time.
class NocTrafficProcess : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(NocTrafficProcess);
  NocTrafficProcess(sc_core::sc_module_name name, noc::NocFabric& fabric,
                    const workload::NocTrafficSpec& spec)
      : sc_core::sc_module(name), m_fabric(fabric), m_spec(spec) {
    SC_THREAD(run);
  }
  void run() {
    workload::NocTrafficDriver driver(m_fabric, m_spec);
    result = driver.run();
    wait(sc_core::sc_time(static_cast<double>(result.cycles * m_fabric.spec().periodTicks()),
                          sc_core::SC_PS));
    finished = true;
    endSeconds = sc_core::sc_time_stamp().to_seconds();
  }

  workload::NocTrafficResult result;
  bool finished = false;
  double endSeconds = 0.0;

 private:
  noc::NocFabric& m_fabric;
  workload::NocTrafficSpec m_spec;
};

/// The link efficiency of a transaction-fidelity run: derived from the flit fabric on the
/// workload's own traffic when the noc asks for it, else ideal.
double linkEfficiencyFor(const NocComponent& noc, const workload::NocTrafficSpec& spec) {
  if (noc.fidelity() != noc::Fidelity::kTransaction || !noc.calibrateLinks()) return 1.0;
  return workload::calibrateLinkEfficiency(noc.spec(), spec).linkEfficiency;
}

class NocTrafficRun : public WorkloadRun {
 public:
  NocTrafficRun(NocComponent& noc, const workload::NocTrafficSpec& spec)
      : m_noc(noc),
        m_spec(spec),
        m_efficiency(linkEfficiencyFor(noc, spec)),
        m_fabric(noc.trafficFabric(m_efficiency)),
        m_process("noc_traffic", m_fabric, spec) {
    const noc::NocFabric& f = m_fabric;
    const int n = static_cast<int>(f.endpoints().size());
    const bool grid = n == f.topology().routerCount();
    const workload::NocTrafficPattern pattern(spec.pattern, grid ? f.topology().dimX() : n,
                                              grid ? f.topology().dimY() : 1, spec.hotspots,
                                              spec.hotspotFraction);
    m_bound = workload::channelLoadBound(f, pattern);
  }

  void reportMetrics(StatGroup& m) const override {
    const auto& r = m_process.result;
    const noc::NocSpec& s = m_noc.spec();
    const double periodNs = 1e9 / s.clock.si();
    const double nodes = static_cast<double>(m_fabric.endpoints().size());
    const double flitsPerSecondPerRate = nodes * s.clock.si() * s.flitSize.si();
    m.add("offered_rate", r.offeredRate, "flits/node/cycle");
    m.add("accepted_rate", r.acceptedRate, "flits/node/cycle");
    StatGroup& lc = m.child("latency_cycles");
    lc.add("mean", r.latencyCycles.mean(), "cycles");
    lc.add("p50", r.latencyCycles.percentile(0.5), "cycles");
    lc.add("p99", r.latencyCycles.percentile(0.99), "cycles");
    StatGroup& ln = m.child("latency_ns");
    ln.add("mean", r.latencyCycles.mean() * periodNs, "ns");
    ln.add("p50", r.latencyCycles.percentile(0.5) * periodNs, "ns");
    ln.add("p99", r.latencyCycles.percentile(0.99) * periodNs, "ns");
    m.add("achieved_bytes_per_s", r.acceptedRate * flitsPerSecondPerRate, "B/s",
          "flits delivered in the window, all endpoints");
    m.add("peak_bytes_per_s", m_bound * flitsPerSecondPerRate, "B/s",
          "the pattern's channel-load bound");
    m.add("efficiency", m_bound > 0 ? r.acceptedRate / m_bound : 0.0, "1");
    m.add("channel_load_bound", m_bound, "flits/node/cycle");
    m.add("mean_hops", r.hops.mean(), "links");
    m.add("link_efficiency", m_efficiency, "1",
          "transaction fabric's share of link cycles carrying flits (1: ideal links)");
    m.add("unfinished_packets", static_cast<double>(r.unfinished), "count",
          "measured packets not delivered within drain_cycles (saturated)");
  }
  void reportStats(StatGroup& stats) const override {
    const auto& r = m_process.result;
    stats.add("packets_offered", static_cast<double>(r.packets), "count");
    stats.add("packets_delivered", static_cast<double>(r.delivered), "count");
    stats.add("packets_measured", static_cast<double>(r.measuredPackets), "count");
    stats.add("cycles", static_cast<double>(r.cycles), "cycles");
    stats.addDistribution("latency_cycles", r.latencyCycles, "cycles", "measured packets");
    stats.addDistribution("hops", r.hops, "links", "measured packets");
  }
  std::uint64_t transactions() const override { return m_process.result.delivered; }
  bool finished() const override { return m_process.finished; }
  double simulatedSeconds() const override { return m_process.endSeconds; }

 private:
  NocComponent& m_noc;
  workload::NocTrafficSpec m_spec;
  double m_efficiency;
  noc::NocFabric& m_fabric;
  NocTrafficProcess m_process;
  double m_bound = 0.0;
};

class NocTrafficSpecHolder : public WorkloadSpec {
 public:
  workload::NocTrafficSpec spec;
  std::string nocName;  // "" : the platform's only noc instance

  std::string resultKind() const override { return "traffic"; }
  std::unique_ptr<WorkloadRun> build(Platform& platform) const override {
    NocComponent* found = nullptr;
    std::string foundName;
    for (const auto& [name, c] : platform.components()) {
      auto* n = dynamic_cast<NocComponent*>(c);
      if (!n || (!nocName.empty() && name != nocName)) continue;
      if (found)
        throw ConfigError(SourceLoc{platform.spec().file, 0, 0}, "instances",
                          "workload noc_traffic: platform '" + platform.spec().name +
                              "' has several noc instances ('" + foundName + "', '" + name +
                              "'); name one with `noc:`");
      found = n;
      foundName = name;
    }
    if (!found)
      throw ConfigError(SourceLoc{platform.spec().file, 0, 0}, "instances",
                        "workload noc_traffic: platform '" + platform.spec().name +
                            "' has no noc instance" +
                            (nocName.empty() ? "" : " '" + nocName + "'"));
    // The driver counts cycles and the kernel picoseconds in 64 bits: a run whose cycles
    // overflow them wrapped around silently (2^64-1 measure cycles "finished" at once).
    const double cycles = static_cast<double>(spec.warmupCycles) +
                          static_cast<double>(spec.measureCycles) +
                          static_cast<double>(spec.drainCycles);
    const double ps = cycles * static_cast<double>(found->spec().periodTicks());
    if (ps > 9.2e18)
      throw ConfigError(SourceLoc{platform.spec().file, 0, 0}, "instances." + foundName + ".clock",
                        "workload noc_traffic: warmup_cycles + measure_cycles + drain_cycles (" +
                            config::formatSi(cycles, "cycles") + ") of noc '" + foundName +
                            "' last " + config::formatSi(ps * 1e-12, "s") +
                            ": expected at most 9.2e6 s (time is simulated in 64-bit picoseconds)");
    try {
      return std::make_unique<NocTrafficRun>(*found, spec);
    } catch (const SpecError& e) {
      throw ConfigError(std::string("workload noc_traffic on '") + foundName + "': " + e.what());
    }
  }
  void describe(Summary& out) const override {
    out.label("pattern", workload::nocPatternName(spec.pattern));
    out.add("injection_rate", spec.injectionRate, "flits/node/cycle");
    out.add("packet_flits", spec.packetFlits, "flits");
    out.add("warmup_cycles", static_cast<double>(spec.warmupCycles), "cycles");
    out.add("measure_cycles", static_cast<double>(spec.measureCycles), "cycles");
  }
};

}  // namespace

std::unique_ptr<WorkloadSpec> decodeNocTraffic(const Node& root) {
  MapReader r(root);
  auto out = std::make_unique<NocTrafficSpecHolder>();
  workload::NocTrafficSpec& s = out->spec;
  s.pattern = r.requiredEnum("pattern", kPatterns);
  s.packetFlits = r.required<unsigned>("packet_flits", Limits::atLeast(1));
  s.injectionRate = r.required<double>("injection_rate", Limits::positive());
  if (s.injectionRate > s.packetFlits)
    root.get("injection_rate")->fail("at most packet_flits flits/node/cycle (one packet a cycle)");
  s.seed = r.optional<std::uint64_t>("seed", 1);
  s.warmupCycles = r.optional<std::uint64_t>("warmup_cycles", s.warmupCycles);
  s.measureCycles =
      r.optional<std::uint64_t>("measure_cycles", s.measureCycles, Limits::atLeast(1));
  s.drainCycles = r.optional<std::uint64_t>("drain_cycles", s.drainCycles);
  if (s.pattern == workload::NocPatternKind::kHotspot) {
    const Node& hs = r.requiredChild("hotspots");
    if (!hs.isSequence() || hs.items().empty()) hs.expected("a list of endpoint indices");
    for (const Node& h : hs.items()) {
      unsigned v = 0;
      config::decode(h, v);
      s.hotspots.push_back(v);
    }
    s.hotspotFraction = r.required<double>("hotspot_fraction", Limits::fraction());
  }
  out->nocName = r.optional<std::string>("noc", "");
  r.finish();
  s.validate();
  return out;
}

const workload::NocTrafficSpec* nocTrafficSpecOf(const WorkloadSpec& spec) {
  const auto* s = dynamic_cast<const NocTrafficSpecHolder*>(&spec);
  return s ? &s->spec : nullptr;
}

WorkloadKind nocTrafficKind() {
  return {"noc_traffic",
          "synthetic NoC traffic (uniform, transpose, bit-complement, hotspot, neighbour) "
          "with seeded Bernoulli injection",
          &decodeNocTraffic};
}

}  // namespace chipletsim
