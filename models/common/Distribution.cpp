#include "common/Distribution.h"

#include <algorithm>
#include <cmath>

namespace chipletsim {

namespace {
constexpr int kSubBuckets = 128;  // per power of two: relative width 1/128
constexpr int kZeroBucket = -1000000;
}  // namespace

int Distribution::bucketOf(double v) {
  if (!(v > 0.0)) return kZeroBucket;
  int exp = 0;
  const double mant = std::frexp(v, &exp);  // v = mant * 2^exp, mant in [0.5, 1)
  const int sub = std::min(kSubBuckets - 1, static_cast<int>((mant - 0.5) * 2.0 * kSubBuckets));
  return exp * kSubBuckets + sub;
}

double Distribution::bucketMid(int bucket) {
  if (bucket == kZeroBucket) return 0.0;
  const int exp =
      (bucket >= 0) ? bucket / kSubBuckets : -((-bucket + kSubBuckets - 1) / kSubBuckets);
  const int sub = bucket - exp * kSubBuckets;
  const double lo = 0.5 + static_cast<double>(sub) / (2.0 * kSubBuckets);
  const double hi = lo + 1.0 / (2.0 * kSubBuckets);
  return std::ldexp((lo + hi) / 2.0, exp);
}

void Distribution::add(double value, std::uint64_t count) {
  if (count == 0) return;
  if (value < 0.0 || std::isnan(value)) value = 0.0;
  if (m_count == 0) {
    m_min = m_max = value;
  } else {
    m_min = std::min(m_min, value);
    m_max = std::max(m_max, value);
  }
  m_count += count;
  m_sum += value * static_cast<double>(count);
  m_buckets[bucketOf(value)] += count;
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
  for (const auto& [b, c] : o.m_buckets) m_buckets[b] += c;
}

double Distribution::percentile(double q) const {
  if (m_count == 0) return 0.0;
  q = std::clamp(q, 0.0, 1.0);
  // Rank of the sample wanted, 1-based (nearest-rank definition).
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(m_count))));
  std::uint64_t seen = 0;
  for (const auto& [b, c] : m_buckets) {
    seen += c;
    if (seen >= rank) return std::clamp(bucketMid(b), m_min, m_max);
  }
  return m_max;
}

}  // namespace chipletsim
