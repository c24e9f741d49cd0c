#include "workload/NocTrafficPattern.h"

#include <string>

#include "common/Errors.h"

namespace chipletsim::workload {

const char* nocPatternName(NocPatternKind k) {
  switch (k) {
    case NocPatternKind::kUniformRandom:
      return "uniform_random";
    case NocPatternKind::kTranspose:
      return "transpose";
    case NocPatternKind::kBitComplement:
      return "bit_complement";
    case NocPatternKind::kHotspot:
      return "hotspot";
    case NocPatternKind::kNearestNeighbour:
      return "nearest_neighbour";
  }
  return "?";
}

NocTrafficPattern::NocTrafficPattern(NocPatternKind kind, int dimX, int dimY,
                                     std::vector<std::uint32_t> hotspots, double hotspotFraction)
    : m_kind(kind),
      m_dimX(dimX),
      m_dimY(dimY),
      m_hotspots(std::move(hotspots)),
      m_hotspotFraction(hotspotFraction) {
  if (dimX < 1 || dimY < 1) throw SpecError("traffic: grid dimensions must be at least 1");
  if (kind == NocPatternKind::kTranspose && dimX != dimY)
    throw SpecError("traffic: transpose needs a square grid of nodes, got " + std::to_string(dimX) +
                    "x" + std::to_string(dimY));
  if (kind == NocPatternKind::kHotspot) {
    if (m_hotspots.empty()) throw SpecError("traffic: hotspot pattern needs hotspot nodes");
    for (std::uint32_t h : m_hotspots)
      if (h >= static_cast<std::uint32_t>(nodes()))
        throw SpecError("traffic: hotspot node " + std::to_string(h) + " is not in the grid");
    if (!(hotspotFraction >= 0.0 && hotspotFraction <= 1.0))
      throw SpecError("traffic: hotspot fraction must lie in [0, 1]");
  }
}

std::uint32_t NocTrafficPattern::destination(std::uint32_t src, NocRandom& rng) const {
  const int x = static_cast<int>(src) % m_dimX;
  const int y = static_cast<int>(src) / m_dimX;
  switch (m_kind) {
    case NocPatternKind::kUniformRandom:
      return rng.below(static_cast<std::uint32_t>(nodes()));
    case NocPatternKind::kTranspose:
      return static_cast<std::uint32_t>(x * m_dimX + y);
    case NocPatternKind::kBitComplement:
      return static_cast<std::uint32_t>(nodes() - 1) - src;
    case NocPatternKind::kHotspot: {
      if (rng.unit() < m_hotspotFraction)
        return m_hotspots[rng.below(static_cast<std::uint32_t>(m_hotspots.size()))];
      return rng.below(static_cast<std::uint32_t>(nodes()));
    }
    case NocPatternKind::kNearestNeighbour: {
      std::uint32_t n[4];
      const int count = neighbours(src, n);
      if (count == 0) return src;  // a 1x1 grid has no neighbour
      return n[rng.below(static_cast<std::uint32_t>(count))];
    }
  }
  return src;
}

int NocTrafficPattern::neighbours(std::uint32_t src, std::uint32_t out[4]) const {
  const int x = static_cast<int>(src) % m_dimX;
  const int y = static_cast<int>(src) / m_dimX;
  int count = 0;
  const auto add = [&](int ax, int ay) {
    if (ax >= 0 && ax < m_dimX && ay >= 0 && ay < m_dimY)
      out[count++] = static_cast<std::uint32_t>(ay * m_dimX + ax);
  };
  add(x + 1, y);
  add(x - 1, y);
  add(x, y + 1);
  add(x, y - 1);
  return count;
}

std::vector<std::pair<std::uint32_t, double>> NocTrafficPattern::distribution(
    std::uint32_t src) const {
  std::vector<std::pair<std::uint32_t, double>> out;
  const auto n = static_cast<std::uint32_t>(nodes());
  switch (m_kind) {
    case NocPatternKind::kUniformRandom:
      for (std::uint32_t d = 0; d < n; ++d) out.push_back({d, 1.0 / n});
      break;
    case NocPatternKind::kHotspot:
      for (std::uint32_t d = 0; d < n; ++d) out.push_back({d, (1.0 - m_hotspotFraction) / n});
      for (std::uint32_t h : m_hotspots)
        out[h].second += m_hotspotFraction / static_cast<double>(m_hotspots.size());
      break;
    case NocPatternKind::kNearestNeighbour: {
      std::uint32_t nb[4];
      const int count = neighbours(src, nb);
      if (count == 0) out.push_back({src, 1.0});
      for (int k = 0; k < count; ++k) out.push_back({nb[k], 1.0 / count});
      break;
    }
    case NocPatternKind::kTranspose:
    case NocPatternKind::kBitComplement: {
      NocRandom unused;  // deterministic patterns draw nothing
      out.push_back({destination(src, unused), 1.0});
      break;
    }
  }
  return out;
}

}  // namespace chipletsim::workload
