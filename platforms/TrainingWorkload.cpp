#include "TrainingWorkload.h"

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ComputeConfig.h"
#include "NetworkConfig.h"
#include "NocConfig.h"
#include "Platform.h"
#include "TransformerConfig.h"
#include "config/Reader.h"
#include "workload/TrainingDriver.h"
#include "workload/TransformerMath.h"

namespace chipletsim {

using config::MapReader;
using config::Node;

namespace {

const config::EnumTable<MappingMode> kMappings{{
    {"unified", MappingMode::kUnified},
    {"partitioned", MappingMode::kPartitioned},
}};

const config::EnumTable<CollectiveAlgorithm> kAlgorithms{{
    {"ring", CollectiveAlgorithm::kRing},
    {"tree", CollectiveAlgorithm::kTree},
}};

/// Sum of every value called `name` in `g` and below.
double sumNamed(const StatGroup& g, const std::string& name) {
  double s = 0.0;
  for (const StatValue& v : g.values())
    if (v.name == name) s += v.value;
  for (const auto& c : g.children()) s += sumNamed(*c, name);
  return s;
}

double summaryValue(const InstanceDecl& d, const std::string& row) {
  Summary s;
  d.spec->describe(s);
  const Summary::Row* r = s.find(row);
  return r ? r->value : 0.0;
}

/// One platform resource whose bytes and joules the driver samples around each segment.
struct Resource {
  std::string name;
  std::string kind;  // "hbm", "d2d", "noc", "network", "compute"
  double capacity;   // bytes per second the utilisation is measured against (0: none)
  std::function<std::pair<double, double>()> read;  // cumulative (bytes, joules)
  /// Why its joules are not counted ("" when they are): a resource without an energy
  /// figure is named in the results instead of adding a silent 0 J.
  std::string energyMissing = "";
};

class TrainingRun : public WorkloadRun {
 public:
  TrainingRun(const TransformerSpec& model, const TrainingDriverConfig& cfg,
              std::vector<ComputeChiplet*> dies, std::vector<DieMemory> memory,
              std::vector<Resource> resources, MemoryFootprint footprint, double capacity,
              std::vector<NetworkComponent*> nets)
      : m_model(model),
        m_dies(dies),
        m_resources(std::move(resources)),
        m_footprint(footprint),
        m_capacity(capacity),
        m_driver("training_driver", cfg, std::move(dies), std::move(memory), [this] {
          std::vector<double> v;
          for (const Resource& r : m_resources) {
            const auto [bytes, joules] = r.read();
            v.push_back(bytes);
            v.push_back(joules);
          }
          return v;
        }) {
    for (NetworkComponent* n : nets) {
      auto& socket = n->level() == NetworkLevel::kScaleUp ? m_driver.scale_up : m_driver.scale_out;
      socket.bind(n->port().in);
    }
    const Dtype d = model.precision == TrainingPrecision::kFp8 ? Dtype::kFp8 : Dtype::kBf16;
    for (ComputeChiplet* c : m_dies) m_peak += c->spec().compute.peakTensorFlops(d).si();
  }

