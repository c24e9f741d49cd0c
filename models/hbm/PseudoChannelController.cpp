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
      m_frontend(toTicks(spec.controller.frontendLatency)),
      m_accessBytes(spec.accessBytes()),
      m_accessShift(__builtin_ctzll(m_accessBytes)),
      m_banksPerGroup(spec.org.banksPerGroup),
      m_groups(spec.org.bankGroups),
      m_depth(spec.controller.queueDepth),
      m_perBankRefresh(spec.controller.refresh == RefreshMode::kPerBank),
      m_closedPage(spec.controller.pagePolicy == PagePolicy::kClosed) {
  if (m_accessBytes == 0 || (m_accessBytes & (m_accessBytes - 1)))
    throw InternalError("PseudoChannelController: access bytes not a power of two");
  if (m_core.bankCount() > kMaxBanks)
    throw InternalError("PseudoChannelController: more than 64 banks per pseudo-channel");
  m_entries.resize(static_cast<std::size_t>(std::max(m_depth, 1)));
  m_freeEntries.reserve(m_entries.size());
  for (auto i = static_cast<std::int32_t>(m_entries.size()); i-- > 0;) m_freeEntries.push_back(i);
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
  const std::uint64_t access = m_accessBytes;  // a power of two (HbmSpec::validate)
  const std::uint64_t first = r.localAddr >> m_accessShift;
  const std::uint64_t last = (r.localAddr + r.bytes - 1) >> m_accessShift;
  const std::uint32_t ri = allocRequest();
  m_requests[ri] = {r.id, r.arrival, 0, static_cast<std::uint32_t>(last - first + 1), true};
  ++m_inFlight;
  const bool wasEmpty = m_queued[0] + m_queued[1] == 0;
  const bool wasWriteMode = m_writeMode;
  m_admitted[0] = m_admitted[1] = 0;
  recordOccupancy(m_now);
  for (std::uint64_t a = first; a <= last; ++a) {
    const DramAddress d = m_mapper.mapLocal(a * access);
    const Pending p{d.row, r.arrival + m_frontend, ri,
                    static_cast<std::uint16_t>(d.group * m_banksPerGroup + d.bank), r.write};
    // Straight into the scheduling queue while nothing waits and there is room (what
    // admit() would do with it), else behind the accesses already waiting.
    if (m_backlog.empty() && m_queued[0] + m_queued[1] < m_depth)
      admitOne(p);
    else
      m_backlog.push(p);
  }
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
    // The winner keeps its (tick, key) when its plan stands (admit() drops a plan only when
    // the new access turns it from PRE into a row hit); a pending per-bank refresh bars a
    // bank that the loop below would not skip, so then decide afresh as pick() would.
    const bool planStands = (m_planValid[dir] >> m_candidate.bank) & 1;
    const bool refreshing = m_perBankRefresh && m_nextRefresh != kNever && m_nextRefresh <= m_now;
    if (!planStands || refreshing) {
      m_candidateValid = false;
      return;
    }
  }
  Candidate& best = m_candidate;
  std::uint64_t bestKey = best.t == kNever || isRowCommand(best.cmd) ? kRowKey : 0;
  bestKey |= best.seq;
  Plans& plans = m_plans[dir];
  for (std::uint64_t mask = m_admitted[dir]; mask; mask &= mask - 1) {
    const int b = __builtin_ctzll(mask);
    if (!((m_planValid[dir] >> b) & 1)) ensurePlan(b, dir);
    const Command cmd = plans.c[static_cast<std::size_t>(b)].cmd;
    const Tick t = std::max(std::max(m_now, plans.tBase[static_cast<std::size_t>(b)]),
                            m_core.sharedPart(cmd, m_core.bankAt(b).group));
    const std::uint64_t key = plans.key[static_cast<std::size_t>(b)];
    if (t < best.t || (t == best.t && key < bestKey)) {
      best = plans.c[static_cast<std::size_t>(b)];
      best.t = t;
      bestKey = key;
    }
  }
}

void PseudoChannelController::admit() {
  recordOccupancy(m_now);
  while (!m_backlog.empty() && m_queued[0] + m_queued[1] < m_depth) {
    admitOne(m_backlog.front());
    m_backlog.pop();
  }
}

