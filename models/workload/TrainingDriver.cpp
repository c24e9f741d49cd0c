// sc_spawn needs dynamic processes, enabled before the first SystemC include.
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "workload/TrainingDriver.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <utility>

#include "common/Errors.h"

namespace chipletsim {

namespace {

double now() {
  return sc_core::sc_time_stamp().to_seconds();
}

void waitSeconds(double s) {
  if (s > 0.0) sc_core::wait(sc_core::sc_time(s, sc_core::SC_SEC));
}

// Compute-only cost: the tiling models with a memory path that never limits; the DMA engines
// then move the bytes through the simulated fabric, which sets the memory side.
MemoryPath unlimitedMemory() {
  return {Bandwidth(1e30), Duration(0.0)};
}

Tick ticksOf(double seconds) {
  return static_cast<Tick>(std::llround(seconds * static_cast<double>(kTicksPerSecond)));
}

const char* phaseName(OpPhase p) {
  switch (p) {
    case OpPhase::kForward:
      return "forward";
    case OpPhase::kBackward:
      return "backward";
    case OpPhase::kRecompute:
      return "recompute";
    case OpPhase::kGradientSync:
      return "gradient sync";
    case OpPhase::kOptimizer:
      return "optimizer";
  }
  return "?";
}

const char* groupName(ParallelGroup g) {
  switch (g) {
    case ParallelGroup::kTensor:
      return "tensor";
    case ParallelGroup::kContext:
      return "context";
    case ParallelGroup::kData:
      return "data";
    case ParallelGroup::kPipeline:
      return "pipeline";
  }
  return "?";
}

const char* collectiveName(CollectiveKind k) {
  switch (k) {
    case CollectiveKind::kAllReduce:
      return "all_reduce";
    case CollectiveKind::kReduceScatter:
      return "reduce_scatter";
    case CollectiveKind::kAllGather:
      return "all_gather";
    case CollectiveKind::kSendRecv:
      return "send_recv";
  }
  return "?";
}

/// The slice name of a run of ops of one layer: "layer 12", or the op names' first part
/// ("embed", "head", "optimizer", ...) for ops outside the layers.
std::string layerName(const TrainingOp& op) {
  if (op.layer >= 0) return "layer " + std::to_string(op.layer);
  return op.name.substr(0, op.name.find('.'));
}

TrainingStep buildStep(const TrainingDriverConfig& c, std::size_t dies) {
  if (dies == 0) throw SpecError("training driver: needs at least one compute die");
  const bool partitioned = c.mode == MappingMode::kPartitioned && dies > 1;
  const TrainingStepBuilder builder(c.model, partitioned ? static_cast<int>(dies) : 1);
  return builder.build(c.model.parallel.pp - 1);
}

}  // namespace

void TimeBreakdown::addScaled(const TimeBreakdown& o, double k) {
  compute += k * o.compute;
  hbmBound += k * o.hbmBound;
  d2dBound += k * o.d2dBound;
  exposedComm += k * o.exposedComm;
  pipelineBubble += k * o.pipelineBubble;
  idle += k * o.idle;
}

TrainingDriver::TrainingDriver(sc_core::sc_module_name name, const TrainingDriverConfig& config,
                               std::vector<ComputeChiplet*> dies, std::vector<DieMemory> memory,
                               CounterProbe probe)
    : sc_core::sc_module(name),
      scale_up("scale_up"),
      scale_out("scale_out"),
      m_config(config),
      m_dies(std::move(dies)),
      m_memory(std::move(memory)),
      m_probe(std::move(probe)),
      m_step(buildStep(m_config, m_dies.size())) {
  if (m_dies.empty() || m_dies.size() != m_memory.size())
    throw SpecError("training driver: needs one memory map per compute die");
  const int d = static_cast<int>(m_dies.size());
  const bool partitioned = m_config.mode == MappingMode::kPartitioned && d > 1;
  ComputeSpec spec = m_dies[0]->spec().compute;
  if (!partitioned && d > 1) {
    // Unified: one kernel tiles over the engines and shared SRAM of every die.
    spec.tensorEngines *= d;
    spec.vectorEngines *= d;
    spec.sharedSram = spec.sharedSram * static_cast<double>(d);
    spec.sharedSramBandwidth = spec.sharedSramBandwidth * static_cast<double>(d);
    spec.dmaEngines *= d;
    m_costDies = d;
  }
  const OpCostModel costs(spec, unlimitedMemory());
  m_costs.resize(m_step.ops.size());
  for (const TrainingOp& op : m_step.ops) {
    if (op.kind != OpKind::kCommunication)
      m_costs[static_cast<std::size_t>(op.id)] = costs.cost(op);
    else if (op.comm.group.size / op.comm.group.perPackage > 1 && !m_config.hasScaleUp &&
             !m_config.hasScaleOut)
      throw SpecError("training driver: op '" + op.name + "' spans " +
                      std::to_string(op.comm.group.size / op.comm.group.perPackage) +
                      " packages but the platform has no scale_up or scale_out network");
    if (op.kind == OpKind::kCommunication && partitioned && op.comm.group.perPackage > 1)
      for (const DieMemory& m : m_memory)
        if (m.peer.empty())
          throw SpecError("training driver: partitioned mode needs a D2D path to a peer die");
  }
  m_arrived.assign(m_step.ops.size(), 0);
  m_barrier = std::vector<sc_core::sc_event>(m_step.ops.size());
  m_run.resize(static_cast<std::size_t>(d));
  for (DieRun& r : m_run) r.ops = std::vector<OpState>(m_step.ops.size());
  m_scratch.assign(static_cast<std::size_t>(std::ceil(m_dies[0]->spec().dmaChunk.si())), 0);
  SC_THREAD(run);
}

const std::vector<MemoryRegion>& TrainingDriver::regions(int die) const {
  const DieMemory& m = m_memory[static_cast<std::size_t>(die)];
  return m_config.mode == MappingMode::kUnified && !m.all.empty() ? m.all : m.local;
}

int TrainingDriver::levelFor(int span) const {
  if (m_config.hasScaleUp && span <= m_config.scaleUp.packages) return 0;
  if (m_config.hasScaleOut) return 1;
  return 0;
}

void TrainingDriver::parallel(std::vector<std::function<void()>> jobs) {
  sc_core::sc_event done;
  std::size_t left = jobs.size();
  for (auto& job : jobs)
    sc_core::sc_spawn(
        [&done, &left, job] {
          job();
          if (--left == 0) done.notify(sc_core::SC_ZERO_TIME);
        },
        sc_core::sc_gen_unique_name("job"));
  while (left > 0) sc_core::wait(done);
}

void TrainingDriver::netTransfer(int level, bool write, double bytes) {
  auto& socket = level == 0 ? scale_up : scale_out;
  const ComputeChipletSpec& cs = m_dies[0]->spec();
  const double chunk = cs.dmaChunk.si();
  const auto window = static_cast<std::size_t>(cs.prefetchChunks);
  std::deque<double> due;  // arrival of the chunks in flight, seconds
  tlm::tlm_generic_payload gp;
  for (double sent = 0.0; sent < bytes; sent += chunk) {
    if (due.size() >= window) {
      waitSeconds(due.front() - now());
      due.pop_front();
    }
    const auto len = static_cast<unsigned>(std::ceil(std::min(chunk, bytes - sent)));
    gp.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp.set_address(0);
    gp.set_data_ptr(m_scratch.data());
    gp.set_data_length(std::max(1u, len));
    gp.set_streaming_width(std::max(1u, len));
    gp.set_byte_enable_ptr(nullptr);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(gp, delay);
    if (gp.get_response_status() != tlm::TLM_OK_RESPONSE)
      throw InternalError(std::string(name()) +
                          ": network transfer failed: " + gp.get_response_string());
    ++m_netTransactions;
    due.push_back(now() + delay.to_seconds());
  }
  if (!due.empty()) waitSeconds(due.back() - now());
}

void TrainingDriver::networkStep(int die, double bytes, bool send, bool receive, int level,
                                 int hops) {
  const NetworkSpec& net = level == 0 ? m_config.scaleUp : m_config.scaleOut;
  if (hops > 1) waitSeconds((hops - 1) * net.latency.si());
  ComputeChiplet* c = m_dies[static_cast<std::size_t>(die)];
  const auto& regs = regions(die);
  std::vector<std::function<void()>> jobs;
  if (send) {
    jobs.emplace_back([c, &regs, bytes] { c->transfer(false, bytes, regs); });
    jobs.emplace_back([this, level, bytes] { netTransfer(level, true, bytes); });
  }
  if (receive) {
    jobs.emplace_back([this, level, bytes] { netTransfer(level, false, bytes); });
    jobs.emplace_back([c, &regs, bytes] { c->transfer(true, bytes, regs); });
  }
  parallel(std::move(jobs));
}

void TrainingDriver::d2dStep(int die, double bytes) {
  // Each die reads its block and writes it into the next die's memory; the previous die
  // does the same into ours (it runs the same step), so both directions carry traffic.
  ComputeChiplet* c = m_dies[static_cast<std::size_t>(die)];
  const DieMemory& m = m_memory[static_cast<std::size_t>(die)];
  parallel({[c, &m, bytes] { c->transfer(false, bytes, m.local); },
            [c, &m, bytes] { c->transfer(true, bytes, m.peer); }});
}

void TrainingDriver::runCollective(int die, const TrainingOp& op) {
  const CommOp& c = op.comm;
  const int d = static_cast<int>(m_dies.size());
  const bool partitioned = m_config.mode == MappingMode::kPartitioned && d > 1;
  // Unified: each die moves its share of the package's buffer.
  const double share = partitioned ? 1.0 : 1.0 / d;
  const int perPackage = std::max(1, c.group.perPackage);
  const int packages = std::max(1, c.group.size / perPackage);
  const int span = packages * std::max(1, c.group.stride);
  const int level = levelFor(span);
  const NetworkSpec& net = level == 0 ? m_config.scaleUp : m_config.scaleOut;
  const int hops = (m_config.hasScaleUp || m_config.hasScaleOut) ? net.hops(c.group.stride) : 1;
  if (c.kind == CollectiveKind::kSendRecv) {
    networkStep(die, c.bytes * share, !c.receive, c.receive, level, hops);
    return;
  }
  struct Phase {
    CollectiveCost cost;
    bool d2d;
  };
  std::vector<Phase> phases;
  if (partitioned && perPackage > 1) {
    const HierarchicalCost h =
        hierarchicalCollective(c.kind, m_config.algorithm, perPackage, packages, c.bytes);
    phases.push_back({h.insideFirst, true});
    phases.push_back({h.across, false});
    phases.push_back({h.insideLast, true});
  } else {
    phases.push_back({collectiveCost(c.kind, m_config.algorithm, packages, c.bytes), false});
  }
  const bool traceSteps = m_trace && m_trace->wants(TraceDetail::kOp);
  const int track = traceSteps ? traceTrack(die, static_cast<int>(c.group.kind)) : -1;
  for (const Phase& p : phases) {
    if (p.cost.steps <= 0 || p.cost.bandwidthBytes <= 0.0) continue;
    const double perStep = p.cost.bandwidthBytes / p.cost.steps * share;
    const char* where = p.d2d ? "d2d" : level == 0 ? "scale_up" : "scale_out";
    for (int s = 0; s < p.cost.steps; ++s) {
      const double t0 = now();
      if (p.d2d)
        d2dStep(die, perStep);
      else
        networkStep(die, perStep, true, true, level, hops);
      // A step ends when the package (every die's share) has sent and received its block.
      barrier(op.id);
      if (traceSteps)
        m_trace->slice(track, ticksOf(t0), ticksOf(now()), 5,
                       std::string(where) + " step " + std::to_string(s + 1) + "/" +
                           std::to_string(p.cost.steps),
                       "collective step", TraceArgs().add("bytes", perStep));
    }
  }
}

void TrainingDriver::waitDeps(int die, const TrainingOp& op, const std::vector<char>& inSegment,
                              double& exposed, double& idle) {
  DieRun& r = m_run[static_cast<std::size_t>(die)];
  for (int dep : op.deps) {
    const auto i = static_cast<std::size_t>(dep);
    if (!inSegment[i]) continue;
    const TrainingOp& d = m_step.ops[i];
    // Pipeline transfers between passes are timed by the schedule, not inside a pass.
    if (d.kind == OpKind::kCommunication && d.comm.group.kind == ParallelGroup::kPipeline) continue;
    const double t0 = now();
    while (!r.ops[i].done) sc_core::wait(r.ops[i].event);
    (d.kind == OpKind::kCommunication ? exposed : idle) += now() - t0;
  }
}

double TrainingDriver::barrier(int id) {
  // Unified mode: an op is one kernel (or one collective) spread over every die, done when
  // the last die has finished its share.
  if (m_config.mode != MappingMode::kUnified || m_dies.size() < 2) return 0.0;
  const auto i = static_cast<std::size_t>(id);
  const double t0 = now();
  if (++m_arrived[i] == static_cast<int>(m_dies.size())) {
    m_arrived[i] = 0;
    m_barrier[i].notify(sc_core::SC_ZERO_TIME);
    return 0.0;
  }
  sc_core::wait(m_barrier[i]);
  return now() - t0;
}

void TrainingDriver::computeStream(int die, const std::vector<int>& ops,
                                   const std::vector<char>& inSegment) {
  DieRun& r = m_run[static_cast<std::size_t>(die)];
  ComputeChiplet* chip = m_dies[static_cast<std::size_t>(die)];
  const double k = 1.0 / m_costDies;
  for (int id : ops) {
    const TrainingOp& op = m_step.ops[static_cast<std::size_t>(id)];
    waitDeps(die, op, inSegment, r.bd.exposedComm, r.bd.idle);
    OpState& s = r.ops[static_cast<std::size_t>(id)];
    s.start = now();
    const OpCost& c = m_costs[static_cast<std::size_t>(id)];
    const ExecuteTimes t = chip->execute(c.time, c.bytesRead * k, c.bytesWritten * k,
                                         (c.tensorFlops + c.vectorFlops) * k, regions(die));
    r.bd.compute += t.compute.si();
    r.bd.hbmBound += t.waitLocal.si();
    r.bd.d2dBound += t.waitRemote.si();
    r.bd.idle += barrier(id);  // waiting for slower dies: load imbalance
    s.end = now();
    if (m_trace) {
      TraceArgs args;
      if (m_trace->wants(TraceDetail::kOp))
        args.add("flops", (c.tensorFlops + c.vectorFlops) * k)
            .add("bytes_read", c.bytesRead * k)
            .add("bytes_written", c.bytesWritten * k)
            .add("compute_us", t.compute.si() * 1e6)
            .add("wait_local_us", t.waitLocal.si() * 1e6)
            .add("wait_remote_us", t.waitRemote.si() * 1e6);
      traceOp(die, -1, op, s.start, s.end, args);
    }
    s.done = true;
    s.event.notify(sc_core::SC_ZERO_TIME);
  }
  r.computeEnd = now();
}

void TrainingDriver::commStream(int die, const std::vector<int>& ops,
                                const std::vector<char>& inSegment) {
  DieRun& r = m_run[static_cast<std::size_t>(die)];
  for (int id : ops) {
    const TrainingOp& op = m_step.ops[static_cast<std::size_t>(id)];
    double unused = 0.0;
    waitDeps(die, op, inSegment, unused, unused);
    OpState& s = r.ops[static_cast<std::size_t>(id)];
    s.start = now();
    runCollective(die, op);
    barrier(id);
    s.end = now();
    if (m_trace) {
      TraceArgs args;
      if (m_trace->wants(TraceDetail::kOp))
        args.add("collective", collectiveName(op.comm.kind))
            .add("group", groupName(op.comm.group.kind))
            .add("group_size", op.comm.group.size)
            .add("bytes", op.comm.bytes);
      traceOp(die, static_cast<int>(op.comm.group.kind), op, s.start, s.end, args);
    }

    s.done = true;
    s.event.notify(sc_core::SC_ZERO_TIME);
    if (op.comm.group.kind != ParallelGroup::kPipeline) r.commEnd = std::max(r.commEnd, s.end);
  }
}

SegmentResult TrainingDriver::runSegment(const std::string& name, const std::vector<int>& ops,
                                         bool withComm) {
  SegmentResult out;
  out.name = name;
  std::vector<char> inSegment(m_step.ops.size(), 0);
  for (int id : ops) inSegment[static_cast<std::size_t>(id)] = 1;
  const std::vector<double> before = m_probe ? m_probe() : std::vector<double>{};
  const double t0 = now();
  if (m_stepStart < 0.0) m_stepStart = t0;
  const int d = static_cast<int>(m_dies.size());
  std::vector<std::function<void()>> streams;
  for (int die = 0; die < d; ++die) {
    DieRun& r = m_run[static_cast<std::size_t>(die)];
    r.bd = TimeBreakdown{};
    r.computeEnd = r.commEnd = t0;
    for (int id : ops) r.ops[static_cast<std::size_t>(id)].done = false;
    std::vector<int> compute;
    std::vector<std::vector<int>> comm(4);
    for (int id : ops) {
      const TrainingOp& op = m_step.ops[static_cast<std::size_t>(id)];
      if (op.kind == OpKind::kCommunication)
        comm[static_cast<std::size_t>(op.comm.group.kind)].push_back(id);
      else
        compute.push_back(id);
    }
    streams.emplace_back(
        [this, die, compute, &inSegment] { computeStream(die, compute, inSegment); });
    for (auto& c : comm)
      if (!c.empty())
        streams.emplace_back([this, die, c, &inSegment] { commStream(die, c, inSegment); });
  }
  parallel(std::move(streams));
  traceSegment(name, t0, now());
  double end = t0;
  for (const DieRun& r : m_run) end = std::max({end, r.computeEnd, withComm ? r.commEnd : t0});
  out.seconds = end - t0;
  for (const DieRun& r : m_run) {
    TimeBreakdown bd = r.bd;
    // After its last op the die waits for communication that is still running, or idles.
    const double tail = end - r.computeEnd;
    (withComm && r.commEnd > r.computeEnd ? bd.exposedComm : bd.idle) += std::max(0.0, tail);
    out.breakdown.addScaled(bd, 1.0 / d);
  }
  if (m_probe) {
    out.counters = m_probe();
    for (std::size_t i = 0; i < out.counters.size(); ++i) out.counters[i] -= before[i];
  }
  return out;
}

std::vector<double> TrainingDriver::perStagePassTimes(bool forward, double simulated,
                                                      int slot) const {
  const int pp = m_config.model.parallel.pp;
  std::vector<double> out(static_cast<std::size_t>(pp), simulated);
  if (pp == 1 || slot < 0) return out;
  // Other stages differ by their layer count and the embedding / head: scale the simulated
  // pass by the ratio of compute-only pass times from the tiling models.
  const int d = static_cast<int>(m_dies.size());
  const bool partitioned = m_config.mode == MappingMode::kPartitioned && d > 1;
  const TrainingStepBuilder builder(m_config.model, partitioned ? d : 1);
  ComputeSpec spec = m_dies[0]->spec().compute;
  spec.tensorEngines *= m_costDies;
  spec.vectorEngines *= m_costDies;
  const OpCostModel costs(spec, unlimitedMemory());
  const PipelineSlot& ref = m_step.schedule.order(m_step.stage)[static_cast<std::size_t>(slot)];
  auto passTime = [&](const TrainingStep& st) {
    const auto& order = st.schedule.order(st.stage);
    int idx = -1;
    for (std::size_t i = 0; i < order.size(); ++i)
      if (order[i].forward == forward && order[i].microBatch == ref.microBatch &&
          order[i].chunk == ref.chunk)
        idx = static_cast<int>(i);
    double t = 0.0;
    for (const TrainingOp& op : st.ops)
      if (op.slot == idx && op.kind != OpKind::kCommunication) t += costs.cost(op).time.si();
    return t;
  };
  const double mine = passTime(m_step);
  if (mine <= 0.0) return out;
  for (int s = 0; s < pp - 1; ++s)
    out[static_cast<std::size_t>(s)] = simulated * passTime(builder.build(s)) / mine;
  return out;
}

int TrainingDriver::traceTrack(int die, int stream) {
  const std::string thread =
      stream < 0 ? std::string("compute engines")
                 : std::string("collectives: ") + groupName(static_cast<ParallelGroup>(stream));
  m_traced.emplace(die, stream);
  return m_trace->track(m_dies[static_cast<std::size_t>(die)]->name(), thread);
}

void TrainingDriver::traceOp(int die, int stream, const TrainingOp& op, double start, double end,
                             const TraceArgs& args) {
  m_spans[{die, stream}].push_back(TraceSpan{op.id, start, end});
  if (m_trace->wants(TraceDetail::kOp))
    m_trace->slice(traceTrack(die, stream), ticksOf(start), ticksOf(end), 4, op.name,
                   phaseName(op.phase), args);
}

void TrainingDriver::traceSegment(const std::string& name, double start, double end) {
  if (!m_trace) return;
  for (int die = 0; die < static_cast<int>(m_dies.size()); ++die) traceTrack(die, -1);
  for (const auto& key : std::set<std::pair<int, int>>(m_traced)) {
    const int track = traceTrack(key.first, key.second);
    m_trace->slice(track, ticksOf(start), ticksOf(end), 1, name + " (simulated)", "segment");
    if (!m_trace->wants(TraceDetail::kLayer)) continue;
    const std::vector<TraceSpan>& spans = m_spans[key];
    // Runs of consecutive ops of one layer, and inside them runs of one phase: the spans of
    // a stream follow each other, so the runs nest and never overlap.
    for (std::size_t i = 0; i < spans.size();) {
      const TrainingOp& first = m_step.ops[static_cast<std::size_t>(spans[i].op)];
      std::size_t j = i;
      while (j < spans.size() &&
             m_step.ops[static_cast<std::size_t>(spans[j].op)].layer == first.layer &&
             layerName(m_step.ops[static_cast<std::size_t>(spans[j].op)]) == layerName(first))
        ++j;
      m_trace->slice(track, ticksOf(spans[i].start), ticksOf(spans[j - 1].end), 2, layerName(first),
                     "layer");
      for (std::size_t a = i; a < j;) {
        const OpPhase phase = m_step.ops[static_cast<std::size_t>(spans[a].op)].phase;
        std::size_t b = a;
        while (b < j && m_step.ops[static_cast<std::size_t>(spans[b].op)].phase == phase) ++b;
        m_trace->slice(track, ticksOf(spans[a].start), ticksOf(spans[b - 1].end), 3,
                       phaseName(phase), "phase");
        a = b;
      }
      i = j;
    }
  }
  m_spans.clear();
}

void TrainingDriver::traceStep(double start, double end) {
  if (!m_trace) return;
  const StepResult& r = m_result;
  for (const auto& key : std::set<std::pair<int, int>>(m_traced)) {
    TraceArgs args;
    args.add("step_time_s", r.stepSeconds)
        .add("pipeline_makespan_s", r.makespan)
        .add("pipeline_bubble_fraction", r.bubbleFraction)
        .add("note",
             "the segments are simulated once each; the step time adds their repeats "
             "and the pipeline schedule");
    m_trace->slice(traceTrack(key.first, key.second), ticksOf(start), ticksOf(end), 0,
                   "training step", "step", args);
  }
}

void TrainingDriver::run() {
  const TransformerSpec& s = m_config.model;
  const int m = s.microBatchesPerStep();
  const int vpp = s.parallel.vpp;
  const auto& order = m_step.schedule.order(m_step.stage);
  // A steady-state micro-batch (not the last, whose backward carries the gradient
  // reduction) on the chunk holding the stage's last layers.
  const int mbSel = (m - 1) / 2;
  const int chunkSel = vpp - 1;
  int slotF = -1, slotB = -1;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (order[i].microBatch != mbSel || order[i].chunk != chunkSel) continue;
    (order[i].forward ? slotF : slotB) = static_cast<int>(i);
  }
  const int slotT = static_cast<int>(order.size()) - 1;
  const int passes = m * vpp;
  std::vector<int> opsF, opsB, opsT;
  for (const TrainingOp& op : m_step.ops) {
    const bool lastSync = op.phase == OpPhase::kGradientSync && op.microBatch == m - 1;
    if (op.slot == slotT || op.slot == -1 || lastSync)
      opsT.push_back(op.id);
    else if (op.slot == slotF)
      opsF.push_back(op.id);
    else if (op.slot == slotB && passes > 1)
      opsB.push_back(op.id);
  }

