#pragma once
// A streaming distribution of non-negative samples (latencies, occupancies): exact count,
// sum, min and max, and percentiles from a log-bucketed histogram whose relative error is
// below 0.4% (128 buckets per power of two). Memory grows with the dynamic range of the
// samples, not with their number: the buckets between the smallest and the largest
// positive sample are one flat array, so add() is a few instructions (it is called per
// packet, per transfer and per memory request). The result depends on nothing but the
// samples (deterministic).

#include <cfloat>
#include <cstdint>
#include <cstring>
#include <vector>

namespace chipletsim {

class Distribution {
 public:
  void add(double value, std::uint64_t count = 1) {
    // The common case inline: one positive normal sample into a bucket that exists.
    if (count == 1 && m_count > 0 && value >= DBL_MIN && value <= DBL_MAX) {
      const std::int64_t i = bucketOf(value) - m_first;
      if (i >= 0 && i < static_cast<std::int64_t>(m_buckets.size())) {
        m_min = value < m_min ? value : m_min;
        m_max = value > m_max ? value : m_max;
        ++m_count;
        m_sum += value;
        ++m_buckets[static_cast<std::size_t>(i)];
        return;
      }
    }
    addSlow(value, count);
  }
  void merge(const Distribution& other);

  std::uint64_t count() const { return m_count; }
  double sum() const { return m_sum; }
  double mean() const { return m_count ? m_sum / static_cast<double>(m_count) : 0.0; }
  double min() const { return m_count ? m_min : 0.0; }
  double max() const { return m_count ? m_max : 0.0; }
  /// q in [0, 1]; 0 when empty. Clamped to [min, max].
  double percentile(double q) const;

 private:
  /// Bucket of a positive sample: 128 x (binary exponent) + the top 7 mantissa bits.
  static std::int64_t bucketOf(double v) {
    // v = m x 2^e with m in [0.5, 1) (frexp); the bucket is e x 128 + floor((m - 0.5) x 256):
    // for a normal double, its biased exponent and top 7 mantissa bits, read directly.
    if (v >= DBL_MIN && v <= DBL_MAX) {
      std::uint64_t bits = 0;
      std::memcpy(&bits, &v, sizeof bits);
      return static_cast<std::int64_t>(bits >> (52 - kSubBucketBits)) - 1022 * kSubBuckets;
    }
    return bucketOfSpecial(v);
  }
  static std::int64_t bucketOfSpecial(double v);  // subnormal or infinite
  void addSlow(double value, std::uint64_t count);
  static constexpr int kSubBucketBits = 7;  // 128 buckets per power of two: width 1/128
  static constexpr std::int64_t kSubBuckets = std::int64_t{1} << kSubBucketBits;
  static double bucketMid(std::int64_t bucket);
  /// Makes `bucket` addressable in m_buckets (which then covers [m_first, ...)).
  void cover(std::int64_t bucket);

  std::vector<std::uint64_t> m_buckets;  // m_buckets[i] counts bucket m_first + i
  std::int64_t m_first = 0;
  std::uint64_t m_zeros = 0;  // samples equal to 0 (or negative or NaN, recorded as 0)
  std::uint64_t m_count = 0;
  double m_sum = 0.0;
  double m_min = 0.0;
  double m_max = 0.0;
};

}  // namespace chipletsim