void PseudoChannelController::admitOne(const Pending& p) {
  const int bank = p.bank;
  const std::int32_t slot = m_freeEntries.back();
  m_freeEntries.pop_back();
  Queue& q = m_queues[p.write][static_cast<std::size_t>(bank)];
  Entry& e = m_entries[static_cast<std::size_t>(slot)];
  e = {m_seq++, p.row, p.ready, p.request, static_cast<std::uint16_t>(bank),
       p.write, kNone, q.tail,  kNone,     m_ageTail};
  if (q.tail == kNone)
    q.head = slot;
  else
    m_entries[static_cast<std::size_t>(q.tail)].next = slot;
  q.tail = slot;
  if (m_ageTail == kNone)
    m_ageHead = slot;
  else
    m_entries[static_cast<std::size_t>(m_ageTail)].younger = slot;
  m_ageTail = slot;
  const std::uint64_t bit = std::uint64_t{1} << bank;
  m_nonEmpty[p.write] |= bit;
  m_admitted[p.write] |= bit;
  // A younger access changes its bank's plan for its direction only when the plan was a
  // precharge and the access hits the open row (first ready, oldest first otherwise);
  // appending keeps the older entries where they are.
  if ((m_planValid[p.write] & bit) &&
      m_plans[p.write].c[static_cast<std::size_t>(bank)].cmd == Command::kPrecharge &&
      m_core.openRow(m_core.bankAt(bank)) == p.row)
    m_planValid[p.write] &= ~bit;
  ++m_queued[p.write];
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

PseudoChannelController::Candidate PseudoChannelController::entryCandidate(
    int b, bool write, std::int32_t slot) const {
  const Entry& e = m_entries[static_cast<std::size_t>(slot)];
  const BankRef ref = m_core.bankAt(b);
  const std::int64_t open = m_core.openRow(ref);
  Candidate c;
  c.bank = b;
  c.seq = e.seq;
  c.row = e.row;
  c.slot = slot;
  if (open == BankTimingCore::kNoRow)
    c.cmd = Command::kActivate;
  else if (open == e.row)
    c.cmd = write ? Command::kWrite : Command::kRead;
  else
    c.cmd = Command::kPrecharge;
  c.t = std::max({m_now, e.ready, m_core.earliest(c.cmd, ref)});
  return c;
}

void PseudoChannelController::ensurePlan(int b, bool write) {
  const auto bi = static_cast<std::size_t>(b);
  const BankRef ref = m_core.bankAt(b);
  const std::int64_t open = m_core.openRow(ref);
  std::int32_t slot = m_queues[write][bi].head;
  Command cmd = Command::kActivate;
  if (open != BankTimingCore::kNoRow) {
    // First ready: the oldest access to the open row, else the oldest access (PRE).
    cmd = write ? Command::kWrite : Command::kRead;
    std::int32_t s = slot;
    while (s != kNone && m_entries[static_cast<std::size_t>(s)].row != open)
      s = m_entries[static_cast<std::size_t>(s)].next;
    if (s == kNone)
      cmd = Command::kPrecharge;
    else
      slot = s;
  }
  const Entry& e = m_entries[static_cast<std::size_t>(slot)];
  Plans& p = m_plans[write];
  Candidate& c = p.c[bi];
  c.cmd = cmd;
  c.bank = b;
  c.row = e.row;
  c.slot = slot;
  c.seq = e.seq;
  const int kind = cmd == Command::kActivate ? 0 : cmd == Command::kPrecharge ? 1 : 2;
  p.tBase[bi] = std::max(e.ready, m_core.bankPart(cmd, ref));
  p.key[bi] = (kind == 2 ? 0 : kRowKey) | e.seq;
  // Index into pick()'s shared parts: 2 group (ACT), 2 group + 1 (RD/WR), 2 groups (PRE).
  p.shared[bi] = static_cast<std::uint8_t>(kind == 1 ? 2 * m_groups : 2 * ref.group + kind / 2);
  m_planValid[write] |= std::uint64_t{1} << b;
}

const PseudoChannelController::Candidate& PseudoChannelController::pick() {
  if (m_candidateValid) return m_candidate;
  updateMode();
  const int banks = m_core.bankCount();
  // The oldest queued access, and when it could be served.
  int oldBank = -1;
  bool oldWrite = false;
  m_oldestSeq = std::numeric_limits<std::uint64_t>::max();
  if (m_ageHead != kNone) {
    const Entry& oldest = m_entries[static_cast<std::size_t>(m_ageHead)];
    m_oldestSeq = oldest.seq;
    oldBank = oldest.bank;
    oldWrite = oldest.write;
  }
  const bool perBank = m_perBankRefresh;
  const bool refreshing = m_nextRefresh != kNever && m_nextRefresh <= m_now;
  auto blocked = [&](int b) { return perBank && refreshing && b == m_refreshBank; };

  Candidate& best = m_candidate;  // decided in place
  best = Candidate{};
  m_candidateRefresh = false;
  m_oldestReadyAt = kNever;
  if (oldBank >= 0) {
    // Waiting out a refresh of its bank is not being bypassed.
    m_oldestReadyAt = blocked(oldBank)
                          ? kNever
                          : std::max(m_refreshUntil[static_cast<std::size_t>(oldBank)],
                                     m_entries[static_cast<std::size_t>(m_ageHead)].ready);
    if (m_bypassed >= m_spec.controller.starvationCap && !blocked(oldBank))
      best = entryCandidate(oldBank, oldWrite, m_ageHead);
  }
  if (best.t == kNever && m_queued[m_writeMode] > 0) {
    const bool dir = m_writeMode;
    std::uint64_t mask = m_nonEmpty[dir];
    if (perBank && refreshing) mask &= ~(std::uint64_t{1} << m_refreshBank);
    for (std::uint64_t stale = mask & ~m_planValid[dir]; stale; stale &= stale - 1)
      ensurePlan(__builtin_ctzll(stale), dir);
    // The group- and channel-wide part of each rule, raised to now: [2 group] ACT,
    // [2 group + 1] the column command of `dir`, [2 groups] PRE (no shared rule).
    std::array<Tick, 2 * kMaxGroups + 1> shared;
    m_core.sharedParts(dir, m_now, shared.data());
    shared[static_cast<std::size_t>(2 * m_groups)] = m_now;  // PRE: no shared rule
    // Hot loop: the earliest (tick, row command?, age) of the cached plans.
    const Plans& plans = m_plans[dir];
    const Tick* tBase = plans.tBase.data();
    const std::uint64_t* keys = plans.key.data();
    const std::uint8_t* sharedIndex = plans.shared.data();
    // (tick, key) as one 128-bit number: one compare, no unpredictable branch.
    __extension__ using Order = unsigned __int128;
    int bestBank = -1;
    Order bestOrder = static_cast<Order>(kNever) << 64 | kRowKey;
    for (; mask; mask &= mask - 1) {
      const int b = __builtin_ctzll(mask);
      const Tick t = std::max(tBase[b], shared[sharedIndex[b]]);
      const Order order = static_cast<Order>(t) << 64 | keys[b];
      const bool better = order < bestOrder;
      bestOrder = better ? order : bestOrder;
      bestBank = better ? b : bestBank;
    }
    if (bestBank >= 0) {
      best = plans.c[static_cast<std::size_t>(bestBank)];
      best.t = static_cast<Tick>(bestOrder >> 64);
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
        if (r.t == kNever || t < r.t) r = {t, Command::kPrecharge, b, 0, kNone, 0};
      }
      if (r.t == kNever) {
        const BankRef ref = m_core.bankAt(0);
        const Tick t =
            std::max({m_now, m_nextRefresh, m_core.earliest(Command::kRefreshAllBank, ref)});
        r = {t, Command::kRefreshAllBank, 0, 0, kNone, 0};
      }
      best = r;
      m_candidateRefresh = true;
    } else {
      const BankRef ref = m_core.bankAt(m_refreshBank);
      const bool open = m_core.openRow(ref) != BankTimingCore::kNoRow;
      const Command cmd = open ? Command::kPrecharge : Command::kRefreshPerBank;
      r = {std::max({m_now, m_nextRefresh, m_core.earliest(cmd, ref)}),
           cmd,
           m_refreshBank,
           0,
           kNone,
           0};
      if (r.t <= best.t) {
        best = r;
        m_candidateRefresh = true;
      }
    }
  }
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
      serveColumn(c.bank, c.cmd == Command::kWrite, c.slot, c.t);
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
  if (c.cmd == Command::kRefreshAllBank) m_planValid[0] = m_planValid[1] = 0;
  m_candidateValid = false;
}