  SegmentResult f = runSegment("forward", opsF, false);
  f.weight = passes;
  // The pipeline send at the end of a pass, as simulated: the schedule's p2p delay.
  double p2p = 0.0;
  for (int id : opsF) {
    const TrainingOp& op = m_step.ops[static_cast<std::size_t>(id)];
    if (op.kind == OpKind::kCommunication && op.comm.group.kind == ParallelGroup::kPipeline) {
      const OpState& st = m_run[0].ops[static_cast<std::size_t>(id)];
      p2p = std::max(p2p, st.end - st.start);
    }
  }
  SegmentResult b;
  const bool haveB = passes > 1 && !opsB.empty();
  if (haveB) {
    b = runSegment("backward", opsB, false);
    b.weight = passes - 1;
  }
  SegmentResult t = runSegment("tail", opsT, true);
  t.weight = 1;
  const double bSeconds = haveB ? b.seconds : t.seconds;

  const PipelineTiming timing =
      m_step.schedule.simulate(perStagePassTimes(true, f.seconds, slotF),
                               perStagePassTimes(false, bSeconds, haveB ? slotB : slotT), p2p);
  StepResult& r = m_result;
  r.makespan = timing.makespan;
  r.bubbleFraction = timing.bubbleFraction;
  r.p2pSeconds = p2p;
  r.breakdown.addScaled(f.breakdown, f.weight);
  if (haveB) r.breakdown.addScaled(b.breakdown, b.weight);
  r.breakdown.addScaled(t.breakdown, t.weight);
  const double busy = r.breakdown.total();
  // The bubble is the time the busiest stage sits idle in the schedule: exactly zero with one
  // stage, where the schedule's makespan is the very sum of its pass times. A simulated stage
  // lighter than the busiest (uneven layers, embedding against head) also waits for the
  // others: load imbalance, counted as idle. So the step is the schedule's makespan plus
  // what the tail adds beyond a plain backward pass, never less.
  const double busiest =
      timing.busy.empty() ? 0.0 : *std::max_element(timing.busy.begin(), timing.busy.end());
  const double mine =
      timing.busy.empty() ? 0.0 : timing.busy[static_cast<std::size_t>(m_step.stage)];
  const double imbalance = std::max(0.0, busiest - mine);
  r.breakdown.pipelineBubble = std::max(0.0, timing.makespan - busiest);
  r.breakdown.idle += imbalance;
  r.stepSeconds = busy + r.breakdown.pipelineBubble + imbalance;
  r.segments = {f};
  if (haveB) r.segments.push_back(b);
  r.segments.push_back(t);
  for (const SegmentResult& sg : r.segments) {
    if (r.counters.size() < sg.counters.size()) r.counters.resize(sg.counters.size(), 0.0);
    for (std::size_t i = 0; i < sg.counters.size(); ++i)
      r.counters[i] += sg.weight * sg.counters[i];
  }
  const double dies = m_config.mode == MappingMode::kPartitioned ? m_step.dies : 1;
  r.modelFlops = m_step.modelFlops() * dies;
  r.hardwareFlops = m_step.hardwareFlops() * dies;
  m_endSeconds = now();
  traceStep(m_stepStart, m_endSeconds);
  m_finished = true;
}

}  // namespace chipletsim
