#include "workload/PipelineSchedule.h"

#include <algorithm>

#include "common/Errors.h"

namespace chipletsim {

PipelineSchedule::PipelineSchedule(PipelineKind kind, int stages, int microBatches,
                                   int virtualStages)
    : m_kind(kind), m_stages(stages), m_microBatches(microBatches), m_virtual(virtualStages) {
  if (stages < 1 || microBatches < 1 || virtualStages < 1)
    throw SpecError("pipeline schedule: stages, micro-batches and virtual stages must be >= 1");
  m_order.resize(static_cast<std::size_t>(stages));
  if (kind == PipelineKind::kInterleaved && virtualStages > 1) {
    if (microBatches % stages != 0)
      throw SpecError("interleaved schedule: micro-batches must be a multiple of stages");
    buildInterleaved();
  } else {
    if (virtualStages != 1) throw SpecError("1F1B schedule has no virtual stages");
    build1F1B();
  }
}

void PipelineSchedule::build1F1B() {
  const int m = m_microBatches;
  for (int s = 0; s < m_stages; ++s) {
    auto& o = m_order[static_cast<std::size_t>(s)];
    const int warmup = std::min(m_stages - s - 1, m);
    for (int i = 0; i < warmup; ++i) o.push_back({true, i, 0});
    for (int i = 0; i < m - warmup; ++i) {
      o.push_back({true, warmup + i, 0});
      o.push_back({false, i, 0});
    }
    for (int i = m - warmup; i < m; ++i) o.push_back({false, i, 0});
  }
}

void PipelineSchedule::buildInterleaved() {
  // Megatron-LM's order: forward unit k runs chunk (k mod p v) / p of micro-batch
  // (k / p v) p + k mod p; backward units walk the chunks in reverse.
  const int p = m_stages;
  const int v = m_virtual;
  const int total = m_microBatches * v;
  auto slot = [&](int k, bool forward) {
    const int inGroup = k % (p * v);
    int chunk = inGroup / p;
    if (!forward) chunk = v - 1 - chunk;
    return PipelineSlot{forward, (k / (p * v)) * p + k % p, chunk};
  };
  for (int s = 0; s < p; ++s) {
    auto& o = m_order[static_cast<std::size_t>(s)];
    const int warmup = m_microBatches == p ? total : std::min(total, (p - s - 1) * 2 + (v - 1) * p);
    for (int k = 0; k < warmup; ++k) o.push_back(slot(k, true));
    for (int i = 0; i < total - warmup; ++i) {
      o.push_back(slot(warmup + i, true));
      o.push_back(slot(i, false));
    }
    for (int i = total - warmup; i < total; ++i) o.push_back(slot(i, false));
  }
}

const std::vector<PipelineSlot>& PipelineSchedule::order(int stage) const {
  return m_order.at(static_cast<std::size_t>(stage));
}

int PipelineSchedule::peakInFlight(int stage) const {
  int live = 0;
  int peak = 0;
  for (const PipelineSlot& s : order(stage)) {
    live += s.forward ? 1 : -1;
    peak = std::max(peak, live);
  }
  return peak;
}

PipelineTiming PipelineSchedule::simulate(double forward, double backward, double p2p) const {
  return simulate(std::vector<double>(static_cast<std::size_t>(m_stages), forward),
                  std::vector<double>(static_cast<std::size_t>(m_stages), backward), p2p);
}

PipelineTiming PipelineSchedule::simulate(const std::vector<double>& forward,
                                          const std::vector<double>& backward, double p2p) const {
  const int p = m_stages;
  if (forward.size() != static_cast<std::size_t>(p) || backward.size() != forward.size())
    throw InternalError("pipeline schedule: one forward and backward time per stage");
  const int v = m_virtual;
  const int m = m_microBatches;
  const int virtualStages = p * v;
  // done[pass][microBatch][virtual stage]: finish time, or -1 while not run.
  std::vector<double> done(static_cast<std::size_t>(2 * m * virtualStages), -1.0);
  auto at = [&](bool fwd, int mb, int vs) -> double& {
    return done[static_cast<std::size_t>(((fwd ? 0 : 1) * m + mb) * virtualStages + vs)];
  };
  std::vector<std::size_t> next(static_cast<std::size_t>(p), 0);
  std::vector<double> freeAt(static_cast<std::size_t>(p), 0.0);
  PipelineTiming t;
  t.busy.assign(static_cast<std::size_t>(p), 0.0);
  bool progress = true;
  std::size_t remaining = 0;
  for (const auto& o : m_order) remaining += o.size();
  while (remaining > 0) {
    if (!progress) throw InternalError("pipeline schedule deadlocks");
    progress = false;
    for (int s = 0; s < p; ++s) {
      const auto& o = m_order[static_cast<std::size_t>(s)];
      auto& i = next[static_cast<std::size_t>(s)];
      while (i < o.size()) {
        const PipelineSlot& slot = o[i];
        const int vs = slot.chunk * p + s;
        double ready = 0.0;
        if (slot.forward && vs > 0) {
          const double dep = at(true, slot.microBatch, vs - 1);
          if (dep < 0) break;
          ready = dep + p2p;
        } else if (!slot.forward) {
          const bool last = vs == virtualStages - 1;
          const double dep =
              last ? at(true, slot.microBatch, vs) : at(false, slot.microBatch, vs + 1);
          if (dep < 0) break;
          ready = dep + (last ? 0.0 : p2p);
        }
        const double len = (slot.forward ? forward : backward)[static_cast<std::size_t>(s)];
        const double start = std::max(ready, freeAt[static_cast<std::size_t>(s)]);
        freeAt[static_cast<std::size_t>(s)] = start + len;
        at(slot.forward, slot.microBatch, vs) = start + len;
        t.busy[static_cast<std::size_t>(s)] += len;
        t.makespan = std::max(t.makespan, start + len);
        ++i;
        --remaining;
        progress = true;
      }
    }
  }
  const double busiest = *std::max_element(t.busy.begin(), t.busy.end());
  t.bubbleFraction = t.makespan > 0 ? (t.makespan - busiest) / t.makespan : 0.0;
  return t;
}

double PipelineSchedule::analyticBubble(int stages, int microBatches, int virtualStages) {
  const double b = static_cast<double>(stages - 1) / virtualStages;
  return b / (microBatches + b);
}

}  // namespace chipletsim
