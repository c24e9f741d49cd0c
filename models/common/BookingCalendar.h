#pragma once
// The bookings of one resource that serves one thing at a time (a NoC link or ejection
// port, an HBM pseudo-channel): disjoint busy intervals in ticks, kept sorted and merged
// when they touch. A request books the earliest interval of its length that starts at or
// after it arrives and overlaps no earlier booking, so bookings may be made out of time
// order (the NoC's transaction fabric reserves a packet's whole path when the packet is
// offered; a temporally decoupled initiator books up to a quantum ahead of another) and a
// request that arrives first still goes first when the gap before a later booking is long
// enough. Booked in time order it is a FIFO server: each request starts at the later of
// its arrival and the end of the last booking.
// Plain C++, no kernel.

#include <cstdint>
#include <vector>

#include "common/Units.h"

namespace chipletsim {

class BookingCalendar {
 public:
  /// Books `hold` ticks (> 0) at the earliest start >= `arrive` (and >= forgotten()) that
  /// overlaps no booking; returns that start.
  Tick book(Tick arrive, Tick hold) { return insert(find(arrive, hold), hold); }
  /// The start book(arrive, hold) would give, booking nothing.
  Tick find(Tick arrive, Tick hold) const {
    const Tick s = arrive > m_forgotten ? arrive : m_forgotten;
    // Most heads arrive after every booking made so far.
    if (s >= m_end) return s;
    return findBetween(s, hold);
  }
  /// Books [start, start + hold), which must overlap no booking (a find() result); returns
  /// start.
  Tick insert(Tick start, Tick hold) {
    if (start >= m_end) {
      // After every booking: joins the last one if it touches it and is still kept.
      if (start == m_end && m_head < m_busy.size())
        m_busy.back().end = start + hold;
      else
        m_busy.push_back(Busy{start, start + hold});
      m_end = start + hold;
    } else {
      insertBetween(start, hold);  // ends at or before a later booking: m_end stays
    }
    return start;
  }
  /// Books [start, end) cut short where the next booking after `start` begins (`start`
  /// must be free): a resource held until a time found later, after others may have booked
  /// beyond it. Returns the end booked.
  Tick insertUntil(Tick start, Tick end) {
    if (start >= m_end) return end > start ? (insert(start, end - start), end) : end;
    const std::size_t i = firstStartingAfter(start);
    if (i < m_busy.size() && m_busy[i].start < end) end = m_busy[i].start;
    if (end > start) insert(start, end - start);
    return end;
  }
  /// Drops the bookings that end at or before `floor`. A later request arriving before the
  /// end of a dropped booking is treated as arriving at that end (never earlier than
  /// anything it may have to wait for).
  void forget(Tick floor) {
    if (m_end <= floor) {
      // Every booking is behind the floor (a resource idle by now): drop them all at once.
      m_forgotten = m_end;
      m_busy.clear();
      m_head = 0;
      return;
    }
    while (m_head < m_busy.size() && m_busy[m_head].end <= floor)
      m_forgotten = m_busy[m_head++].end;
    if (m_head >= 32 && 2 * m_head >= m_busy.size()) compact();
  }
  /// End of the latest booking ever made (0 before the first).
  Tick lastEnd() const { return m_end; }
  /// Earliest start a request may get (the end of the last dropped booking).
  Tick forgotten() const { return m_forgotten; }
  /// Bookings kept (for tests).
  std::size_t intervals() const { return m_busy.size() - m_head; }
  /// Room for `n` bookings without reallocating (a calendar keeps a few dozen at most when
  /// its owner forgets regularly).
  void reserve(std::size_t n) { m_busy.reserve(n); }

 private:
  struct Busy {
    Tick start;
    Tick end;  // exclusive
  };
  /// Index of the first kept booking whose `Field` (start or end) lies after `t` (size()
  /// when none): a few steps back from the latest (most requests land near the end), then
  /// a binary search (a saturated resource queues far behind its latest booking).
  template <Tick Busy::*Field>
  std::size_t firstAfter(Tick t) const;
  std::size_t firstStartingAfter(Tick t) const;
  Tick findBetween(Tick s, Tick hold) const;
  void insertBetween(Tick s, Tick hold);
  void compact();

  std::vector<Busy> m_busy;  // [m_head, size) are live, sorted, disjoint, not touching
  std::size_t m_head = 0;
  Tick m_forgotten = 0;
  Tick m_end = 0;  // end of the latest booking ever made (kept or dropped), >= m_forgotten
};

}  // namespace chipletsim
