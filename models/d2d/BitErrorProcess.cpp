#include "d2d/BitErrorProcess.h"

#include <cmath>
#include <limits>

#include "common/Errors.h"

namespace chipletsim::d2d {

namespace {
constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();
}

BitErrorProcess::BitErrorProcess(double ber, int bitsPerFlit, std::uint64_t seed) : m_rng(seed) {
  if (!(ber >= 0.0 && ber < 1.0)) throw SpecError("bit error rate must lie in [0, 1)");
  if (bitsPerFlit <= 0) throw SpecError("bits per flit must be positive");
  // 1 - (1 - ber)^n without cancellation at ber ~ 1e-15.
  m_pFlit = -std::expm1(bitsPerFlit * std::log1p(-ber));
  m_logClean = std::log1p(-m_pFlit);
  m_untilError = drawGap();
}

std::uint64_t BitErrorProcess::drawGap() {
  if (m_pFlit <= 0.0) return kNever;
  // U in (0, 1]: 53 random bits, offset so that log(U) is finite.
  const double u = (static_cast<double>(m_rng() >> 11) + 1.0) * 0x1.0p-53;
  const double k = std::floor(std::log(u) / m_logClean);
  if (!(k < 1e18)) return kNever;
  return static_cast<std::uint64_t>(k) + 1;
}

std::uint64_t BitErrorProcess::advance(std::uint64_t flits) {
  if (flits < m_untilError) {
    if (m_untilError != kNever) m_untilError -= flits;
    return 0;
  }
  const std::uint64_t hit = m_untilError;
  m_untilError = drawGap();
  return hit;
}

}  // namespace chipletsim::d2d
