#include "d2d/CreditPool.h"

#include "common/Errors.h"

namespace chipletsim::d2d {

CreditPool::CreditPool(std::uint64_t capacity) : m_capacity(capacity), m_free(capacity) {
  if (capacity == 0) throw SpecError("receive buffer must hold at least one byte");
}

std::uint64_t CreditPool::freeAt(Tick at) const {
  std::uint64_t f = m_free;
  for (auto it = m_pending.begin(); it != m_pending.end() && it->first <= at; ++it) f += it->second;
  return f;
}

std::optional<Tick> CreditPool::earliest(Tick now, std::uint64_t credits) const {
  std::uint64_t f = m_free;
  auto it = m_pending.begin();
  for (; it != m_pending.end() && it->first <= now; ++it) f += it->second;
  if (f >= credits) return now;
  for (; it != m_pending.end(); ++it) {
    f += it->second;
    if (f >= credits) return it->first;
  }
  return std::nullopt;
}

void CreditPool::settle(Tick at) {
  auto it = m_pending.begin();
  for (; it != m_pending.end() && it->first <= at; ++it) m_free += it->second;
  m_pending.erase(m_pending.begin(), it);
}

void CreditPool::take(Tick now, Tick at, std::uint64_t credits) {
  settle(at);
  require(m_free >= credits, "CreditPool::take: not enough credits");
  m_free -= credits;
  m_outstanding += credits;
  if (at > now) {
    ++m_stalls;
    m_stallTicks += at - now;
  }
}

void CreditPool::release(Tick at, std::uint64_t credits) {
  require(credits <= m_outstanding, "CreditPool::release: more credits than were taken");
  m_outstanding -= credits;
  m_pending[at] += credits;
}

}  // namespace chipletsim::d2d