  void reportMetrics(StatGroup& m) const override {
    const StepResult& r = m_driver.result();
    const double step = r.stepSeconds;
    const double tokens = static_cast<double>(m_model.tokensPerStep());
    const double packages = m_model.parallel.packages;
    const double tps = step > 0 ? tokens / step : 0.0;
    const double perPackage = tps / packages;
    const double mfpt = modelFlopsPerToken(m_model);
    const double hfpt = hardwareFlopsPerToken(m_model);
    m.add("step_time_s", step, "s");
    m.add("tokens_per_s", tps, "tokens/s", "whole system");
    m.add("tokens_per_s_per_package", perPackage, "tokens/s");
    m.add("model_flops_per_token", mfpt, "FLOP", "6 N + 12 L H Q T (PaLM)");
    m.add("achieved_flops", mfpt * perPackage, "FLOP/s", "model FLOP per package");
    m.add("peak_flops", m_peak, "FLOP/s", "dense, the training dtype, per package");
    m.add("mfu", m_peak > 0 ? mfpt * perPackage / m_peak : 0.0, "1");
    m.add("hfu", m_peak > 0 ? hfpt * perPackage / m_peak : 0.0, "1");
    StatGroup& b = m.child("breakdown_s");
    b.add("compute", r.breakdown.compute, "s");
    b.add("hbm_bound", r.breakdown.hbmBound, "s");
    b.add("d2d_bound", r.breakdown.d2dBound, "s");
    b.add("exposed_comm", r.breakdown.exposedComm, "s");
    b.add("pipeline_bubble", r.breakdown.pipelineBubble, "s");
    b.add("idle", r.breakdown.idle, "s");
    double energy = 0.0;
    std::map<std::string, double> byKind;
    std::string missing;
    StatGroup& u = m.child("utilisation");
    for (std::size_t i = 0; i < m_resources.size(); ++i) {
      const Resource& res = m_resources[i];
      const double bytes = 2 * i < r.counters.size() ? r.counters[2 * i] : 0.0;
      const double joules = 2 * i + 1 < r.counters.size() ? r.counters[2 * i + 1] : 0.0;
      if (res.energyMissing.empty()) {
        energy += joules;
        byKind[res.kind] += joules;
      } else {
        missing += (missing.empty() ? "" : ", ") + res.name + " (" + res.energyMissing + ")";
      }
      if (res.capacity > 0 && step > 0) u.add(res.name, bytes / (res.capacity * step), "1");
    }
    m.add("energy_j_per_step", energy, "J",
          missing.empty() ? "this package" : "this package; not counted: " + missing);
    m.add("energy_j_per_token", tokens > 0 ? energy * packages / tokens : 0.0, "J");
    StatGroup& e = m.child("energy_j_by_component");
    for (const auto& [kind, j] : byKind) e.add(kind, j, "J", "per step, this package");
    m.add("memory_footprint_bytes", m_footprint.total().si(), "B");
    StatGroup& f = m.child("footprint_bytes");
    f.add("weights", m_footprint.weights.si(), "B");
    f.add("gradients", m_footprint.gradients.si(), "B");
    f.add("optimizer_state", m_footprint.optimizerState.si(), "B");
    f.add("activations", m_footprint.activations.si(), "B");
    f.add("capacity", m_capacity, "B", "HBM of the package");
  }

  void reportStats(StatGroup& stats) const override {
    const StepResult& r = m_driver.result();
    stats.add("simulated_stage", m_driver.simulatedStage(), "index");
    stats.add("pipeline_makespan_s", r.makespan, "s");
    stats.add("pipeline_bubble_fraction", r.bubbleFraction, "1", "measured from the schedule");
    stats.add("pipeline_p2p_s", r.p2pSeconds, "s", "simulated send of one pass");
    stats.add("package_model_flops", r.modelFlops, "FLOP", "this package's ops, per step");
    stats.add("package_hardware_flops", r.hardwareFlops, "FLOP");
    stats.add("ops", static_cast<double>(m_driver.step().ops.size()), "count");
    StatGroup& sg = stats.child("segments");
    for (const SegmentResult& s : r.segments) {
      StatGroup& g = sg.child(s.name);
      g.add("seconds", s.seconds, "s");
      g.add("weight", s.weight, "count", "times it occurs in the step");
      g.add("compute", s.breakdown.compute, "s");
      g.add("hbm_bound", s.breakdown.hbmBound, "s");
      g.add("d2d_bound", s.breakdown.d2dBound, "s");
      g.add("exposed_comm", s.breakdown.exposedComm, "s");
      g.add("idle", s.breakdown.idle, "s");
    }
  }

  std::uint64_t transactions() const override {
    std::uint64_t n = m_driver.networkTransactions();
    for (const ComputeChiplet* c : m_dies) n += c->transactions();
    return n;
  }
  bool finished() const override { return m_driver.finished(); }
  double simulatedSeconds() const override { return m_driver.endSeconds(); }
  void attachTrace(TraceRecorder& trace) override { m_driver.setTrace(&trace); }

 private:
  TransformerSpec m_model;
  std::vector<ComputeChiplet*> m_dies;
  std::vector<Resource> m_resources;
  MemoryFootprint m_footprint;
  double m_capacity;
  double m_peak = 0.0;
  TrainingDriver m_driver;
};

class TrainingSpecHolder : public WorkloadSpec {
 public:
  TransformerSpec model;
  MappingMode mapping = MappingMode::kUnified;
  CollectiveAlgorithm algorithm = CollectiveAlgorithm::kRing;
  SourceLoc parallelLoc;     // where a model that does not fit the package is reported
  std::string parallelPath;  // (the `parallel` map, or the workload's top when it is absent)

