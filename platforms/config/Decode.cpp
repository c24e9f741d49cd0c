#include "config/Decode.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

namespace chipletsim::config {

namespace {

struct UnitDef {
  const char* spelling;
  double factor;  // SI value of one of this unit
};

struct Dimension {
  const char* what;     // "a bandwidth"
  const char* example;  // "819.2 GB/s"
  std::vector<UnitDef> units;
};

// Each dimension's accepted spellings, with the factor to the SI unit of Units.h.
const Dimension kDuration{
    "a duration", "2 ns", {{"s", 1.0}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}, {"ps", 1e-12}}};
const Dimension kFrequency{"a frequency",
                           "1.8 GHz",
                           {{"Hz", 1.0}, {"kHz", 1e3}, {"MHz", 1e6}, {"GHz", 1e9}, {"THz", 1e12}}};
const Dimension kDataSize{"a size in bytes",
                          "24 GiB",
                          {{"B", 1.0},
                           {"KB", 1e3},
                           {"MB", 1e6},
                           {"GB", 1e9},
                           {"TB", 1e12},
                           {"PB", 1e15},
                           {"KiB", 1024.0},
                           {"MiB", 1048576.0},
                           {"GiB", 1073741824.0},
                           {"TiB", 1099511627776.0}}};
const Dimension kBandwidth{"a bandwidth",
                           "819.2 GB/s",
                           {{"B/s", 1.0},
                            {"KB/s", 1e3},
                            {"MB/s", 1e6},
                            {"GB/s", 1e9},
                            {"TB/s", 1e12},
                            {"PB/s", 1e15},
                            {"KiB/s", 1024.0},
                            {"MiB/s", 1048576.0},
                            {"GiB/s", 1073741824.0},
                            {"TiB/s", 1099511627776.0},
                            {"b/s", 1.0 / 8},
                            {"Kb/s", 1e3 / 8},
                            {"Mb/s", 1e6 / 8},
                            {"Gb/s", 1e9 / 8},
                            {"Tb/s", 1e12 / 8}}};
const Dimension kBitRate{"a per-lane bit rate",
                         "32 GT/s",
                         {{"b/s", 1.0},
                          {"Kb/s", 1e3},
                          {"Mb/s", 1e6},
                          {"Gb/s", 1e9},
                          {"Tb/s", 1e12},
                          {"Gbps", 1e9},
                          {"T/s", 1.0},
                          {"MT/s", 1e6},
                          {"GT/s", 1e9}}};
const Dimension kEnergy{"an energy",
                        "15 pJ",
                        {{"J", 1.0},
                         {"mJ", 1e-3},
                         {"uJ", 1e-6},
                         {"nJ", 1e-9},
                         {"pJ", 1e-12},
                         {"fJ", 1e-15},
                         {"kJ", 1e3}}};
const Dimension kEnergyPerBit{"an energy per bit",
                              "0.3 pJ/bit",
                              {{"J/bit", 1.0},
                               {"nJ/bit", 1e-9},
                               {"pJ/bit", 1e-12},
                               {"fJ/bit", 1e-15},
                               {"pJ/b", 1e-12},
                               {"fJ/b", 1e-15}}};
const Dimension kPower{"a power", "700 W", {{"W", 1.0}, {"mW", 1e-3}, {"kW", 1e3}, {"MW", 1e6}}};
const Dimension kLength{
    "a length", "25 um", {{"m", 1.0}, {"cm", 1e-2}, {"mm", 1e-3}, {"um", 1e-6}, {"nm", 1e-9}}};
const Dimension kArea{"an area",
                      "850 mm2",
                      {{"m2", 1.0},
                       {"cm2", 1e-4},
                       {"mm2", 1e-6},
                       {"um2", 1e-12},
                       {"cm^2", 1e-4},
                       {"mm^2", 1e-6},
                       {"um^2", 1e-12}}};
const Dimension kMoney{"an amount of money", "$16988", {{"USD", 1.0}}};
const Dimension kFlopRate{"a FLOP rate",
                          "989 TFLOP/s",
                          {{"FLOP/s", 1.0},
                           {"GFLOP/s", 1e9},
                           {"TFLOP/s", 1e12},
                           {"PFLOP/s", 1e15},
                           {"GFLOPS", 1e9},
                           {"TFLOPS", 1e12},
                           {"PFLOPS", 1e15}}};
const Dimension kDefectDensity{"a defect density",
                               "0.11 /cm2",
                               {{"/cm2", 1e4}, {"/cm^2", 1e4}, {"/mm2", 1e6}, {"/mm^2", 1e6}}};

std::string unitList(const Dimension& d) {
  std::string s;
  for (std::size_t i = 0; i < d.units.size(); ++i)
    s += (i ? ", " : "") + std::string(d.units[i].spelling);
  return s;
}

// Parses a whole string as a finite floating-point number. `outOfRange` is set when the text
// is a number too large or too small (denormal) for a double.
bool parseNumber(const std::string& s, double& out, std::size_t& consumed,
                 bool* outOfRange = nullptr) {
  if (s.empty()) return false;
  const char* begin = s.c_str();
  char* end = nullptr;
  errno = 0;
  out = std::strtod(begin, &end);
  consumed = static_cast<std::size_t>(end - begin);
  if (consumed > 0 && errno == ERANGE && outOfRange) *outOfRange = true;
  if (consumed == 0 || errno == ERANGE || !std::isfinite(out)) return false;
  // strtod accepts "inf", "nan", hex floats: only decimal digits, sign, point and exponent.
  for (std::size_t i = 0; i < consumed; ++i) {
    const char c = s[i];
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' ||
          c == 'e' || c == 'E'))
      return false;
  }
  return true;
}

