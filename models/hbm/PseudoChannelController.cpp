#include "hbm/PseudoChannelController.h"

#include <algorithm>
#include <array>
#include <tuple>

#include "common/Errors.h"

namespace chipletsim::hbm {

namespace {
bool isRowCommand(Command c) {
  return c == Command::kActivate || c == Command::kPrecharge;
}
}  // namespace

PseudoChannelController::PseudoChannelController(const HbmSpec& spec, int index)
    : m_spec(spec),
      m_mapper(spec),
      m_core(HbmTimingTicks::from(spec), spec.org.bankGroups, spec.org.banksPerGroup),
      m_burst(m_core.timing().burst),
      m_cl(m_core.timing().cl),
      m_wl(m_core.timing().wl),
      m_frontend(toTicks(spec.controller.frontendLatency)) {
  for (auto& q : m_queues) q.resize(static_cast<std::size_t>(m_core.bankCount()));
  for (auto& p : m_plans) p.resize(static_cast<std::size_t>(m_core.bankCount()));
  m_refreshUntil.assign(static_cast<std::size_t>(m_core.bankCount()), 0);
  const Tick refi = m_core.timing().refi;
  const auto pcs = static_cast<Tick>(spec.pseudoChannels());
  switch (spec.controller.refresh) {
    case RefreshMode::kAllBank:
      m_refreshInterval = refi;
      break;
    case RefreshMode::kPerBank:
      m_refreshInterval = refi / static_cast<Tick>(m_core.bankCount());
      break;
    case RefreshMode::kNone:
      m_refreshInterval = 0;
      break;
  }
  // Stagger the pseudo-channels so that they do not all refresh at the same instant.
  if (m_refreshInterval)
    m_nextRefresh = m_refreshInterval + m_refreshInterval * static_cast<Tick>(index) / pcs;
}

std::uint32_t PseudoChannelController::allocRequest() {
  if (!m_freeRequests.empty()) {
    const std::uint32_t i = m_freeRequests.back();
    m_freeRequests.pop_back();
    return i;
  }
  m_requests.push_back({});
  return static_cast<std::uint32_t>(m_requests.size() - 1);
}

void PseudoChannelController::enqueue(const Request& r) {
  if (r.bytes == 0) throw InternalError("PseudoChannelController: empty request");
  if (r.arrival < m_now) throw InternalError("PseudoChannelController: request from the past");
  advanceTo(r.arrival);
  const std::uint64_t access = m_spec.accessBytes();
  const std::uint64_t first = r.localAddr / access;
  const std::uint64_t last = (r.localAddr + r.bytes - 1) / access;
  const std::uint32_t ri = allocRequest();
  m_requests[ri] = {r.id, r.arrival, 0, static_cast<std::uint32_t>(last - first + 1), true};
  for (std::uint64_t a = first; a <= last; ++a)
    m_backlog.push_back({ri, m_mapper.mapLocal(a * access), r.write, r.arrival + m_frontend});
  ++m_inFlight;
  const bool wasEmpty = m_queued[0] + m_queued[1] == 0;
  const bool wasWriteMode = m_writeMode;
  m_admitted[0] = m_admitted[1] = 0;
  admit();
  refreshCandidate(wasEmpty, wasWriteMode);
}

void PseudoChannelController::refreshCandidate(bool wasEmpty, bool wasWriteMode) {
  // The cached decision stays right unless the new accesses beat it: they only add
  // candidates in the banks they landed in, and are younger than everything queued.
  if (!m_candidateValid || m_candidateRefresh || wasEmpty) {
    m_candidateValid = false;
    return;
  }
  updateMode();
  if (m_writeMode != wasWriteMode) {
    m_candidateValid = false;
    return;
  }
  if (m_bypassed >= m_spec.controller.starvationCap) return;  // serving the oldest anyway
  const bool dir = m_writeMode;
  if (m_candidate.bank >= 0 && (m_admitted[dir] >> m_candidate.bank) & 1) {
    m_candidateValid = false;  // the winning bank's own plan changed
    return;
  }
  Candidate& best = m_candidate;
  bool bestRow = best.t == kNever || isRowCommand(best.cmd);
  for (std::uint64_t mask = m_admitted[dir]; mask; mask &= mask - 1) {
    const int b = __builtin_ctzll(mask);
    Plan& plan = m_plans[dir][static_cast<std::size_t>(b)];
    if (!plan.valid) ensurePlan(b, dir);
    if (!plan.timeValid) {
      plan.tBase = std::max(plan.ready, m_core.bankPart(plan.c.cmd, m_core.bankAt(b)));
      plan.timeValid = true;
    }
    const Tick t = std::max(std::max(m_now, plan.tBase), m_core.sharedPart(plan.c.cmd, plan.group));
    const bool row = isRowCommand(plan.c.cmd);
    if (t < best.t || (t == best.t && row < bestRow) ||
        (t == best.t && row == bestRow && plan.c.seq < best.seq)) {
      best = plan.c;
      best.t = t;
      bestRow = row;
    }
  }
}

void PseudoChannelController::admit() {
  recordOccupancy(m_now);
  const int depth = m_spec.controller.queueDepth;
  while (!m_backlog.empty() && m_queued[0] + m_queued[1] < depth) {
    const Pending& p = m_backlog.front();
    const int bank = p.addr.group * m_spec.org.banksPerGroup + p.addr.bank;
    m_queues[p.write][static_cast<std::size_t>(bank)].push_back(
        {m_seq++, p.request, p.addr.row, p.ready});
    m_order.push_back({static_cast<std::uint16_t>(bank), p.write, false});
    m_nonEmpty[p.write] |= 1ull << bank;
    m_admitted[p.write] |= 1ull << bank;
    // A younger access changes its bank's plan for its direction only when the plan was a
    // precharge and the access hits the open row (first ready, oldest first otherwise);
    // appending keeps the positions of older entries.
    Plan& plan = m_plans[p.write][static_cast<std::size_t>(bank)];
    if (plan.valid && plan.c.cmd == Command::kPrecharge &&
        m_core.openRow(m_core.bankAt(bank)) == p.addr.row)
      plan.valid = false;
    ++m_queued[p.write];
    m_backlog.pop_front();
  }
}

void PseudoChannelController::updateMode() {
  const auto& c = m_spec.controller;
  if (!m_writeMode) {
    if (m_queued[1] >= c.writeHighWatermark || (m_queued[0] == 0 && m_queued[1] > 0))
      m_writeMode = true;
  } else if (m_queued[1] == 0 || (m_queued[0] > 0 && m_queued[1] <= c.writeLowWatermark)) {
    m_writeMode = false;
  }
}

PseudoChannelController::Candidate PseudoChannelController::entryCandidate(int b, bool write,
                                                                           std::size_t pos,
                                                                           bool timed) const {
  const auto& q = m_queues[write][static_cast<std::size_t>(b)];
  const Entry& e = q[pos];
  const BankRef ref = m_core.bankAt(b);
  const std::int64_t open = m_core.openRow(ref);
  Candidate c;
  c.bank = b;
  c.seq = e.seq;
  c.row = e.row;
  c.pos = pos;
  if (open == BankTimingCore::kNoRow)
    c.cmd = Command::kActivate;
  else if (open == e.row)
    c.cmd = write ? Command::kWrite : Command::kRead;
  else
    c.cmd = Command::kPrecharge;
  if (timed) c.t = std::max({m_now, e.ready, m_core.earliest(c.cmd, ref)});
  return c;
}

PseudoChannelController::Plan& PseudoChannelController::ensurePlan(int b, bool write) {
  Plan& plan = m_plans[write][static_cast<std::size_t>(b)];
  if (!plan.valid) {
    const auto& q = m_queues[write][static_cast<std::size_t>(b)];
    const std::int64_t open = m_core.openRow(m_core.bankAt(b));
    std::size_t pos = 0;
    if (open != BankTimingCore::kNoRow) {
      // First ready: the oldest access to the open row, else the oldest access (PRE).
      while (pos < q.size() && q[pos].row != open) ++pos;
      if (pos == q.size()) pos = 0;
    }
    plan.c = entryCandidate(b, write, pos, false);  // the plan's time is kept in tBase
    plan.ready = q[pos].ready;
    plan.group = m_core.bankAt(b).group;
    plan.kind = plan.c.cmd == Command::kActivate ? 0 : plan.c.cmd == Command::kPrecharge ? 1 : 2;
    plan.seq = plan.c.seq;
    plan.valid = true;
    plan.timeValid = false;
  }
  return plan;
}

void PseudoChannelController::invalidate(int bank) {
  m_plans[0][static_cast<std::size_t>(bank)].valid = false;
  m_plans[1][static_cast<std::size_t>(bank)].valid = false;
}

PseudoChannelController::Candidate PseudoChannelController::pick() {
  if (m_candidateValid) return m_candidate;
  updateMode();
  const int banks = m_core.bankCount();
  // The oldest queued access, and when it could be served.
  int oldBank = -1;
  bool oldWrite = false;
  m_oldestSeq = std::numeric_limits<std::uint64_t>::max();
  if (!m_order.empty()) {
    m_oldestSeq = m_orderBase;
    oldBank = m_order.front().bank;
    oldWrite = m_order.front().write;
  }
  const bool perBank = m_spec.controller.refresh == RefreshMode::kPerBank;
  const bool refreshing = m_nextRefresh != kNever && m_nextRefresh <= m_now;
  auto blocked = [&](int b) { return perBank && refreshing && b == m_refreshBank; };

  Candidate best;
  m_candidateRefresh = false;
  m_oldestReadyAt = kNever;
  if (oldBank >= 0) {
    // Waiting out a refresh of its bank is not being bypassed.
    m_oldestReadyAt =
        blocked(oldBank)
            ? kNever
            : std::max(m_refreshUntil[static_cast<std::size_t>(oldBank)],
                       m_queues[oldWrite][static_cast<std::size_t>(oldBank)].front().ready);
    if (m_bypassed >= m_spec.controller.starvationCap && !blocked(oldBank))
      best = entryCandidate(oldBank, oldWrite, 0);
  }
  if (best.t == kNever && m_queued[m_writeMode] > 0) {
    const bool dir = m_writeMode;
    // Hot loop: compare (tick, row command?, age) from the cached plans; build the winner's
    // Candidate once at the end.
    int bestBank = -1;
    Tick bestT = kNever;
    bool bestRow = true;
    std::uint64_t bestSeq = 0;
    // The group- and channel-wide part of each rule, computed once per bank group and
    // command kind that a plan needs: [group][kind], kind 0 = ACT, 1 = PRE (no shared
    // rule), 2 = the column command of `dir`; kNever = not computed yet.
    const Command col = dir ? Command::kWrite : Command::kRead;
    std::array<std::array<Tick, 3>, kMaxGroups> shared;
    for (int g = 0; g < m_spec.org.bankGroups; ++g)
      shared[static_cast<std::size_t>(g)] = {kNever, m_now, kNever};
    const int blockedBank = perBank && refreshing ? m_refreshBank : -1;
    std::vector<Plan>& plans = m_plans[dir];
    for (std::uint64_t mask = m_nonEmpty[dir]; mask; mask &= mask - 1) {
      const int b = __builtin_ctzll(mask);
      if (b == blockedBank) continue;
      Plan& plan = plans[static_cast<std::size_t>(b)];
      if (!plan.valid) ensurePlan(b, dir);
      if (!plan.timeValid) {
        plan.tBase = std::max(plan.ready, m_core.bankPart(plan.c.cmd, m_core.bankAt(b)));
        plan.timeValid = true;
      }
      Tick& sh = shared[static_cast<std::size_t>(plan.group)][plan.kind];
      if (sh == kNever)
        sh = std::max(m_now,
                      m_core.sharedPart(plan.kind == 0 ? Command::kActivate : col, plan.group));
      const Tick t = std::max(plan.tBase, sh);
      if (t > bestT) continue;
      const bool row = plan.kind != 2;
      if (t < bestT || (row < bestRow) || (row == bestRow && plan.seq < bestSeq)) {
        bestBank = b;
        bestT = t;
        bestRow = row;
        bestSeq = plan.seq;
      }
    }
    if (bestBank >= 0) {
      best = m_plans[dir][static_cast<std::size_t>(bestBank)].c;
      best.t = bestT;
    }
  }

  if (m_nextRefresh != kNever && (best.t == kNever || m_nextRefresh <= best.t)) {
    Candidate r;
    if (!perBank) {
      // Close every open bank, then refresh all of them.
      for (int b = 0; b < banks; ++b) {
        const BankRef ref = m_core.bankAt(b);
        if (m_core.openRow(ref) == BankTimingCore::kNoRow) continue;
        const Tick t = std::max({m_now, m_nextRefresh, m_core.earliest(Command::kPrecharge, ref)});
        if (r.t == kNever || t < r.t) r = {t, Command::kPrecharge, b, 0, 0, 0};
      }
      if (r.t == kNever) {
        const BankRef ref = m_core.bankAt(0);
        const Tick t =
            std::max({m_now, m_nextRefresh, m_core.earliest(Command::kRefreshAllBank, ref)});
        r = {t, Command::kRefreshAllBank, 0, 0, 0, 0};
      }
      best = r;
      m_candidateRefresh = true;
    } else {
      const BankRef ref = m_core.bankAt(m_refreshBank);
      const bool open = m_core.openRow(ref) != BankTimingCore::kNoRow;
      const Command cmd = open ? Command::kPrecharge : Command::kRefreshPerBank;
      r = {
          std::max({m_now, m_nextRefresh, m_core.earliest(cmd, ref)}), cmd, m_refreshBank, 0, 0, 0};
      if (r.t <= best.t) {
        best = r;
        m_candidateRefresh = true;
      }
    }
  }
  m_candidate = best;
  m_candidateValid = true;
  return best;
}

void PseudoChannelController::execute(const Candidate& c) {
  const BankRef ref = m_core.bankAt(c.bank);
  switch (c.cmd) {
    case Command::kActivate:
      m_core.issue(c.cmd, ref, c.t, c.row);
      ++m_acts;
      break;
    case Command::kPrecharge:
      m_core.issue(c.cmd, ref, c.t);
      ++m_pres;
      break;
    case Command::kRead:
    case Command::kWrite:
      serveColumn(c.bank, c.cmd == Command::kWrite, c.pos, c.t);
      break;
    case Command::kRefreshAllBank:
    case Command::kRefreshPerBank:
      m_core.issue(c.cmd, ref, c.t);
      ++m_refs;
      if (c.cmd == Command::kRefreshAllBank)
        std::fill(m_refreshUntil.begin(), m_refreshUntil.end(), c.t + m_core.timing().rfcAb);
      else
        m_refreshUntil[static_cast<std::size_t>(c.bank)] = c.t + m_core.timing().rfcPb;
      m_nextRefresh += m_refreshInterval;
      m_refreshBank = (m_refreshBank + 1) % m_core.bankCount();
      break;
  }
  invalidate(c.bank);
  if (c.cmd == Command::kRefreshAllBank)
    for (int b = 0; b < m_core.bankCount(); ++b) invalidate(b);
  m_candidateValid = false;
}

void PseudoChannelController::serveColumn(int bank, bool write, std::size_t pos, Tick t) {
  auto& q = m_queues[write][static_cast<std::size_t>(bank)];
  const Entry e = q[pos];
  q.erase(q.begin() + static_cast<std::ptrdiff_t>(pos));
  if (q.empty()) m_nonEmpty[write] &= ~(1ull << bank);
  invalidate(bank);
  m_order[static_cast<std::size_t>(e.seq - m_orderBase)].served = true;
  while (!m_order.empty() && m_order.front().served) {
    m_order.pop_front();
    ++m_orderBase;
  }
  recordOccupancy(t);
  --m_queued[write];
  const BankRef ref = m_core.bankAt(bank);
  m_core.issue(write ? Command::kWrite : Command::kRead, ref, t);
  const std::uint64_t bytes = m_spec.accessBytes();
  if (write) {
    ++m_writes;
    m_bytesWritten += bytes;
  } else {
    ++m_reads;
    m_bytesRead += bytes;
  }
  // A younger access served while the oldest was already waiting bypasses it.
  if (e.seq == m_oldestSeq)
    m_bypassed = 0;
  else if (m_oldestReadyAt <= t)
    ++m_bypassed;
  Req& r = m_requests[e.request];
  r.done = std::max(r.done, t + (write ? m_wl : m_cl) + m_burst);
  if (--r.remaining == 0) {
    const Tick done = r.done + m_frontend;
    m_done.push_back({r.id, done});
    m_latency.add(done - r.arrival);
    r.live = false;
    m_freeRequests.push_back(e.request);
    --m_inFlight;
  }
  if (m_spec.controller.pagePolicy == PagePolicy::kClosed) {
    // Auto-precharge unless another queued access wants the same row.
    bool wanted = false;
    for (int w = 0; w < 2 && !wanted; ++w)
      for (const Entry& o : m_queues[w][static_cast<std::size_t>(bank)])
        if (o.row == e.row) {
          wanted = true;
          break;
        }
    if (!wanted) {
      m_core.issue(Command::kPrecharge, ref, m_core.earliest(Command::kPrecharge, ref));
      ++m_pres;
      invalidate(bank);
    }
  }
  m_now = t;
  admit();
}

void PseudoChannelController::advanceTo(Tick t) {
  for (;;) {
    const Candidate c = pick();
    if (c.t == kNever || c.t > t) break;
    m_now = c.t;
    execute(c);
  }
  if (t > m_now) {
    // The cached decision (if any) lies after t, so moving the clock to t leaves it as is.
    recordOccupancy(t);
    m_now = t;
  }
}

Tick PseudoChannelController::nextEventTick() {
  if (m_queued[0] + m_queued[1] == 0 && m_backlog.empty()) return kNever;
  return pick().t;
}

void PseudoChannelController::recordOccupancy(Tick t) {
  if (t <= m_occupancyAt) return;
  m_occupancyArea +=
      static_cast<double>(m_queued[0] + m_queued[1]) * static_cast<double>(t - m_occupancyAt);
  m_occupancyAt = t;
}

double PseudoChannelController::rowHitRate() const {
  const std::uint64_t cols = columnAccesses();
  if (cols == 0) return 0.0;
  return 1.0 - std::min(1.0, static_cast<double>(m_acts) / static_cast<double>(cols));
}

double PseudoChannelController::meanQueueOccupancy() const {
  return m_occupancyAt ? m_occupancyArea / static_cast<double>(m_occupancyAt) : 0.0;
}

PseudoChannelController::EnergyBreakdown PseudoChannelController::energy() const {
  const HbmEnergy& e = m_spec.energy;
  EnergyBreakdown b{};
  b.activate = static_cast<double>(m_acts) * e.activate.si();
  b.read = static_cast<double>(m_bytesRead) * 8.0 * e.read.si();
  b.write = static_cast<double>(m_bytesWritten) * 8.0 * e.write.si();
  const double perRef = m_spec.controller.refresh == RefreshMode::kPerBank
                            ? e.refreshAllBank.si() / m_core.bankCount()
                            : e.refreshAllBank.si();
  b.refresh = static_cast<double>(m_refs) * perRef;
  b.io = static_cast<double>(m_bytesRead + m_bytesWritten) * 8.0 * e.io.si();
  return b;
}

void PseudoChannelController::reportStats(StatGroup& g, Tick horizon) const {
  const double seconds = static_cast<double>(horizon) / static_cast<double>(kTicksPerSecond);
  const double bytes = static_cast<double>(m_bytesRead + m_bytesWritten);
  const double bw = seconds > 0 ? bytes / seconds : 0.0;
  g.add("bytes_read", static_cast<double>(m_bytesRead), "B");
  g.add("bytes_written", static_cast<double>(m_bytesWritten), "B");
  g.add("bandwidth", bw, "B/s", "achieved over the simulated time");
  g.add("efficiency", bw / m_spec.peakPerPseudoChannel().si(), "1", "achieved / peak");
  g.add("row_hit_rate", rowHitRate(), "1", "column accesses that found their row open");
  g.add("activates", static_cast<double>(m_acts), "count");
  g.add("precharges", static_cast<double>(m_pres), "count");
  g.add("refreshes", static_cast<double>(m_refs), "count");
  g.add("queue_occupancy", meanQueueOccupancy(), "count", "time-averaged scheduler entries");
  g.addDistribution("latency", m_latency.distribution(), "ns", "arrival to last data beat");
  const EnergyBreakdown e = energy();
  StatGroup& eg = g.child("energy");
  eg.add("activate", e.activate, "J");
  eg.add("read", e.read, "J");
  eg.add("write", e.write, "J");
  eg.add("refresh", e.refresh, "J");
  eg.add("io", e.io, "J");
  eg.add("total", e.total(), "J");
}

}  // namespace chipletsim::hbm
