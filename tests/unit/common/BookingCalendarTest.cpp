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
