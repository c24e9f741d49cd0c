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
#include <cstdint>
#include <deque>
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
  struct Entry {
    std::uint64_t seq;
    std::uint32_t request;  // index into m_requests
    std::int64_t row;
    Tick ready;  // tick the access reaches the scheduler (arrival + front-end latency)
  };
  struct Req {
    std::uint64_t id;
    Tick arrival;
    Tick done;
    std::uint32_t remaining;
    bool live;
  };
  struct Pending {
    std::uint32_t request;
    DramAddress addr;
    bool write;
    Tick ready;
  };
  struct Candidate {
    Tick t = kNever;
    Command cmd = Command::kActivate;
    int bank = -1;
    std::int64_t row = 0;
    std::size_t pos = 0;  // position of the served entry in its bank queue
    std::uint64_t seq = 0;
  };

  void admit();
  /// Folds the accesses just admitted into the cached decision, or drops it.
  void refreshCandidate(bool wasEmpty, bool wasWriteMode);
  void updateMode();
  Candidate pick();
  /// The next command for the access at `pos` of a bank queue; its tick only when `timed`.
  Candidate entryCandidate(int bank, bool write, std::size_t pos, bool timed = true) const;
  void invalidate(int bank);
  void execute(const Candidate& c);
  void serveColumn(int bank, bool write, std::size_t pos, Tick t);
  void recordOccupancy(Tick t);
  std::uint32_t allocRequest();

  /// A bank's next command for one direction, cached until its queue or row changes.
  struct Plan {
    // What pick() reads for every bank first, in one cache line.
    bool valid = false;
    bool timeValid = false;  // tBase is current (cleared with the plan)
    std::uint8_t kind = 0;   // c.cmd as 0 = ACT, 1 = PRE, 2 = RD/WR (index of shared parts)
    int group = 0;           // bank group, for the shared part of the rules
    Tick tBase = 0;          // max(ready, the bank's own part of c.cmd's earliest tick)
    std::uint64_t seq = 0;   // c.seq
    Tick ready = 0;
    Candidate c;
  };
  Plan& ensurePlan(int bank, bool write);
  struct Order {
    std::uint16_t bank;
    bool write;
    bool served;
  };

  const HbmSpec& m_spec;
  AddressMapper m_mapper;
  BankTimingCore m_core;
  Tick m_burst, m_cl, m_wl, m_frontend;
  std::vector<std::deque<Entry>> m_queues[2];  // [write][bank], oldest first
  std::vector<Plan> m_plans[2];                // [write][bank]
  std::deque<Order> m_order;      // admitted accesses in age order; front = oldest unserved
  std::uint64_t m_orderBase = 0;  // seq of m_order.front()
  std::deque<Pending> m_backlog;
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
