#include "hbm/FastMemoryModel.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <tuple>

namespace chipletsim::hbm {

namespace {
constexpr std::size_t kRecentEnds = 16;              // concurrent sequential streams recognised
constexpr std::size_t kHistory = 64;                 // transactions in the read-share window
constexpr std::uint64_t kCalibrationBursts = 40000;  // ~50 us of HBM3 data: >10 tREFI

std::uint32_t roundUpPow2(std::uint64_t v) {
  std::uint32_t p = 1;
  while (p < v) p <<= 1;
  return p;
}
}  // namespace

double FastMemoryModel::Calibration::efficiencyAt(double n) const {
  // Piecewise linear in the depth between the measured points; saturated beyond them.
  const std::size_t m = efficiencyAtDepth.size();
  if (m == 0 || n >= kDepths[m - 1]) {
    const double last = m ? efficiencyAtDepth[m - 1] : efficiency;
    if (m == 0) return efficiency;
    const double lastDepth = kDepths[m - 1];
    const double saturatedDepth = 4.0 * lastDepth;  // calibrated at >= 2 queues in flight
    if (n >= saturatedDepth) return efficiency;
    return last + (efficiency - last) * (n - lastDepth) / (saturatedDepth - lastDepth);
  }
  if (n <= kDepths[0]) return efficiencyAtDepth[0];
  std::size_t i = 1;
  while (kDepths[i] < n) ++i;
  const double d0 = kDepths[i - 1], d1 = kDepths[i];
  return efficiencyAtDepth[i - 1] +
         (efficiencyAtDepth[i] - efficiencyAtDepth[i - 1]) * (n - d0) / (d1 - d0);
}

bool FastMemoryModel::PatternKey::operator<(const PatternKey& o) const {
  return std::tie(sequential, readQuarters, requestBytes) <
         std::tie(o.sequential, o.readQuarters, o.requestBytes);
}

FastMemoryModel::FastMemoryModel(const HbmSpec& spec)
    : m_spec(spec),
      m_mapper(spec),
      m_pcPeak(spec.peakPerPseudoChannel()),
      m_refi(toTicks(spec.timing.tREFI)),
      m_pcs(static_cast<std::size_t>(spec.pseudoChannels())),
      m_recentEnds(kRecentEnds, ~0ull),
      m_history(kHistory) {
  m_spec.validate();
  // Refreshes are staggered like the bank-level controllers': pseudo-channel i first
  // refreshes at tREFI + tREFI x i / pseudo-channels.
  for (std::size_t i = 0; i < m_pcs.size(); ++i)
    m_pcs[i].firstRefresh = m_pcs[i].nextRefresh = m_refi + m_refi * i / m_pcs.size();
}

FastMemoryModel::Calibration FastMemoryModel::calibrate(const HbmSpec& spec,
                                                        const PatternKey& key) {
  // Process-wide memo: a pure function of (spec, key), so sharing it cannot change results.
  static std::mutex mutex;
  static std::map<std::string, Calibration> cache;
  const std::string cacheKey = spec.timingKey() + "|" + std::to_string(key.sequential) + "," +
                               std::to_string(key.readQuarters) + "," +
                               std::to_string(key.requestBytes);
  {
    std::lock_guard<std::mutex> lock(mutex);
    const auto it = cache.find(cacheKey);
    if (it != cache.end()) return it->second;
  }
  // All-bank refresh is served as explicit blackouts of the pseudo-channel (refreshAdjusted),
  // so it is measured out of the calibration; per-bank refresh stays inside it.
  HbmSpec measured = spec;
  if (measured.controller.refresh == RefreshMode::kAllBank)
    measured.controller.refresh = RefreshMode::kNone;
  PatternRunner runner(measured);
  const std::uint64_t access = spec.accessBytes();
  const std::uint64_t burstsPerRequest = std::max<std::uint64_t>(1, key.requestBytes / access);
  AccessPattern p;
  p.sequential = key.sequential;
  p.readFraction = key.readQuarters / 4.0;
  p.requestBytes = key.requestBytes;
  // Saturate: twice the scheduler depth in flight.
  p.outstanding = static_cast<int>(
      std::max<std::uint64_t>(2, 2 * spec.controller.queueDepth / burstsPerRequest + 1));
  p.requests = std::max<std::uint64_t>(1000, kCalibrationBursts / burstsPerRequest);
  p.seed = 1;
  const PatternResult loaded = runner.run(p);
  Calibration c;
  c.refreshBlackoutNs = 0;
  if (spec.controller.refresh == RefreshMode::kAllBank) {
    // What all-bank refresh costs this pattern in the bank model: tRFC plus draining and
    // re-opening rows around it. Served as one blackout of that length every tREFI.
    const PatternResult refreshed = PatternRunner(spec).run(p);
    const double lost = std::max(0.0, 1.0 - refreshed.efficiency / loaded.efficiency);
    c.refreshBlackoutNs = std::max(toNs(spec.timing.tRFCab), lost * toNs(spec.timing.tREFI));
  }
  for (int depth : kDepths) {
    AccessPattern d = p;
    d.outstanding = depth;
    d.requests = std::max<std::uint64_t>(500, kCalibrationBursts / 2 / burstsPerRequest);
    c.efficiencyAtDepth.push_back(runner.run(d).efficiency);
  }
  p.outstanding = 1;
  p.requests = 500;
  const PatternResult alone = runner.run(p);
  c.efficiency = loaded.efficiency;
  c.unloadedLatencyNs = alone.meanLatencyNs;
  c.rowHitRate = loaded.rowHitRate;
  c.requestBytes = key.requestBytes;
  std::lock_guard<std::mutex> lock(mutex);
  cache.emplace(cacheKey, c);
  return c;
}

FastMemoryModel::PatternKey FastMemoryModel::classify(std::uint64_t addr, std::uint64_t len,
                                                      bool write) {
  PatternKey k{};
  // Sequential when it continues where a recent transaction ended.
  const auto hit = std::find(m_recentEnds.begin(), m_recentEnds.end(), addr);
  k.sequential = hit != m_recentEnds.end();
  if (k.sequential) {
    *hit = addr + len;
  } else {
    m_recentEnds[m_recentHead] = addr + len;
    m_recentHead = (m_recentHead + 1) % m_recentEnds.size();
  }
  // Read share over the last kHistory transactions, this one included.
  if (m_historyCount == kHistory) {
    m_historyReads -= m_history[m_historyHead] ? 1 : 0;
  } else {
    ++m_historyCount;
  }
  m_history[m_historyHead] = !write;
  m_historyReads += write ? 0 : 1;
  m_historyHead = (m_historyHead + 1) % kHistory;
  k.readQuarters = static_cast<int>(
      std::lround(4.0 * static_cast<double>(m_historyReads) / static_cast<double>(m_historyCount)));
  const std::uint64_t perPc = std::min<std::uint64_t>(len, m_mapper.interleave());
  k.requestBytes =
      std::max<std::uint32_t>(roundUpPow2(perPc), static_cast<std::uint32_t>(m_spec.accessBytes()));
  return k;
}

Tick FastMemoryModel::serve(Tick arrival, std::uint64_t addr, std::uint64_t len, bool write) {
  const PatternKey key = classify(addr, len, write);
  auto it = m_used.find(key);
  if (it == m_used.end()) it = m_used.emplace(key, calibrate(m_spec, key)).first;
  const Calibration& cal = it->second;
  const double missRate = 1.0 - cal.rowHitRate;
  const double access = static_cast<double>(m_spec.accessBytes());
  // No request finishes sooner than a lone one does (tRCD + CL + burst + front-end for a
  // miss): the latency floor measured by the bank model with one request in flight.
  const Tick floor = toTicks(nanoseconds(cal.unloadedLatencyNs));
  const Tick blackout = toTicks(nanoseconds(cal.refreshBlackoutNs));

  const std::uint64_t il = m_mapper.interleave();
  const auto n = static_cast<std::uint64_t>(m_pcs.size());
  const std::uint64_t end = addr + len;
  const std::uint64_t bs = addr / il, be = (end - 1) / il;
  // Picoseconds per byte at the peak rate; the efficiency the bank model reached with as
  // many requests in flight at the pseudo-channel (this one included) scales it.
  const double psPerPeakByte = 1e12 / m_pcPeak.si();
  Tick done = arrival;
  auto serveOn = [&](std::uint64_t pc, std::uint64_t bytes) {
    Pc& p = m_pcs[pc];
    // In flight at `arrival`: arrived by then and not yet done. Transfers done by the
    // floor can be in flight for no later request.
    while (p.first < p.inFlight.size() && p.inFlight[p.first].done <= m_floor) {
      if (p.first >= p.head) {
        p.headBytes -= p.inFlight[p.first].bytes;
        p.head = p.first + 1;
      }
      ++p.first;
    }
    if (p.first >= 64 && 2 * p.first >= p.inFlight.size()) {
      p.inFlight.erase(p.inFlight.begin(),
                       p.inFlight.begin() + static_cast<std::ptrdiff_t>(p.first));
      p.head -= p.first;
      p.first = 0;
    }
    std::uint64_t inFlightBytes = bytes;
    // Every gap between bookings ends at or before the latest arrival, so a request
    // arriving no earlier than that (always, in time order) starts after every booking.
    const bool inOrder = arrival >= p.latestArrival;
    if (inOrder) {
      p.latestArrival = arrival;
      while (p.head < p.inFlight.size() && p.inFlight[p.head].done <= arrival)
        p.headBytes -= p.inFlight[p.head++].bytes;
      inFlightBytes += p.headBytes;
    } else {
      for (std::size_t k = p.first; k < p.inFlight.size(); ++k) {
        const Pc::Transfer& f = p.inFlight[k];
        if (f.arrival <= arrival && f.done > arrival) inFlightBytes += f.bytes;
      }
    }
    const double depth = static_cast<double>(inFlightBytes) / static_cast<double>(cal.requestBytes);
    const auto service = static_cast<Tick>(
        std::ceil(static_cast<double>(bytes) * psPerPeakByte / cal.efficiencyAt(depth) - 1e-6));
    p.calendar.forget(m_floor);
    Tick start = inOrder ? std::max(arrival, p.freeAt) : p.calendar.find(arrival, service);
    Tick end = 0;
    while (true) {
      if (start >= p.freeAt) {
        // After every booking (always, when requests come in time order): the FIFO server.
        end = refreshAdjusted(p.nextRefresh, start, service, blackout);
        break;
      }
      // In a gap before a later booking: it must hold the transfer and any refresh
      // blackout the transfer crosses.
      Tick next = refreshNotBehind(p, start, blackout);
      end = refreshAdjusted(next, start, service, blackout);
      const Tick fits = p.calendar.find(start, end - start);
      if (fits == start) break;
      start = fits;
    }
    p.calendar.insert(start, end - start);
    p.queueDelaySum += static_cast<double>(start - arrival);
    p.queueDelayMax = std::max(p.queueDelayMax, start - arrival);
    p.freeAt = std::max(p.freeAt, end);
    p.busy += service;
    ++p.transfers;
    (write ? p.written : p.read) += bytes;
    p.activates += missRate * static_cast<double>(bytes) / access;
    const Tick pcDone = std::max(end, arrival + floor);
    p.inFlight.push_back(Pc::Transfer{arrival, pcDone, bytes});
    p.headBytes += bytes;
    done = std::max(done, pcDone);
  };
  // Blocks bs..be go round-robin over the pseudo-channels starting at bs % n: the k-th
  // pseudo-channel from there gets q or q + 1 of them; the first and last may be partial.
  const std::uint64_t blocks = be - bs + 1;
  const std::uint64_t q = blocks / n, rem = blocks % n, first = bs % n;
  const std::uint64_t lastK = (blocks - 1) % n;
  const std::uint64_t headCut = addr - bs * il, tailCut = (be + 1) * il - end;
  std::uint64_t pc = first;
  for (std::uint64_t k = 0; k < std::min(n, blocks); ++k) {
    std::uint64_t bytes = (q + (k < rem ? 1 : 0)) * il;
    if (k == 0) bytes -= headCut;
    if (k == lastK) bytes -= tailCut;
    serveOn(pc, bytes);
    if (++pc == n) pc = 0;
  }
  const double ns = static_cast<double>(done - arrival) / static_cast<double>(kTicksPerNs);
  m_latency.add(ns);
  return done;
}

Tick FastMemoryModel::refreshNotBehind(const Pc& p, Tick t, Tick blackout) const {
  if (t < p.firstRefresh + blackout) return p.firstRefresh;
  return p.firstRefresh + ((t - p.firstRefresh - blackout) / m_refi + 1) * m_refi;
}

Tick FastMemoryModel::refreshAdjusted(Tick& nextRefresh, Tick start, Tick service,
                                      Tick blackout) const {
  if (m_spec.controller.refresh != RefreshMode::kAllBank) return start + service;
  // nextRefresh: start of the first blackout [r, r + tRFC) not yet behind the server.
  // Starts after the latest booking never go backwards, so it only moves forward.
  Tick t = start;
  Tick left = service;
  if (t >= nextRefresh + blackout) {
    nextRefresh += (t - nextRefresh - blackout) / m_refi * m_refi;  // skip idle refreshes
    while (nextRefresh + blackout <= t) nextRefresh += m_refi;
  }
  while (true) {
    if (t >= nextRefresh) {  // inside a refresh: wait it out
      t = nextRefresh + blackout;
      nextRefresh += m_refi;
    }
    if (t + left <= nextRefresh) return t + left;
    left -= nextRefresh - t;  // served up to the refresh, the rest after it
    t = nextRefresh + blackout;
    nextRefresh += m_refi;
  }
}

void FastMemoryModel::reportPseudoChannel(StatGroup& g, int pc, Tick horizon) const {
  const Pc& p = m_pcs[static_cast<std::size_t>(pc)];
  const double seconds = static_cast<double>(horizon) / static_cast<double>(kTicksPerSecond);
  const double bytes = static_cast<double>(p.read + p.written);
  const double bw = seconds > 0 ? bytes / seconds : 0.0;
  g.add("bytes_read", static_cast<double>(p.read), "B");
  g.add("bytes_written", static_cast<double>(p.written), "B");
  g.add("bandwidth", bw, "B/s", "achieved over the simulated time");
  g.add("efficiency", bw / m_spec.peakPerPseudoChannel().si(), "1", "achieved / peak");
  g.add("activates", p.activates, "count", "estimated from the calibrated row-hit rate");
  const double refreshes =
      m_spec.refreshNeeded() ? static_cast<double>(horizon) / toTicks(m_spec.timing.tREFI) : 0;
  g.add("refreshes", refreshes, "count", "all-bank equivalents over the simulated time");
  g.add("utilisation", horizon ? static_cast<double>(p.busy) / static_cast<double>(horizon) : 0.0,
        "1", "busy share of the calibrated server");
  g.add("queue_delay_mean",
        p.transfers ? p.queueDelaySum / static_cast<double>(p.transfers) / kTicksPerNs : 0.0, "ns");
  g.add("queue_delay_max", static_cast<double>(p.queueDelayMax) / kTicksPerNs, "ns");
  const HbmEnergy& e = m_spec.energy;
  StatGroup& eg = g.child("energy");
  const double act = p.activates * e.activate.si();
  const double rd = static_cast<double>(p.read) * 8 * e.read.si();
  const double wr = static_cast<double>(p.written) * 8 * e.write.si();
  const double ref = refreshes * e.refreshAllBank.si();
  const double io = bytes * 8 * e.io.si();
  eg.add("activate", act, "J");
  eg.add("read", rd, "J");
  eg.add("write", wr, "J");
  eg.add("refresh", ref, "J");
  eg.add("io", io, "J");
  eg.add("total", act + rd + wr + ref + io, "J");
}

}  // namespace chipletsim::hbm
