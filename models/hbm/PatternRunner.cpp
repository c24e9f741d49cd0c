#include "hbm/PatternRunner.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <random>
#include <vector>

#include "common/Errors.h"
#include "hbm/PseudoChannelController.h"

namespace chipletsim::hbm {

PatternRunner::PatternRunner(const HbmSpec& spec) : m_spec(spec) {
  m_spec.validate();
}

PatternResult PatternRunner::run(const AccessPattern& p) const {
  if (p.outstanding < 1 || p.requestBytes == 0 || p.requests == 0)
    throw SpecError("PatternRunner: pattern needs requests, bytes and outstanding >= 1");
  PseudoChannelController ctrl(m_spec, 0);
  const auto pcBytes = static_cast<std::uint64_t>(m_spec.org.capacity.si()) /
                       static_cast<std::uint64_t>(m_spec.pseudoChannels());
  const std::uint64_t slots = pcBytes / p.requestBytes;
  std::mt19937_64 rng(p.seed);
  std::uniform_int_distribution<std::uint64_t> slot(0, slots - 1);
  // Reads stream from the bottom, writes from the middle, so that copy touches two regions.
  std::uint64_t nextRead = 0, nextWrite = (slots / 2) * p.requestBytes;
  double readCredit = 0.0;
  std::uint64_t issued = 0;

  auto make = [&](Tick at) {
    PseudoChannelController::Request r;
    readCredit += p.readFraction;
    r.write = readCredit < 1.0 - 1e-12;
    if (!r.write) readCredit -= 1.0;
    r.bytes = p.requestBytes;
    r.arrival = at;
    r.id = issued++;
    if (p.sequential) {
      std::uint64_t& next = r.write ? nextWrite : nextRead;
      r.localAddr = next % (slots * p.requestBytes);
      next += p.requestBytes;
    } else {
      r.localAddr = slot(rng) * p.requestBytes;
    }
    return r;
  };

  using Arrival = std::pair<Tick, std::uint64_t>;  // (tick, order) keeps ties deterministic
  std::priority_queue<Arrival, std::vector<Arrival>, std::greater<>> arrivals;
  std::uint64_t order = 0;
  for (int i = 0; i < p.outstanding && static_cast<std::uint64_t>(i) < p.requests; ++i)
    arrivals.push({0, order++});
  std::uint64_t completed = 0;
  Tick last = 0;
  while (completed < p.requests) {
    const Tick ctrlNext = ctrl.nextEventTick();
    if (!arrivals.empty() && arrivals.top().first <= ctrlNext) {
      const Tick at = arrivals.top().first;
      arrivals.pop();
      ctrl.enqueue(make(at));
    } else if (ctrlNext != PseudoChannelController::kNever) {
      ctrl.advanceTo(ctrlNext);
    } else {
      throw InternalError("PatternRunner: controller idle with requests outstanding");
    }
    for (const auto& c : ctrl.completions()) {
      ++completed;
      last = std::max(last, c.done);
      if (issued + arrivals.size() < p.requests) arrivals.push({c.done, order++});
    }
    ctrl.completions().clear();
  }
  PatternResult res;
  res.bytes = static_cast<double>(ctrl.bytesRead() + ctrl.bytesWritten());
  res.elapsed = last;
  res.bandwidth = res.bytes / (static_cast<double>(last) / static_cast<double>(kTicksPerSecond));
  res.efficiency = res.bandwidth / m_spec.peakPerPseudoChannel().si();
  res.meanLatencyNs = ctrl.latencyNs().mean();
  res.activates = ctrl.activates();
  res.refreshes = ctrl.refreshes();
  res.rowHitRate = ctrl.rowHitRate();
  return res;
}

}  // namespace chipletsim::hbm
