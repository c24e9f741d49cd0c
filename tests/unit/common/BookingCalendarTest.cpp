// The booking calendar (NoC channels, HBM pseudo-channels): earliest-fit bookings that never
// overlap, whatever order they are made in.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "common/BookingCalendar.h"

using chipletsim::BookingCalendar;
using chipletsim::Tick;

TEST(BookingCalendar, FreeChannelStartsAtArrival) {
  BookingCalendar c;
  EXPECT_EQ(c.book(100, 40), 100u);
  EXPECT_EQ(c.book(140, 40), 140u);  // back to back: merged into one booking
  EXPECT_EQ(c.intervals(), 1u);
}

TEST(BookingCalendar, BusyChannelQueuesBehindTheBookingItOverlaps) {
  BookingCalendar c;
  c.book(100, 40);
  EXPECT_EQ(c.book(120, 40), 140u);
}

TEST(BookingCalendar, EarlierArrivalBookedLaterTakesAGapLongEnough) {
  BookingCalendar c;
  c.book(200, 40);                   // a packet offered first that arrives later
  EXPECT_EQ(c.book(100, 40), 100u);  // fits before it: goes first
  EXPECT_EQ(c.book(170, 40), 240u);  // only 30 free ticks before 200: waits behind it
  EXPECT_EQ(c.book(140, 10), 140u);  // a short one fits the gap [140, 150)
}

TEST(BookingCalendar, ForgottenBookingsHoldBackStragglers) {
  BookingCalendar c;
  c.book(100, 40);
  c.forget(150);
  EXPECT_EQ(c.intervals(), 0u);
  EXPECT_EQ(c.forgotten(), 140u);
  // A request from before the floor cannot start before what it may have waited for.
  EXPECT_EQ(c.book(90, 10), 140u);
}

TEST(BookingCalendar, RandomBookingsNeverOverlapAndStartAtOrAfterArrival) {
  BookingCalendar c;
  std::mt19937_64 rng(3);
  std::vector<std::pair<Tick, Tick>> got;
  Tick floor = 0;
  for (int i = 0; i < 20000; ++i) {
    floor += rng() % 3;
    const Tick arrive = floor + rng() % 200;
    const Tick hold = 1 + rng() % 40;
    c.forget(floor);
    const Tick s = c.book(arrive, hold);
    ASSERT_GE(s, arrive);
    got.emplace_back(s, s + hold);
  }
  std::sort(got.begin(), got.end());
  for (std::size_t i = 1; i < got.size(); ++i)
    ASSERT_LE(got[i - 1].second, got[i].first) << "bookings " << i - 1 << " and " << i;
  EXPECT_LT(c.intervals(), 1000u) << "bookings behind the floor are dropped";
}

TEST(BookingCalendar, InsertUntilStopsWhereTheNextBookingBegins) {
  BookingCalendar c;
  c.book(200, 40);
  EXPECT_EQ(c.insertUntil(100, 300), 200u);  // held until 300, but [200, 240) is taken
  EXPECT_EQ(c.intervals(), 1u);              // [100, 200) joins [200, 240)
  EXPECT_EQ(c.insertUntil(240, 260), 260u);  // nothing after it: booked whole
  EXPECT_EQ(c.book(100, 10), 260u);
}

TEST(BookingCalendar, ForgettingEveryBookingKeepsTheLastEndAsTheEarliestStart) {
  BookingCalendar c;
  c.book(100, 40);
  c.book(300, 20);  // last booking ends at 320
  c.forget(500);    // all behind the floor: dropped at once
  EXPECT_EQ(c.intervals(), 0u);
  EXPECT_EQ(c.forgotten(), 320u);
  EXPECT_EQ(c.lastEnd(), 320u);
  EXPECT_EQ(c.book(200, 10), 320u);  // a straggler waits for what it may have queued behind
  EXPECT_EQ(c.book(600, 10), 600u);
}

TEST(BookingCalendar, ForgettingBehindTheFloorChangesNoStartAtOrAfterIt) {
  // The NoC and HBM models forget bookings that end before every later request's arrival;
  // that must give each request the start a calendar that forgets nothing gives it.
  BookingCalendar forgets, keeps;
  std::mt19937_64 rng(5);
  Tick floor = 0;
  for (int i = 0; i < 20000; ++i) {
    floor += rng() % 4;
    const Tick arrive = floor + rng() % 120;  // out of order, never before the floor
    const Tick hold = 1 + rng() % 30;
    forgets.forget(floor);
    const Tick s = forgets.book(arrive, hold);
    ASSERT_EQ(s, keeps.book(arrive, hold)) << "request " << i;
    // A resource held until a time found later (a VC, an input port): from a free start.
    const Tick from = s + hold + rng() % 20;
    const Tick free = keeps.find(from, 1);
    ASSERT_EQ(forgets.find(from, 1), free) << "request " << i;
    ASSERT_EQ(forgets.insertUntil(free, free + 5), keeps.insertUntil(free, free + 5))
        << "request " << i;
  }
  EXPECT_LT(forgets.intervals(), keeps.intervals()) << "bookings behind the floor are dropped";
}

TEST(BookingCalendar, EarliestFitIsTheFirstLongEnoughGapInALongCalendar) {
  // Requests spread far behind the latest booking (a saturated resource: hundreds of
  // bookings, most searches land deep inside): every start equals a brute-force search
  // for the first gap of the hold's length at or after the arrival.
  BookingCalendar c;
  std::vector<std::pair<Tick, Tick>> busy;  // reference, kept sorted
  std::mt19937_64 rng(11);
  for (int i = 0; i < 3000; ++i) {
    const Tick arrive = rng() % 200000;
    const Tick hold = 1 + rng() % 60;
    Tick expect = arrive;
    for (const auto& [s, e] : busy) {
      if (e <= expect) continue;
      if (s >= expect + hold) break;
      expect = e;
    }
    ASSERT_EQ(c.book(arrive, hold), expect) << "request " << i;
    busy.insert(std::upper_bound(busy.begin(), busy.end(), std::make_pair(expect, Tick(0))),
                {expect, expect + hold});
  }
  EXPECT_GT(c.intervals(), 100u) << "the calendar must grow long for this check to mean much";
}