  std::string resultKind() const override { return "training"; }

  std::unique_ptr<WorkloadRun> build(Platform& platform) const override {
    const PlatformSpec& ps = platform.spec();
    std::vector<ComputeChiplet*> dies;
    std::vector<DieMemory> memory;
    std::vector<Resource> resources;
    std::vector<NetworkComponent*> nets;
    TrainingDriverConfig cfg;
    cfg.model = model;
    cfg.mode = mapping;
    cfg.algorithm = algorithm;
    double capacity = 0.0;
    auto kindOf = [&](const std::string& inst) {
      const InstanceDecl* d = ps.instance(inst);
      return d ? d->kind : std::string();
    };
    auto target = [&](const std::string& inst, const std::string& port) -> const PortRef* {
      for (const Connection& c : ps.connections)
        if (c.from.instance == inst && c.from.port == port) return &c.to;
      return nullptr;
    };
    for (const InstanceDecl& d : ps.instances) {
      Component* comp = platform.component(d.name);
      if (d.kind == "hbm_stack") {
        capacity += static_cast<double>(comp->addressSpan("in"));
        resources.push_back({d.name, "hbm", summaryValue(d, "peak_bandwidth"), [comp] {
                               StatGroup g;
                               comp->reportStats(g);
                               const StatGroup* e = g.find("energy");
                               double joules = 0.0;
                               if (e)
                                 for (const StatValue& v : e->values()) joules += v.value;
                               return std::make_pair(
                                   g.value("bytes_read")->value + g.value("bytes_written")->value,
                                   joules);
                             }});
      } else if (d.kind == "d2d_link") {
        resources.push_back(
            {d.name, "d2d", 2.0 * summaryValue(d, "effective_bandwidth_per_direction"), [comp] {
               StatGroup g;
               comp->reportStats(g);
               return std::make_pair(sumNamed(g, "data_bytes"), g.value("energy")->value);
             }});
      } else if (d.kind == "noc") {
        auto* noc = dynamic_cast<NocComponent*>(comp);
        const double eps = static_cast<double>(noc->spec().resolvedEndpoints().size());
        resources.push_back({d.name, "noc", summaryValue(d, "link_bandwidth") * eps,
                             [comp] {
                               StatGroup g;
                               comp->reportStats(g);
                               const StatGroup* e = g.find("endpoints");
                               return std::make_pair(e ? sumNamed(*e, "bytes") : 0.0, 0.0);
                             },
                             "the NoC has no energy model"});
      } else if (d.kind == "network") {
        auto* n = dynamic_cast<NetworkComponent*>(comp);
        const bool up = n->level() == NetworkLevel::kScaleUp;
        if ((up && cfg.hasScaleUp) || (!up && cfg.hasScaleOut))
          throw ConfigError(d.loc, d.keyPath,
                            "a second network of level " +
                                std::string(up ? "scale_up" : "scale_out") +
                                "; the training workload uses one of each");
        (up ? cfg.hasScaleUp : cfg.hasScaleOut) = true;
        (up ? cfg.scaleUp : cfg.scaleOut) = n->port().spec();
        nets.push_back(n);
        const NetworkPort* port = &n->port();
        resources.push_back(
            {d.name, "network", n->port().spec().bandwidth.si(),
             [port] { return std::make_pair(port->bytesSent(), port->energy().si()); },
             port->spec().energyPerBit.si() > 0 ? "" : "no energy_per_bit"});
      } else if (d.kind == "compute_chiplet") {
        auto* cc = dynamic_cast<ComputeComponent*>(comp);
        ComputeChiplet* chip = &cc->chiplet();
        dies.push_back(chip);
        resources.push_back({d.name, "compute", 0.0, [chip] {
                               return std::make_pair(chip->bytesRead() + chip->bytesWritten(),
                                                     chip->energy().si());
                             }});
        memory.push_back(dieMemory(platform, d, target, kindOf));
      }
    }
    if (dies.empty())
      throw ConfigError(
          SourceLoc{ps.file, 0, 0}, "instances",
          "workload training: platform '" + ps.name + "' has no compute_chiplet instance");
    const MemoryFootprint fp = peakMemoryFootprint(model);
    try {
      requireFits("the model", fp, DataSize(capacity));
    } catch (const SpecError& e) {
      throw ConfigError(parallelLoc, parallelPath,
                        std::string(e.what()) + " on platform '" + ps.name +
                            "': shard it further (parallel.tp, pp, cp, sharding: "
                            "zero1..zero3) or recompute activations (training.recompute)");
    }
    try {
      return std::make_unique<TrainingRun>(model, cfg, dies, memory, std::move(resources), fp,
                                           capacity, nets);
    } catch (const SpecError& e) {
      throw ConfigError("workload training on '" + ps.name + "': " + e.what());
    }
  }

