#include "common/Distribution.h"

#include <algorithm>
#include <cmath>

namespace chipletsim {

std::int64_t Distribution::bucketOfSpecial(double v) {
  if (v > DBL_MAX) return (DBL_MAX_EXP + 1) * kSubBuckets;  // +inf: above every finite value
  int exp = 0;
  const double mant = std::frexp(v, &exp);  // subnormal
  const auto sub = std::min<std::int64_t>(
      kSubBuckets - 1, static_cast<std::int64_t>((mant - 0.5) * 2.0 * kSubBuckets));
  return exp * kSubBuckets + sub;
}

double Distribution::bucketMid(std::int64_t bucket) {
  const std::int64_t exp =
      bucket >= 0 ? bucket / kSubBuckets : -((-bucket + kSubBuckets - 1) / kSubBuckets);
  const std::int64_t sub = bucket - exp * kSubBuckets;
  const double lo = 0.5 + static_cast<double>(sub) / (2.0 * kSubBuckets);
  const double hi = lo + 1.0 / (2.0 * kSubBuckets);
  return std::ldexp((lo + hi) / 2.0, static_cast<int>(exp));
}

void Distribution::cover(std::int64_t bucket) {
  if (m_buckets.empty()) {
    m_first = bucket;
    m_buckets.assign(1, 0);
    return;
  }
  const auto size = static_cast<std::int64_t>(m_buckets.size());
  if (bucket < m_first) {
    // Grow downwards by at least the current size so repeated growth stays amortised O(1).
    const std::int64_t grow = std::max(m_first - bucket, size);
    m_buckets.insert(m_buckets.begin(), static_cast<std::size_t>(grow), 0);
    m_first -= grow;
  } else if (bucket >= m_first + size) {
    m_buckets.resize(static_cast<std::size_t>(bucket - m_first + 1), 0);
  }
}

void Distribution::addSlow(double value, std::uint64_t count) {
  if (count == 0) return;
  if (!(value >= 0.0)) value = 0.0;  // negative or NaN
  if (m_count == 0) {
    m_min = m_max = value;
  } else {
    m_min = std::min(m_min, value);
    m_max = std::max(m_max, value);
  }
  m_count += count;
  m_sum += value * static_cast<double>(count);
  if (value == 0.0) {
    m_zeros += count;
    return;
  }
  const std::int64_t b = bucketOf(value);
  if (b < m_first || b >= m_first + static_cast<std::int64_t>(m_buckets.size())) cover(b);
  m_buckets[static_cast<std::size_t>(b - m_first)] += count;
}

void Distribution::merge(const Distribution& o) {
  if (o.m_count == 0) return;
  if (m_count == 0) {
    *this = o;
    return;
  }
  m_min = std::min(m_min, o.m_min);
  m_max = std::max(m_max, o.m_max);
  m_count += o.m_count;
  m_sum += o.m_sum;
  m_zeros += o.m_zeros;
  if (o.m_buckets.empty()) return;
  cover(o.m_first);
  cover(o.m_first + static_cast<std::int64_t>(o.m_buckets.size()) - 1);
  const auto offset = static_cast<std::size_t>(o.m_first - m_first);
  for (std::size_t i = 0; i < o.m_buckets.size(); ++i) m_buckets[offset + i] += o.m_buckets[i];
}

double Distribution::percentile(double q) const {
  if (m_count == 0) return 0.0;
  q = std::clamp(q, 0.0, 1.0);
  // Rank of the sample wanted, 1-based (nearest-rank definition).
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(m_count))));
  std::uint64_t seen = m_zeros;
  if (seen >= rank) return std::clamp(0.0, m_min, m_max);
  for (std::size_t i = 0; i < m_buckets.size(); ++i) {
    seen += m_buckets[i];
    if (seen >= rank)
      return std::clamp(bucketMid(m_first + static_cast<std::int64_t>(i)), m_min, m_max);
  }
  return m_max;
}

}  // namespace chipletsim
