#pragma once
// The random stream of the synthetic NoC traffic: one generator per node, cheap to seed and
// to draw from, so that the transaction fabric's run is not spent on drawing its traffic.
// xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number generators", ACM
// TOMS 47(4), 2021), its 256-bit state filled by SplitMix64 (Steele, Lea & Flood, "Fast
// splittable pseudorandom number generators", OOPSLA 2014) from the run's seed and the node,
// as its authors recommend; both written here from the published algorithms. Bounded
// integers by Lemire's multiply-and-reject method ("Fast random integer generation in an
// interval", ACM TOMACS 29(1), 2019), unbiased. Deterministic across compilers and
// platforms: integer arithmetic only, apart from the geometric draw's logarithm (IEEE 754).
// A UniformRandomBitGenerator, so std distributions accept it too.

#include <cmath>
#include <cstdint>
#include <limits>

namespace chipletsim::workload {

/// One step of SplitMix64: advances `state` and returns the next output.
inline std::uint64_t splitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

class NocRandom {
 public:
  using result_type = std::uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  /// The state is four successive SplitMix64 outputs from `seed` (never all zero).
  explicit NocRandom(std::uint64_t seed = 0) {
    for (std::uint64_t& w : m_s) w = splitMix64(seed);
  }
  /// Node `node`'s generator for a run seeded with `seed`: distinct SplitMix64 seeds, so
  /// the streams of different nodes do not overlap in any practical run.
  static NocRandom forNode(std::uint64_t seed, std::uint32_t node) {
    std::uint64_t s = seed;
    const std::uint64_t a = splitMix64(s);
    return NocRandom(a ^ (0xd1b54a32d192ed03ull * (std::uint64_t{node} + 1)));
  }

  /// The next 64 random bits (xoshiro256**).
  result_type operator()() {
    const std::uint64_t out = rotl(m_s[1] * 5, 7) * 9;
    const std::uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return out;
  }
  /// Uniform in [0, n), n >= 1, unbiased.
  std::uint32_t below(std::uint32_t n) {
    std::uint64_t m = ((*this)() >> 32) * n;
    if (static_cast<std::uint32_t>(m) < n) {
      const std::uint32_t reject = (0u - n) % n;  // 2^32 mod n
      while (static_cast<std::uint32_t>(m) < reject) m = ((*this)() >> 32) * n;
    }
    return static_cast<std::uint32_t>(m >> 32);
  }
  /// Uniform in (0, 1], 53 bits.
  double unitOpenClosed() { return static_cast<double>(((*this)() >> 11) + 1) * 0x1.0p-53; }
  /// Uniform in [0, 1), 53 bits.
  double unit() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }
  /// Failures before the first success of Bernoulli trials with success probability p,
  /// given `invLogQ` = 1 / ln(1 - p) (< 0; 0 when p = 1): floor(ln U / ln(1 - p)) for U
  /// uniform in (0, 1], which is geometric with P(k) = (1 - p)^k p.
  std::uint64_t geometric(double invLogQ) {
    if (invLogQ == 0.0) return 0;
    const double k = std::floor(std::log(unitOpenClosed()) * invLogQ);
    return k < 9.0e18 ? static_cast<std::uint64_t>(k) : std::uint64_t{9000000000000000000ull};
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t m_s[4];
};

}  // namespace chipletsim::workload
