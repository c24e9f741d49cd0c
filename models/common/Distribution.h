#pragma once
// A streaming distribution of non-negative samples (latencies, occupancies): exact count,
// sum, min and max, and percentiles from a log-bucketed histogram whose relative error is
// below 0.4%. Memory grows with the dynamic range of the samples, not with their number,
// and the result does not depend on anything but the samples (deterministic).

#include <cstdint>
#include <map>

namespace chipletsim {

class Distribution {
 public:
  void add(double value, std::uint64_t count = 1);
  void merge(const Distribution& other);

  std::uint64_t count() const { return m_count; }
  double sum() const { return m_sum; }
  double mean() const { return m_count ? m_sum / static_cast<double>(m_count) : 0.0; }
  double min() const { return m_count ? m_min : 0.0; }
  double max() const { return m_count ? m_max : 0.0; }
  /// q in [0, 1]; 0 when empty. Clamped to [min, max].
  double percentile(double q) const;

 private:
  static int bucketOf(double v);
  static double bucketMid(int bucket);

  std::map<int, std::uint64_t> m_buckets;
  std::uint64_t m_count = 0;
  double m_sum = 0.0;
  double m_min = 0.0;
  double m_max = 0.0;
};

}  // namespace chipletsim