void PseudoChannelController::unlink(std::int32_t slot) {
  Entry& e = m_entries[static_cast<std::size_t>(slot)];
  Queue& q = m_queues[e.write][e.bank];
  if (e.prev == kNone)
    q.head = e.next;
  else
    m_entries[static_cast<std::size_t>(e.prev)].next = e.next;
  if (e.next == kNone)
    q.tail = e.prev;
  else
    m_entries[static_cast<std::size_t>(e.next)].prev = e.prev;
  if (e.older == kNone)
    m_ageHead = e.younger;
  else
    m_entries[static_cast<std::size_t>(e.older)].younger = e.younger;
  if (e.younger == kNone)
    m_ageTail = e.older;
  else
    m_entries[static_cast<std::size_t>(e.younger)].older = e.older;
  m_freeEntries.push_back(slot);
}

void PseudoChannelController::serveColumn(int bank, bool write, std::int32_t slot, Tick t) {
  const Entry e = m_entries[static_cast<std::size_t>(slot)];
  unlink(slot);
  if (m_queues[write][static_cast<std::size_t>(bank)].head == kNone)
    m_nonEmpty[write] &= ~(std::uint64_t{1} << bank);
  invalidate(bank);
  recordOccupancy(t);
  --m_queued[write];
  const BankRef ref = m_core.bankAt(bank);
  m_core.issue(write ? Command::kWrite : Command::kRead, ref, t);
  const std::uint64_t bytes = m_accessBytes;
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
  if (m_closedPage) {
    // Auto-precharge unless another queued access wants the same row.
    bool wanted = false;
    for (int w = 0; w < 2 && !wanted; ++w)
      for (std::int32_t s = m_queues[w][static_cast<std::size_t>(bank)].head; s != kNone;
           s = m_entries[static_cast<std::size_t>(s)].next)
        if (m_entries[static_cast<std::size_t>(s)].row == e.row) {
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
