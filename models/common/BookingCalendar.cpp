#include "common/BookingCalendar.h"

#include <algorithm>

namespace chipletsim {

Tick BookingCalendar::findBetween(Tick s, Tick hold) const {
  const std::size_t n = m_busy.size();
  // The first booking that ends after s, searched from the latest: a packet's head mostly
  // arrives after the bookings made before it.
  std::size_t i = n;
  while (i > m_head && m_busy[i - 1].end > s) --i;
  // Every booking from i on ends after s; move past those that leave too short a gap.
  while (i < n && m_busy[i].start < s + hold) s = m_busy[i++].end;
  return s;
}

void BookingCalendar::insertBetween(Tick s, Tick hold) {
  const std::size_t n = m_busy.size();
  std::size_t i = n;  // the first booking that starts after s
  while (i > m_head && m_busy[i - 1].start > s) --i;
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
