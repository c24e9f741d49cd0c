#pragma once
// Independent bit errors at a fixed bit error rate, seen flit by flit. Instead of drawing
// every bit, it draws the gap to the next errored flit from the geometric distribution
// P(flit errored) = 1 - (1 - ber)^bitsPerFlit, so a 1e-15 link costs nothing per flit.
// Deterministic: the same seed gives the same error positions (std::mt19937_64 and
// inverse-CDF sampling, no library distribution whose algorithm may vary).

#include <cstdint>
#include <random>

namespace chipletsim::d2d {

class BitErrorProcess {
 public:
  /// `ber` in [0, 1) per bit; `bitsPerFlit` > 0; `seed` names the random stream.
  BitErrorProcess(double ber, int bitsPerFlit, std::uint64_t seed);

  /// Probability that one flit carries at least one bit error.
  double flitErrorProbability() const { return m_pFlit; }

  /// Consumes up to `flits` transmitted flits. Returns the 1-based index among them of the
  /// first errored flit, or 0 when all `flits` are clean.
  std::uint64_t advance(std::uint64_t flits);

 private:
  std::uint64_t drawGap();  // flits up to and including the next errored one (>= 1)

  double m_pFlit = 0.0;
  double m_logClean = 0.0;  // log(1 - m_pFlit)
  std::mt19937_64 m_rng;
  std::uint64_t m_untilError = 0;  // flits up to and including the next errored flit
};

}  // namespace chipletsim::d2d
