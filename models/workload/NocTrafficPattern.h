#pragma once
// Synthetic NoC traffic patterns (Dally & Towles ch. 3): where a packet injected at node
// `src` goes. Nodes are the NoC's endpoints, laid out row-major on a dimX x dimY grid
// (node = y * dimX + x). Plain C++; randomness comes from the caller's seeded generator.

#include <cstdint>
#include <utility>
#include <vector>

#include "workload/NocRandom.h"

namespace chipletsim::workload {

enum class NocPatternKind {
  kUniformRandom,    // every node (itself included) equally likely
  kTranspose,        // (x, y) -> (y, x); needs a square grid
  kBitComplement,    // node i -> N - 1 - i (the bitwise complement when N is a power of 2)
  kHotspot,          // a fraction of packets to the hotspot nodes, the rest uniform
  kNearestNeighbour  // one of the (up to 4) grid neighbours, equally likely
};

const char* nocPatternName(NocPatternKind k);

class NocTrafficPattern {
 public:
  /// Throws SpecError when the pattern does not fit the grid (transpose on a non-square
  /// grid, hotspot without hotspots or a hotspot outside the grid, fraction outside [0,1]).
  NocTrafficPattern(NocPatternKind kind, int dimX, int dimY,
                    std::vector<std::uint32_t> hotspots = {}, double hotspotFraction = 0.0);

  NocPatternKind kind() const { return m_kind; }
  int nodes() const { return m_dimX * m_dimY; }
  /// The destination of a packet from `src` (< nodes()).
  std::uint32_t destination(std::uint32_t src, NocRandom& rng) const;
  /// The exact distribution destination() draws from: (node, probability) pairs summing
  /// to 1, for analytical channel loads.
  std::vector<std::pair<std::uint32_t, double>> distribution(std::uint32_t src) const;

 private:
  /// The grid neighbours of `src` into `out` (up to 4); returns how many.
  int neighbours(std::uint32_t src, std::uint32_t out[4]) const;

  NocPatternKind m_kind;
  int m_dimX;
  int m_dimY;
  std::vector<std::uint32_t> m_hotspots;
  double m_hotspotFraction;
};

}  // namespace chipletsim::workload
