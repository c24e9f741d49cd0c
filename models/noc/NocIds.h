#pragma once
// Strong ids of the network-on-chip: a RouterId can never index a port, an endpoint or a
// link. Each wraps a dense zero-based index (the position in the owning vector).

#include <cstdint>
#include <limits>

namespace chipletsim::noc {

/// A dense zero-based index tagged with what it indexes.
template <class Tag>
class StrongId {
 public:
  static constexpr std::uint32_t kInvalidValue = std::numeric_limits<std::uint32_t>::max();

  constexpr StrongId() = default;
  constexpr explicit StrongId(std::uint32_t v) : m_value(v) {}
  constexpr std::uint32_t value() const { return m_value; }
  constexpr bool valid() const { return m_value != kInvalidValue; }

  constexpr bool operator==(StrongId o) const { return m_value == o.m_value; }
  constexpr bool operator!=(StrongId o) const { return m_value != o.m_value; }
  constexpr bool operator<(StrongId o) const { return m_value < o.m_value; }

 private:
  std::uint32_t m_value = kInvalidValue;
};

using RouterId = StrongId<struct RouterIdTag>;
/// A port of one router: network ports first (0..degree-1), then local endpoint ports.
using PortId = StrongId<struct PortIdTag>;
using EndpointId = StrongId<struct EndpointIdTag>;
/// A directed router-to-router channel.
using LinkId = StrongId<struct LinkIdTag>;

}  // namespace chipletsim::noc
