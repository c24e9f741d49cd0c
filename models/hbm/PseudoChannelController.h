#pragma once
// The memory controller of one pseudo-channel, plain C++ and event driven: requests are
// split into column accesses, held in a bounded scheduling queue (overflow waits in FIFO
// order), and served FR-FCFS (earliest legal command first; at equal time row hits before
// row commands, then oldest) with a starvation cap on the oldest access, read/write
// grouping with write watermarks, open or closed page, and all-bank or per-bank refresh.
// The caller owns time: enqueue() at a request's arrival tick, advanceTo(t) issues every
// command up to t, nextEventTick() says when the next command is due.
// Invariant: enqueue ticks and advanceTo ticks are non-decreasing.

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "common/Distribution.h"
#include "common/StatGroup.h"
#include "hbm/AddressMapper.h"
#include "hbm/BankTimingCore.h"
#include "hbm/HbmSpec.h"
#include "hbm/LatencyTally.h"

namespace chipletsim::hbm {

class PseudoChannelController {
 public:
  static constexpr Tick kNever = std::numeric_limits<Tick>::max();
  static constexpr int kMaxGroups = 64;  // bank groups: at most 64 banks (HbmSpec::validate)

  /// A request to this pseudo-channel: `bytes` from pseudo-channel-local byte `localAddr`.
  struct Request {
    std::uint64_t id = 0;  // caller's tag, returned on completion
    bool write = false;
    std::uint64_t localAddr = 0;
    std::uint32_t bytes = 0;  // > 0
    Tick arrival = 0;         // tick the request reaches the controller
  };
  /// A finished request: its last data beat is on the bus at `done` (controller side).
  struct Completion {
    std::uint64_t id;
    Tick done;
  };

  /// `index` staggers refresh across the stack's pseudo-channels (0 <= index < count).
  PseudoChannelController(const HbmSpec& spec, int index);

  void enqueue(const Request& r);
  /// Issues every command whose tick is <= t; the clock moves to t.
  void advanceTo(Tick t);
  /// Tick of the next command while work is queued, else kNever (refresh alone never wakes
  /// the caller: it is caught up on the next advanceTo).
  Tick nextEventTick();
  /// Completions produced since the last call (done ticks may lie after the clock).
  std::vector<Completion>& completions() { return m_done; }
  bool idle() const { return m_inFlight == 0; }
  Tick now() const { return m_now; }

  // Counters (since construction).
  std::uint64_t bytesRead() const { return m_bytesRead; }
  std::uint64_t bytesWritten() const { return m_bytesWritten; }
  std::uint64_t activates() const { return m_acts; }
  std::uint64_t precharges() const { return m_pres; }
  std::uint64_t refreshes() const { return m_refs; }
  std::uint64_t columnAccesses() const { return m_reads + m_writes; }
  /// Fraction of column accesses that found their row open (1 - ACT / column accesses).
  double rowHitRate() const;
  /// Request latency, arrival to last data beat, in ns.
  Distribution latencyNs() const { return m_latency.distribution(); }
  /// Every completion's done tick lies at least this long after the tick of the command
  /// that produces it (column latency + burst + front end), so a caller may let the clock
  /// run that far past nextEventTick() before advancing without missing a response.
  Tick completionLead() const { return std::min(m_cl, m_wl) + m_burst + m_frontend; }
  /// Time-averaged scheduling-queue occupancy over [0, now].
  double meanQueueOccupancy() const;
  /// Energy by component in joules: activate, read, write, refresh, io.
  struct EnergyBreakdown {
    double activate, read, write, refresh, io;
    double total() const { return activate + read + write + refresh + io; }
  };
  EnergyBreakdown energy() const;
  void reportStats(StatGroup& g, Tick horizon) const;

 private:
  static constexpr int kMaxBanks = 64;  // bank bitmasks are 64 bits (HbmSpec::validate)
  static constexpr std::int32_t kNone = -1;
  /// An admitted column access: one slot of a fixed pool (queueDepth slots), linked into
  /// its bank's queue of its direction and into the age list of all admitted accesses,
  /// both oldest first, so that serving any of them unlinks it in constant time.
  struct Entry {
    std::uint64_t seq;
    std::int64_t row;
    Tick ready;             // tick the access reaches the scheduler (arrival + front end)
    std::uint32_t request;  // index into m_requests
    std::uint16_t bank;
    bool write;
    std::int32_t next, prev;      // bank queue
    std::int32_t younger, older;  // age list
  };
  struct Req {
    std::uint64_t id;
    Tick arrival;
    Tick done;
    std::uint32_t remaining;
    bool live;
  };
  /// An access waiting for room in the scheduling queue.
  struct Pending {
    std::int64_t row;
    Tick ready;
    std::uint32_t request;
    std::uint16_t bank;  // group x banks per group + bank
    bool write;
  };
  /// Accesses waiting for room, oldest first: a ring that grows by doubling (a deque
  /// allocated and freed a node every few requests on this path).
  class Backlog {
   public:
    bool empty() const { return m_count == 0; }
    const Pending& front() const { return m_ring[m_head]; }
    void pop() {
      m_head = (m_head + 1) & (m_ring.size() - 1);
      --m_count;
    }
    void push(const Pending& p) {
      if (m_count == m_ring.size()) grow();
      m_ring[(m_head + m_count) & (m_ring.size() - 1)] = p;
      ++m_count;
    }

