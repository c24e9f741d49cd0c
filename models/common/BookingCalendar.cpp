#include "common/BookingCalendar.h"

#include <algorithm>

namespace chipletsim {

namespace {
constexpr std::size_t kScanBack = 8;  // linear steps before the binary search
}  // namespace

template <Tick BookingCalendar::Busy::*Field>
std::size_t BookingCalendar::firstAfter(Tick t) const {
  std::size_t i = m_busy.size();
  for (std::size_t k = 0; k < kScanBack; ++k, --i)
    if (i == m_head || m_busy[i - 1].*Field <= t) return i;
  return static_cast<std::size_t>(
      std::partition_point(m_busy.begin() + static_cast<std::ptrdiff_t>(m_head),
                           m_busy.begin() + static_cast<std::ptrdiff_t>(i),
                           [t](const Busy& b) { return b.*Field <= t; }) -
      m_busy.begin());
}

std::size_t BookingCalendar::firstStartingAfter(Tick t) const {
  return firstAfter<&Busy::start>(t);
}

Tick BookingCalendar::findBetween(Tick s, Tick hold) const {
  const std::size_t n = m_busy.size();
  // Every booking from the first that ends after s on ends after s; move past those that
  // leave too short a gap.
  std::size_t i = firstAfter<&Busy::end>(s);
  while (i < n && m_busy[i].start < s + hold) s = m_busy[i++].end;
  return s;
}

void BookingCalendar::insertBetween(Tick s, Tick hold) {
  const std::size_t n = m_busy.size();
  const std::size_t i = firstStartingAfter(s);
  const Tick e = s + hold;
  const bool joinsPrev = i > m_head && m_busy[i - 1].end == s;
  const bool joinsNext = i < n && m_busy[i].start == e;
  if (joinsPrev && joinsNext) {
    m_busy[i - 1].end = m_busy[i].end;
    m_busy.erase(m_busy.begin() + static_cast<std::ptrdiff_t>(i));
  } else if (joinsPrev) {
    m_busy[i - 1].end = e;
  } else if (joinsNext) {
    m_busy[i].start = s;
  } else {
    m_busy.insert(m_busy.begin() + static_cast<std::ptrdiff_t>(i), Busy{s, e});
  }
}

void BookingCalendar::compact() {
  m_busy.erase(m_busy.begin(), m_busy.begin() + static_cast<std::ptrdiff_t>(m_head));
  m_head = 0;
}

}  // namespace chipletsim