double decodeQuantity(const Node& n, const Dimension& dim) {
  const std::string hint =
      dim.what + std::string(" with a unit (") + unitList(dim) + "; e.g. '" + dim.example + "')";
  if (!n.isScalar()) n.expected(hint);
  std::string s = n.text();
  bool dollar = false;
  if (&dim == &kMoney && !s.empty() && s[0] == '$') {
    dollar = true;
    s = s.substr(1);
  }
  double v = 0.0;
  std::size_t used = 0;
  bool outOfRange = false;
  if (!parseNumber(s, v, used, &outOfRange)) {
    if (outOfRange)
      n.fail("value out of range: expected " + hint + " that a double holds, got '" + n.text() +
             "'");
    n.expected(hint);
  }
  std::string unit = s.substr(used);
  const auto first = unit.find_first_not_of(' ');
  unit = first == std::string::npos ? "" : unit.substr(first);
  if (dollar) {
    if (!unit.empty()) n.expected(hint);
    return v;
  }
  if (unit.empty()) n.fail("missing unit: expected " + hint + ", got '" + n.text() + "'");
  for (const auto& u : dim.units) {
    if (unit != u.spelling) continue;
    const double si = v * u.factor;
    // "1e308 GB/s" overflows to inf and "1e-310 ns" to a denormal: no model can use either.
    if (!std::isfinite(si) || (si != 0.0 && std::fabs(si) < std::numeric_limits<double>::min()))
      n.fail("value out of range: expected " + hint + " that a double holds in SI units, got '" +
             n.text() + "'");
    return si;
  }
  n.fail("wrong unit '" + unit + "': expected " + hint);
}

// Time is simulated in whole picoseconds (Units.h toTicks, a 64-bit count through llround):
// a duration must fit, and a clock period must last at least one tick.
constexpr double kMaxDurationS = 9.2e6;  // INT64_MAX ps = 9.22e6 s (about 106 days)
constexpr double kMaxClockHz = 2e12;     // a 0.5 ps period rounds to 1 tick; above, to 0

void checkTickRange(const Node& n, double si, double lo, double hi, const std::string& what) {
  if (std::fabs(si) <= hi && (si == 0.0 || std::fabs(si) >= lo)) return;
  n.fail("value out of range: expected " + what +
         " (time is simulated in whole picoseconds, 64 bits), got '" + n.text() + "'");
}

