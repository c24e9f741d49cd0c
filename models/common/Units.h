#pragma once
// Physical quantities with their dimension in the type. Every value is stored in SI base
// units (seconds, hertz, bytes, bytes per second, bits per second, joules, ...) so that a
// Bandwidth can never be passed where a Duration is expected. Simulation time inside the
// plain-C++ cores is an integer Tick (picoseconds) so that cores are exact and deterministic.

#include <cmath>
#include <cstdint>

namespace chipletsim {

/// Simulation time in integer picoseconds (SystemC's default resolution).
using Tick = std::uint64_t;
constexpr Tick kTicksPerNs = 1000;
constexpr Tick kTicksPerSecond = 1000ull * 1000 * 1000 * 1000;

template <class Tag>
class Quantity {
 public:
  constexpr Quantity() = default;
  /// Construct from the value in SI base units of the dimension.
  constexpr explicit Quantity(double si) : m_si(si) {}
  constexpr double si() const { return m_si; }

  constexpr Quantity operator+(Quantity o) const { return Quantity(m_si + o.m_si); }
  constexpr Quantity operator-(Quantity o) const { return Quantity(m_si - o.m_si); }
  constexpr Quantity operator*(double k) const { return Quantity(m_si * k); }
  constexpr Quantity operator/(double k) const { return Quantity(m_si / k); }
  constexpr double operator/(Quantity o) const { return m_si / o.m_si; }
  Quantity& operator+=(Quantity o) {
    m_si += o.m_si;
    return *this;
  }
  Quantity& operator-=(Quantity o) {
    m_si -= o.m_si;
    return *this;
  }
  constexpr bool operator<(Quantity o) const { return m_si < o.m_si; }
  constexpr bool operator>(Quantity o) const { return m_si > o.m_si; }
  constexpr bool operator<=(Quantity o) const { return m_si <= o.m_si; }
  constexpr bool operator>=(Quantity o) const { return m_si >= o.m_si; }
  constexpr bool operator==(Quantity o) const { return m_si == o.m_si; }
  constexpr bool operator!=(Quantity o) const { return m_si != o.m_si; }

 private:
  double m_si = 0.0;
};

template <class Tag>
constexpr Quantity<Tag> operator*(double k, Quantity<Tag> q) {
  return q * k;
}

// Dimensions. The comment names the SI unit that si() returns.
struct DurationTag {};      // seconds
struct FrequencyTag {};     // hertz
struct DataSizeTag {};      // bytes
struct BandwidthTag {};     // bytes per second
struct BitRateTag {};       // bits (transfers) per second per lane
struct EnergyTag {};        // joules
struct EnergyPerBitTag {};  // joules per bit
struct PowerTag {};         // watts
struct LengthTag {};        // metres
struct AreaTag {};          // square metres
struct MoneyTag {};         // US dollars
struct FlopRateTag {};      // floating-point operations per second
struct DensityTag {};       // defects per square metre

using Duration = Quantity<DurationTag>;
using Frequency = Quantity<FrequencyTag>;
using DataSize = Quantity<DataSizeTag>;
using Bandwidth = Quantity<BandwidthTag>;
using BitRate = Quantity<BitRateTag>;
using Energy = Quantity<EnergyTag>;
using EnergyPerBit = Quantity<EnergyPerBitTag>;
using Power = Quantity<PowerTag>;
using Length = Quantity<LengthTag>;
using Area = Quantity<AreaTag>;
using Money = Quantity<MoneyTag>;
using FlopRate = Quantity<FlopRateTag>;
using DefectDensity = Quantity<DensityTag>;

// Convenience constructors and accessors for the units the models think in.
constexpr Duration nanoseconds(double ns) {
  return Duration(ns * 1e-9);
}
constexpr double toNs(Duration d) {
  return d.si() * 1e9;
}
constexpr Frequency gigahertz(double ghz) {
  return Frequency(ghz * 1e9);
}
constexpr Bandwidth gigabytesPerSecond(double gbs) {
  return Bandwidth(gbs * 1e9);
}
constexpr double toGBps(Bandwidth b) {
  return b.si() * 1e-9;
}
constexpr BitRate gigabitsPerSecond(double gbps) {
  return BitRate(gbps * 1e9);
}
constexpr Length millimetres(double mm) {
  return Length(mm * 1e-3);
}
constexpr double toMm(Length l) {
  return l.si() * 1e3;
}
constexpr Area squareMillimetres(double mm2) {
  return Area(mm2 * 1e-6);
}
constexpr double toMm2(Area a) {
  return a.si() * 1e6;
}
constexpr EnergyPerBit picojoulesPerBit(double pj) {
  return EnergyPerBit(pj * 1e-12);
}

/// Duration rounded to the nearest whole picosecond tick.
inline Tick toTicks(Duration d) {
  return static_cast<Tick>(std::llround(d.si() * 1e12));
}
constexpr Duration fromTicks(Tick t) {
  return Duration(static_cast<double>(t) * 1e-12);
}
/// One clock period in ticks, rounded to the nearest picosecond.
inline Tick periodTicks(Frequency f) {
  return static_cast<Tick>(std::llround(1e12 / f.si()));
}

/// Bytes moved per second by `lanes` lanes at `rate` (one bit per transfer per lane).
constexpr Bandwidth laneBandwidth(double lanes, BitRate rate) {
  return Bandwidth(lanes * rate.si() / 8.0);
}

/// Time to move `bytes` at `bw`, in whole ticks rounded up (never zero for a non-empty move).
inline Tick serializationTicks(double bytes, Bandwidth bw) {
  if (bytes <= 0.0) return 0;
  return static_cast<Tick>(std::ceil(bytes / bw.si() * 1e12 - 1e-6));
}

}  // namespace chipletsim
