#include "Simulation.h"

#include "CostModel.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <functional>

#include <systemc>

#include "ComputeConfig.h"
#include "NetworkConfig.h"
#include "NocConfig.h"

namespace chipletsim {

namespace {

Tick nowTicks() {
  return static_cast<Tick>(
      std::llround(sc_core::sc_time_stamp().to_seconds() * static_cast<double>(kTicksPerSecond)));
}

double summaryValue(const InstanceDecl& d, const std::string& row) {
  Summary s;
  d.spec->describe(s);
  const Summary::Row* r = s.find(row);
  return r ? r->value : 0.0;
}

double statValue(const StatGroup& g, const std::string& path) {
  const StatValue* v = g.lookup(path);
  return v ? v->value : 0.0;
}

/// Utilisation counters of every instance, read from the byte and busy counters the models
/// already keep (their stats), so that the models need no trace code.
void addUtilisationSources(const PlatformSpec& spec, Platform& platform,
                           UtilisationSampler& sampler) {
  using Series = UtilisationSampler::Series;
  for (const InstanceDecl& d : spec.instances) {
    Component* comp = platform.component(d.name);
    if (!comp) continue;
    if (d.kind == "hbm_stack") {
      StatGroup g;
      comp->reportStats(g);
      const StatGroup* chans = g.find("channels");
      if (!chans) continue;
      std::vector<std::string> paths;
      for (const auto& ch : chans->children())
        for (const auto& pc : ch->children())
          if (pc->value("bytes_read")) paths.push_back(ch->name() + "." + pc->name());
      if (paths.empty()) continue;
      const double perPc = statValue(g, "peak_bandwidth") / static_cast<double>(paths.size());
      std::vector<Series> series;
      for (const auto& p : paths) series.push_back({p, perPc});
      sampler.addSource(d.name, series, [comp, paths](std::vector<double>& v) {
        StatGroup now;
        comp->reportStats(now);
        const StatGroup* c = now.find("channels");
        for (std::size_t i = 0; i < paths.size(); ++i)
          v[i] =
              statValue(*c, paths[i] + ".bytes_read") + statValue(*c, paths[i] + ".bytes_written");
      });
    } else if (d.kind == "d2d_link") {
      StatGroup g;
      comp->reportStats(g);
      const double bw = statValue(g, "effective_bandwidth");
      if (!(bw > 0.0)) continue;
      sampler.addSource(d.name, {{"a_to_b", bw}, {"b_to_a", bw}}, [comp](std::vector<double>& v) {
        StatGroup now;
        comp->reportStats(now);
        v[0] = statValue(now, "a_to_b.data_bytes");
        v[1] = statValue(now, "b_to_a.data_bytes");
      });
    } else if (d.kind == "noc") {
      const auto* noc = dynamic_cast<const NocComponent*>(comp);
      const double eps = noc ? static_cast<double>(noc->spec().resolvedEndpoints().size()) : 0.0;
      const double capacity = summaryValue(d, "link_bandwidth") * eps;
      if (!(capacity > 0.0)) continue;
      sampler.addSource(d.name, {{"endpoints", capacity}}, [comp](std::vector<double>& v) {
        StatGroup now;
        comp->reportStats(now);
        double bytes = 0.0;
        if (const StatGroup* e = now.find("endpoints"))
          for (const auto& ep : e->children()) bytes += statValue(*ep, "bytes");
        v[0] = bytes;
      });
    } else if (d.kind == "network") {
      const auto* net = dynamic_cast<const NetworkComponent*>(comp);
      if (!net) continue;
      const NetworkPort* port = &net->port();
      // Busy time, not bytes: the port reserves a transfer when it is offered (loosely
      // timed), so its bytes run ahead of the wire; its busy time up to now does not.
      sampler.addSource(d.name, {{"send", 1.0}, {"receive", 1.0}}, [port](std::vector<double>& v) {
        const Tick now = nowTicks();
        const double perTick = 1.0 / static_cast<double>(kTicksPerSecond);
        v[0] = static_cast<double>(port->sendBusyTicks(now)) * perTick;
        v[1] = static_cast<double>(port->receiveBusyTicks(now)) * perTick;
      });
    } else if (d.kind == "compute_chiplet") {
      auto* cc = dynamic_cast<ComputeComponent*>(comp);
      if (!cc) continue;
      const ComputeChiplet* chip = &cc->chiplet();
      std::vector<Series> series{{"engines", 1.0}};
      for (int i = 0; i < chip->spec().dmaSlots(); ++i)
        series.push_back({"dma" + std::to_string(i), 1.0});
      sampler.addSource(chip->name(), series, [chip](std::vector<double>& v) {
        v[0] = chip->busySecondsSoFar();
        for (std::size_t i = 1; i < v.size(); ++i)
          v[i] = chip->dmaBusySeconds(static_cast<int>(i - 1));
      });
    }
  }
}

/// Runs the kernel until the workload reports completion, in growing slices: models with
/// periodic processes (refresh) never let the kernel run out of events on its own. With a
/// sampler the kernel also pauses at every sample time; it still checks for completion, and
/// stops, at the same times as without (stats that read the kernel's time, such as network
/// utilisation, stay identical).
void runKernel(WorkloadRun& run, const std::string& workload, UtilisationSampler* sampler,
               Tick sampleInterval, const std::function<void()>& afterSample) {
  using sc_core::sc_time;
  sc_time slice(1, sc_core::SC_US);
  const sc_time maxSlice(10, sc_core::SC_MS);
  sc_time boundary = slice;  // where the kernel next checks for completion
  const sc_time interval(static_cast<double>(sampleInterval), sc_core::SC_PS);
  sc_time nextSample = interval;
  bool sampling = sampler != nullptr;
  if (sampling) sampler->sample(nowTicks());
  for (;;) {
    const sc_time target = sampling && nextSample < boundary ? nextSample : boundary;
    sc_core::sc_start(target - sc_core::sc_time_stamp());
    const sc_time now = sc_core::sc_time_stamp();
    if (sampling && now >= nextSample) {
      if (run.finished()) {
        sampler->finish(nowTicks());
        sampling = false;
      } else {
        sampler->sample(nowTicks());
      }
      if (afterSample) afterSample();
      nextSample += interval;
    }
    if (now >= boundary) {
      if (run.finished()) break;
      if (!sc_core::sc_pending_activity())
        throw InternalError("simulation ran out of events before the workload '" + workload +
                            "' finished (deadlock)");
      if (slice < maxSlice) slice = slice * 2;
      boundary += slice;
    }
  }
  if (sampling) sampler->finish(nowTicks());
}

}  // namespace

std::vector<InstanceSummary> summarise(const PlatformSpec& platform) {
  std::vector<InstanceSummary> out;
  for (const auto& i : platform.instances) {
    InstanceSummary s{i.name, i.kind, {}};
    i.spec->describe(s.summary);
    out.push_back(std::move(s));
  }
  if (platform.packaging) {
    // The package itself, as a summary of its own: what it is built with and how full it is.
    InstanceSummary pkg{"package", "package", {}};
    pkg.summary.label("packaging", platform.packaging->name);
    if (platform.packageArea.si() > 0.0) {
      pkg.summary.add("package_area", toMm2(platform.packageArea), "mm2");
      pkg.summary.add("package_area_use", platform.packageArea / platform.packaging->maxArea, "1");
    }
    platform.packaging->describe(pkg.summary);
    out.push_back(std::move(pkg));
  }
  return out;
}

SimulationResult simulate(const PlatformSpec& platformSpec, const LoadedWorkload& workload,
                          const TraceRequest& traceRequest) {
  const auto wallStart = std::chrono::steady_clock::now();
  SimulationResult r;
  r.platformName = platformSpec.name;
  r.platformDescription = platformSpec.description;
  r.workloadName = workload.name;
  r.workloadKind = workload.kind;
  r.resultKind = workload.spec->resultKind();
  r.instances = summarise(platformSpec);
  workload.spec->describe(r.workload);
  for (const auto& i : r.instances)
    for (const auto& [k, v] : i.summary.labels)
      if (k == "fidelity") r.fidelity.emplace_back(i.name, v);

  std::ofstream traceOut;
  if (!traceRequest.file.empty()) {
    // Opened before the run, so that a path that cannot be written fails at once.
    traceOut.open(traceRequest.file, std::ios::binary | std::ios::trunc);
    if (!traceOut) throw ConfigError("cannot write the trace to '" + traceRequest.file + "'");
  }

  Platform platform(platformSpec);
  std::unique_ptr<WorkloadRun> run = workload.spec->build(platform);
  std::unique_ptr<TraceRecorder> trace;
  std::unique_ptr<UtilisationSampler> sampler;
  if (traceOut.is_open() || !traceRequest.vcdFile.empty()) {
    trace = std::make_unique<TraceRecorder>(traceRequest.options);
    sampler = std::make_unique<UtilisationSampler>(*trace);
    addUtilisationSources(platformSpec, platform, *sampler);
    if (traceOut.is_open()) run->attachTrace(*trace);
  }
  // The VCD: sc_trace watches a copy of the latest utilisation of every series, refreshed
  // after each sample; the kernel writes a change at its next time step.
  sc_core::sc_trace_file* vcd = nullptr;
  std::vector<double> vcdValues;
  std::function<void()> afterSample;
  if (!traceRequest.vcdFile.empty()) {
    std::string base = traceRequest.vcdFile;
    if (base.size() > 4 && base.compare(base.size() - 4, 4, ".vcd") == 0)
      base.resize(base.size() - 4);  // SystemC appends ".vcd"
    if (!std::ofstream(base + ".vcd"))
      throw ConfigError("cannot write the VCD to '" + traceRequest.vcdFile + "'");
    vcd = sc_core::sc_create_vcd_trace_file(base.c_str());
    vcd->set_time_unit(1, sc_core::SC_PS);  // the kernel's resolution: every time step representable
    vcdValues = sampler->latest();
    for (std::size_t i = 0; i < vcdValues.size(); ++i) {
      std::string name = sampler->seriesNames()[i];
      for (char& ch : name)
        if (ch == '/' || ch == '.') ch = '_';
      sc_core::sc_trace(vcd, vcdValues[i], name);
    }
    afterSample = [&vcdValues, &sampler] {
      std::copy(sampler->latest().begin(), sampler->latest().end(), vcdValues.begin());
    };
  }
  runKernel(*run, workload.name, sampler.get(), traceRequest.options.sampleInterval, afterSample);
  if (vcd) sc_core::sc_close_vcd_trace_file(vcd);
  if (traceOut.is_open()) {
    trace->write(traceOut);
    traceOut.close();
    if (!traceOut) throw ConfigError("failed writing the trace to '" + traceRequest.file + "'");
  }
  r.simulatedSeconds = run->simulatedSeconds();
  run->reportMetrics(r.metrics);
  reportPackageCost(platformSpec, r.metrics);
  platform.reportStats(r.stats);
  run->reportStats(r.stats.child("workload"));
  r.transactions = run->transactions();
  r.wallSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
  return r;
}

}  // namespace chipletsim