   private:
    void grow() {
      std::vector<Pending> bigger(std::max<std::size_t>(16, 2 * m_ring.size()));
      for (std::size_t i = 0; i < m_count; ++i)
        bigger[i] = m_ring[(m_head + i) & (m_ring.size() - 1)];
      m_ring.swap(bigger);
      m_head = 0;
    }
    std::vector<Pending> m_ring;  // size a power of two (or empty)
    std::size_t m_head = 0, m_count = 0;
  };
  struct Candidate {
    Tick t = kNever;
    Command cmd = Command::kActivate;
    int bank = -1;
    std::int64_t row = 0;
    std::int32_t slot = kNone;  // pool slot of the served access
    std::uint64_t seq = 0;
  };
  /// Head and tail slot of one bank's queue for one direction.
  struct Queue {
    std::int32_t head = kNone, tail = kNone;
  };

  /// Moves waiting accesses into the scheduling queue while it has room.
  void admit();
  /// Links one access into its bank's queue and the age list (room is checked by the caller).
  void admitOne(const Pending& p);
  /// Folds the accesses just admitted into the cached decision, or drops it.
  void refreshCandidate(bool wasEmpty, bool wasWriteMode);
  void updateMode();
  /// The next command (cached until something changes it).
  const Candidate& pick();
  /// The next command for the access in pool slot `slot` of bank `b`, with its tick.
  Candidate entryCandidate(int bank, bool write, std::int32_t slot) const;
  void invalidate(int bank) {
    const std::uint64_t clear = ~(std::uint64_t{1} << bank);
    m_planValid[0] &= clear;
    m_planValid[1] &= clear;
  }
  void execute(const Candidate& c);
  void serveColumn(int bank, bool write, std::int32_t slot, Tick t);
  void recordOccupancy(Tick t);
  std::uint32_t allocRequest();
  void unlink(std::int32_t slot);

  /// A bank's next command for one direction (first ready: the oldest access to the open
  /// row, else the oldest access), cached until its queue or its bank's state changes. The
  /// scheduler's hot loop reads three small arrays: tBase (the later of the access's ready
  /// tick and the bank's own part of the command's earliest tick), the tie-break key (row
  /// command in the top bit, then age) and the index of the command's shared part.
  void ensurePlan(int bank, bool write);
  struct Plans {
    std::array<Tick, kMaxBanks> tBase{};
    std::array<std::uint64_t, kMaxBanks> key{};
    std::array<std::uint8_t, kMaxBanks> shared{};  // see pick(): 2 g ACT, 2 g + 1 RD/WR, 2 G PRE
    std::array<Candidate, kMaxBanks> c{};          // the command (its t unused)
  };
  static constexpr std::uint64_t kRowKey = std::uint64_t{1} << 63;

  const HbmSpec& m_spec;
  AddressMapper m_mapper;
  BankTimingCore m_core;
  Tick m_burst, m_cl, m_wl, m_frontend;
  std::uint64_t m_accessBytes;
  int m_accessShift;  // log2(m_accessBytes)
  int m_banksPerGroup, m_groups, m_depth;
  bool m_perBankRefresh, m_closedPage;
  std::vector<Entry> m_entries;  // the pool
  std::vector<std::int32_t> m_freeEntries;
  std::array<Queue, kMaxBanks> m_queues[2];  // [write][bank]
  std::int32_t m_ageHead = kNone, m_ageTail = kNone;
  Plans m_plans[2];                       // [write]
  std::uint64_t m_planValid[2] = {0, 0};  // bit b: m_plans[dir] of bank b is current
  Backlog m_backlog;
  std::vector<Req> m_requests;
  std::vector<std::uint32_t> m_freeRequests;
  std::vector<Completion> m_done;
  int m_queued[2] = {0, 0};
  std::uint64_t m_nonEmpty[2] = {0, 0};  // bit b: bank b has queued accesses
  std::uint64_t m_seq = 0;
  std::uint64_t m_oldestSeq = std::numeric_limits<std::uint64_t>::max();
  int m_bypassed = 0;
  Tick m_oldestReadyAt = kNever;
  bool m_writeMode = false;
  Tick m_now = 0;
  std::uint64_t m_inFlight = 0;
  bool m_candidateValid = false;
  bool m_candidateRefresh = false;       // the cached decision is refresh work
  std::uint64_t m_admitted[2] = {0, 0};  // banks that took accesses in this enqueue
  Candidate m_candidate;
  // Refresh.
  Tick m_nextRefresh = kNever;
  Tick m_refreshInterval = 0;
  int m_refreshBank = 0;
  std::vector<Tick> m_refreshUntil;  // per bank: end of its last refresh
  // Stats.
  std::uint64_t m_bytesRead = 0, m_bytesWritten = 0, m_acts = 0, m_pres = 0, m_refs = 0,
                m_reads = 0, m_writes = 0;
  LatencyTally m_latency;
  double m_occupancyArea = 0.0;  // queue entries x ticks
  Tick m_occupancyAt = 0;
};

}  // namespace chipletsim::hbm