template <class Int>
Int decodeInteger(const Node& n, const char* what) {
  if (!n.isScalar()) n.expected(what);
  const std::string& s = n.text();
  std::size_t i = (s.size() > 0 && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i == s.size()) n.expected(what);
  for (std::size_t j = i; j < s.size(); ++j)
    if (!std::isdigit(static_cast<unsigned char>(s[j]))) n.expected(what);
  errno = 0;
  if constexpr (std::is_signed_v<Int>) {
    const long long v = std::strtoll(s.c_str(), nullptr, 10);
    if (errno == ERANGE || v < std::numeric_limits<Int>::min() ||
        v > std::numeric_limits<Int>::max())
      n.fail(std::string("value out of range: expected ") + what + " from " +
             std::to_string(std::numeric_limits<Int>::min()) + " to " +
             std::to_string(std::numeric_limits<Int>::max()) + ", got '" + s + "'");
    return static_cast<Int>(v);
  } else {
    if (s[0] == '-')
      n.fail(std::string("expected ") + what + ", got a negative number '" + s + "'");
    const unsigned long long v = std::strtoull(s.c_str(), nullptr, 10);
    if (errno == ERANGE || v > std::numeric_limits<Int>::max())
      n.fail(std::string("value out of range: expected ") + what + " up to " +
             std::to_string(std::numeric_limits<Int>::max()) + ", got '" + s + "'");
    return static_cast<Int>(v);
  }
}

}  // namespace

void decode(const Node& n, bool& out) {
  if (n.isScalar()) {
    const std::string& s = n.text();
    if (s == "true") {
      out = true;
      return;
    }
    if (s == "false") {
      out = false;
      return;
    }
  }
  n.expected("true or false");
}

void decode(const Node& n, int& out) {
  out = decodeInteger<int>(n, "an integer");
}
void decode(const Node& n, unsigned& out) {
  out = decodeInteger<unsigned>(n, "a non-negative integer");
}
void decode(const Node& n, std::int64_t& out) {
  out = decodeInteger<std::int64_t>(n, "an integer");
}
void decode(const Node& n, std::uint64_t& out) {
  out = decodeInteger<std::uint64_t>(n, "a non-negative integer");
}

void decode(const Node& n, double& out) {
  if (!n.isScalar()) n.expected("a number");
  std::size_t used = 0;
  if (!parseNumber(n.text(), out, used) || used != n.text().size()) {
    // A number followed by text is most likely a quantity given where a plain number is due.
    n.expected("a plain number without a unit");
  }
}

void decode(const Node& n, std::string& out) {
  if (!n.isScalar()) n.expected("a string");
  out = n.text();
}

void decode(const Node& n, Duration& out) {
  const double si = decodeQuantity(n, kDuration);
  checkTickRange(n, si, 0.0, kMaxDurationS, "a duration of at most 9.2e6 s");
  out = Duration(si);
}
void decode(const Node& n, Frequency& out) {
  const double si = decodeQuantity(n, kFrequency);
  checkTickRange(n, si, 1.0 / kMaxDurationS, kMaxClockHz,
                 "a frequency between 1.1e-7 Hz and 2 THz");
  out = Frequency(si);
}
void decode(const Node& n, DataSize& out) {
  const double si = decodeQuantity(n, kDataSize);
  // Sizes are counted in 64-bit byte counts by the models: whole bytes, at most 2^63.
  if (std::floor(si) != si || std::fabs(si) >= 9223372036854775808.0)
    n.fail(
        "value out of range: expected a size of a whole number of bytes, below 2^63 B "
        "(8 EiB), got '" +
        n.text() + "'");
  out = DataSize(si);
}
void decode(const Node& n, Bandwidth& out) {
  out = Bandwidth(decodeQuantity(n, kBandwidth));
}
void decode(const Node& n, BitRate& out) {
  out = BitRate(decodeQuantity(n, kBitRate));
}
void decode(const Node& n, Energy& out) {
  out = Energy(decodeQuantity(n, kEnergy));
}
void decode(const Node& n, EnergyPerBit& out) {
  out = EnergyPerBit(decodeQuantity(n, kEnergyPerBit));
}
void decode(const Node& n, Power& out) {
  out = Power(decodeQuantity(n, kPower));
}
void decode(const Node& n, Length& out) {
  out = Length(decodeQuantity(n, kLength));
}
void decode(const Node& n, Area& out) {
  out = Area(decodeQuantity(n, kArea));
}
void decode(const Node& n, Money& out) {
  out = Money(decodeQuantity(n, kMoney));
}
void decode(const Node& n, FlopRate& out) {
  out = FlopRate(decodeQuantity(n, kFlopRate));
}
void decode(const Node& n, DefectDensity& out) {
  out = DefectDensity(decodeQuantity(n, kDefectDensity));
}

std::string formatSi(double si, const char* unit) {
  std::ostringstream os;
  os.precision(6);
  os << si << ' ' << unit;
  return os.str();
}

}  // namespace chipletsim::config
