#pragma once
// Typed decoding of one scalar Node. Quantities must carry a unit of the right dimension
// ("819.2 GB/s", "2 ns", "1.8 GHz", "24 GiB", "0.3 pJ/bit", "25 um", "850 mm2", "$16988");
// a bare number or a unit of another dimension is a ConfigError naming the node and listing
// the accepted units. Plain numbers (counts, ratios) are written without a unit.

#include <cstdint>
#include <string>
#include <vector>

#include "common/Units.h"
#include "config/Node.h"

namespace chipletsim::config {

void decode(const Node& n, bool& out);
void decode(const Node& n, int& out);
void decode(const Node& n, unsigned& out);
void decode(const Node& n, std::int64_t& out);
void decode(const Node& n, std::uint64_t& out);
void decode(const Node& n, double& out);
void decode(const Node& n, std::string& out);
void decode(const Node& n, Duration& out);
void decode(const Node& n, Frequency& out);
void decode(const Node& n, DataSize& out);
void decode(const Node& n, Bandwidth& out);
void decode(const Node& n, BitRate& out);
void decode(const Node& n, Energy& out);
void decode(const Node& n, EnergyPerBit& out);
void decode(const Node& n, Power& out);
void decode(const Node& n, Length& out);
void decode(const Node& n, Area& out);
void decode(const Node& n, Money& out);
void decode(const Node& n, FlopRate& out);
void decode(const Node& n, DefectDensity& out);

/// The numeric value used by range checks: the number itself, or a quantity's SI value.
inline double numericValue(double v) {
  return v;
}
inline double numericValue(int v) {
  return v;
}
inline double numericValue(unsigned v) {
  return v;
}
inline double numericValue(std::int64_t v) {
  return static_cast<double>(v);
}
inline double numericValue(std::uint64_t v) {
  return static_cast<double>(v);
}
template <class Tag>
double numericValue(Quantity<Tag> q) {
  return q.si();
}

/// Formats an SI value of the quantity type Q with its customary unit ("819.2 GB/s").
std::string formatSi(double si, const char* unit);

/// A string-to-enum table whose error lists every valid spelling.
template <class E>
struct EnumTable {
  std::vector<std::pair<std::string, E>> entries;

  E decode(const Node& n) const {
    if (!n.isScalar()) n.expected("one of " + spellings());
    for (const auto& [name, value] : entries)
      if (name == n.text()) return value;
    n.fail("expected one of " + spellings() + ", got '" + n.text() + "'");
  }
  const std::string& nameOf(E e) const {
    for (const auto& entry : entries)
      if (entry.second == e) return entry.first;
    throw InternalError("EnumTable: value without a name");
  }
  std::string spellings() const {
    std::string s;
    for (std::size_t i = 0; i < entries.size(); ++i) s += (i ? ", " : "") + entries[i].first;
    return s;
  }
};

}  // namespace chipletsim::config