  void describe(Summary& out) const override {
    out.label("mapping", mapping == MappingMode::kUnified ? "unified" : "partitioned");
    out.label("collective_algorithm", algorithm == CollectiveAlgorithm::kRing ? "ring" : "tree");
    describeTransformer(model, out);
  }

 private:
  template <class Target, class KindOf>
  static DieMemory dieMemory(Platform& platform, const InstanceDecl& die, Target target,
                             KindOf kindOf) {
    DieMemory m;
    const PortRef* to = target(die.name, "mem");
    if (!to) throw ConfigError(die.loc, die.keyPath, "its `mem` port is not connected");
    const std::string k = kindOf(to->instance);
    Component* c = platform.component(to->instance);
    if (k == "hbm_stack") {
      m.local.push_back({0, c->addressSpan("in"), false});
    } else if (k == "noc") {
      auto* noc = dynamic_cast<NocComponent*>(c);
      std::uint64_t stackSize = 0;
      std::vector<MemoryRegion> remote;
      for (const noc::EndpointSpec& e : noc->spec().resolvedEndpoints()) {
        if (e.addressSize == 0) continue;
        const PortRef* out = target(to->instance, e.name + "_out");
        const std::string ok = out ? kindOf(out->instance) : "";
        if (ok == "hbm_stack") {
          m.local.push_back({e.addressBase, e.addressSize, false});
          stackSize = std::max(stackSize, e.addressSize);
        } else if (ok == "d2d_link") {
          remote.push_back({e.addressBase, e.addressSize, true});
        }
      }
      // A remote range covers the far die's stacks: split it so that interleaving gives
      // every stack of the package the same share.
      for (const MemoryRegion& r : remote) {
        const std::uint64_t n = stackSize > 0 ? std::max<std::uint64_t>(1, r.size / stackSize) : 1;
        for (std::uint64_t i = 0; i < n; ++i)
          m.peer.push_back({r.base + i * (r.size / n), r.size / n, true});
      }
    } else {
      throw ConfigError(to->loc, to->keyPath,
                        "a compute_chiplet's `mem` must lead to a noc or an hbm_stack");
    }
    if (m.local.empty())
      throw ConfigError(die.loc, die.keyPath, "reaches no hbm_stack through its `mem` port");
    m.all = m.local;
    m.all.insert(m.all.end(), m.peer.begin(), m.peer.end());
    return m;
  }
};

}  // namespace

std::unique_ptr<WorkloadSpec> decodeTrainingWorkload(const Node& root) {
  MapReader r(root);
  auto out = std::make_unique<TrainingSpecHolder>();
  out->mapping = r.optionalEnum("mapping", kMappings, MappingMode::kUnified);
  out->algorithm = r.optionalEnum("collective_algorithm", kAlgorithms, CollectiveAlgorithm::kRing);
  const Node* parallel = root.get("parallel");
  const Node& where = parallel ? *parallel : root;
  out->parallelLoc = where.loc();
  out->parallelPath = where.path();
  out->model = decodeTransformerSpec(r, "model");
  r.finish();
  return out;
}

WorkloadKind trainingKind() {
  return {"training",
          "one training step of a decoder-only transformer (TP/PP/DP/CP, ZeRO, recompute) "
          "on the platform's compute chiplets, HBM, D2D links and networks",
          &decodeTrainingWorkload};
}

}  // namespace chipletsim
