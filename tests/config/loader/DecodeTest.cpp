// Quantities carry units; numbers and enums are strict; ranges are enforced.
#include <gtest/gtest.h>

#include "TestYaml.h"
#include "config/Reader.h"

using namespace chipletsim;
using chipletsim::testing::configErrorOf;
using chipletsim::testing::yaml;
using config::Limits;
using config::MapReader;

namespace {
template <class Q>
double si(const std::string& text) {
  Q q;
  config::decode(yaml("v: \"" + text + "\"").entries()[0].second, q);
  return q.si();
}
}  // namespace

TEST(UnitParsing, EveryExampleUnitOfTheIssueDecodesToSi) {
  EXPECT_DOUBLE_EQ(si<Bandwidth>("819.2 GB/s"), 819.2e9);
  EXPECT_DOUBLE_EQ(si<BitRate>("6.4 Gb/s"), 6.4e9);
  EXPECT_DOUBLE_EQ(si<BitRate>("32 GT/s"), 32e9);
  EXPECT_DOUBLE_EQ(si<Duration>("2 ns"), 2e-9);
  EXPECT_DOUBLE_EQ(si<Frequency>("1.8 GHz"), 1.8e9);
  EXPECT_DOUBLE_EQ(si<DataSize>("24 GiB"), 24.0 * 1024 * 1024 * 1024);
  EXPECT_NEAR(si<EnergyPerBit>("0.3 pJ/bit"), 0.3e-12, 1e-27);
  EXPECT_NEAR(si<Length>("25 um"), 25e-6, 1e-18);
  EXPECT_NEAR(si<Area>("850 mm2"), 850e-6, 1e-15);
  EXPECT_DOUBLE_EQ(si<Money>("$16988"), 16988.0);
}

TEST(UnitParsing, BitsPerSecondGivenForABandwidthAreDividedByEight) {
  EXPECT_DOUBLE_EQ(si<Bandwidth>("8 Gb/s"), 1e9);
}

TEST(UnitParsing, MissingUnitIsAnErrorNamingTheKeyAndTheAcceptedUnits) {
  const auto msg = configErrorOf([] { si<Bandwidth>("819.2"); });
  EXPECT_NE(msg.find("test.yaml:1:4"), std::string::npos) << msg;
  EXPECT_NE(msg.find("key 'v'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("missing unit"), std::string::npos) << msg;
  EXPECT_NE(msg.find("GB/s"), std::string::npos) << msg;
}

TEST(UnitParsing, UnitOfAnotherDimensionIsAWrongUnit) {
  const auto msg = configErrorOf([] { si<Duration>("2 GHz"); });
  EXPECT_NE(msg.find("wrong unit 'GHz'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("a duration"), std::string::npos) << msg;
}

TEST(UnitParsing, NonFiniteAndHexNumbersAreRejected) {
  EXPECT_FALSE(configErrorOf([] { si<Duration>("inf ns"); }).empty());
  EXPECT_FALSE(configErrorOf([] { si<Duration>("nan ns"); }).empty());
  EXPECT_FALSE(configErrorOf([] { si<Duration>("0x10 ns"); }).empty());
  EXPECT_FALSE(configErrorOf([] { si<Duration>("1e999 ns"); }).empty());
}

TEST(UnitParsing, QuantityThatOverflowsOrUnderflowsInSiUnitsIsOutOfRange) {
  // 1e308 fits a double, 1e308 GB/s (1e317 B/s) does not; 1e-300 ns is a denormal 1e-309 s.
  for (auto bad : {+[] { si<Bandwidth>("1e308 GB/s"); }, +[] { si<BitRate>("1e308 Gb/s"); },
                   +[] { si<Duration>("1e-300 ns"); }, +[] { si<DataSize>("1e-320 B"); }}) {
    const auto msg = configErrorOf(bad);
    EXPECT_NE(msg.find("value out of range"), std::string::npos) << msg;
    EXPECT_NE(msg.find("key 'v'"), std::string::npos) << msg;
  }
  EXPECT_DOUBLE_EQ(si<Bandwidth>("1e300 B/s"), 1e300);  // large but finite stays valid
}

TEST(UnitParsing, DurationMustFitSixtyFourBitPicosecondTicks) {
  EXPECT_DOUBLE_EQ(si<Duration>("9e6 s"), 9e6);  // 9e18 ps < INT64_MAX
  for (auto bad : {+[] { si<Duration>("1e7 s"); }, +[] { si<Duration>("1e300 s"); },
                   +[] { si<Duration>("-1e7 s"); }}) {
    const auto msg = configErrorOf(bad);
    EXPECT_NE(msg.find("value out of range: expected a duration of at most 9.2e6 s"),
              std::string::npos)
        << msg;
  }
}

TEST(UnitParsing, ClockPeriodMustLastAtLeastOnePicosecondTick) {
  EXPECT_DOUBLE_EQ(si<Frequency>("2 THz"), 2e12);  // 0.5 ps rounds to one tick
  for (auto bad : {+[] { si<Frequency>("2.1 THz"); }, +[] { si<Frequency>("1e-8 Hz"); }}) {
    const auto msg = configErrorOf(bad);
    EXPECT_NE(msg.find("value out of range: expected a frequency between"), std::string::npos)
        << msg;
  }
}

TEST(UnitParsing, SizeIsAWholeNumberOfBytesBelowTwoToTheSixtyThree) {
  EXPECT_DOUBLE_EQ(si<DataSize>("2.5 MiB"), 2621440.0);  // fractional in MiB, whole in bytes
  EXPECT_DOUBLE_EQ(si<DataSize>("8000 PB"), 8e18);
  // 1e-300 B cast to a byte count of 0; 1e300 B past 2^64 (undefined when cast).
  for (auto bad : {+[] { si<DataSize>("0.5 B"); }, +[] { si<DataSize>("1e-300 B"); },
                   +[] { si<DataSize>("1e300 B"); }, +[] { si<DataSize>("9300 PB"); }}) {
    const auto msg = configErrorOf(bad);
    EXPECT_NE(msg.find("value out of range: expected a size of a whole number of bytes"),
              std::string::npos)
        << msg;
  }
}

TEST(MapReaderRules, UnknownKeyIsAnErrorWithDidYouMean) {
  const auto root = yaml("pin_rate: 6.4 Gb/s\nchanels: 16\n");
  const auto msg = configErrorOf([&] {
    MapReader r(root);
    r.required<BitRate>("pin_rate");
    r.optional<int>("channels", 8);
    r.finish();
  });
  EXPECT_NE(msg.find("test.yaml:2:10"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unknown key 'chanels'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("did you mean 'channels'"), std::string::npos) << msg;
}

TEST(MapReaderRules, MissingRequiredKeyNamesTheKeyPath) {
  const auto root = yaml("timing:\n  tRP: 15 ns\n");
  const auto msg = configErrorOf([&] {
    MapReader r(root);
    MapReader t(r.requiredChild("timing"));
    t.required<Duration>("tRCD");
  });
  EXPECT_NE(msg.find("key 'timing.tRCD'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("missing required key 'tRCD'"), std::string::npos) << msg;
}

TEST(MapReaderRules, WrongTypeSaysWhatWasExpected) {
  const auto root = yaml("channels: [1, 2]\nname: {a: 1}\nflag: maybe\n");
  MapReader r(root);
  EXPECT_NE(
      configErrorOf([&] { r.required<int>("channels"); }).find("expected an integer, got a list"),
      std::string::npos);
  EXPECT_NE(
      configErrorOf([&] { r.required<std::string>("name"); }).find("expected a string, got a map"),
      std::string::npos);
  EXPECT_NE(configErrorOf([&] { r.required<bool>("flag"); }).find("expected true or false"),
            std::string::npos);
}

TEST(MapReaderRules, PhysicallyImpossibleValuesAreOutOfRange) {
  const auto root = yaml("bw: -5 GB/s\nlanes: 0\nclock: 0 Hz\nfrac: 1.5\n");
  MapReader r(root);
  auto msg = configErrorOf([&] { r.required<Bandwidth>("bw", Limits::positive()); });
  EXPECT_NE(msg.find("value out of range"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'-5 GB/s'"), std::string::npos) << msg;
  msg = configErrorOf([&] { r.required<int>("lanes", Limits::atLeast(1)); });
  EXPECT_NE(msg.find("key 'lanes'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("value out of range"), std::string::npos) << msg;
  msg = configErrorOf([&] { r.required<Frequency>("clock", Limits::positive()); });
  EXPECT_NE(msg.find("positive"), std::string::npos) << msg;
  msg = configErrorOf([&] { r.required<double>("frac", Limits::fraction()); });
  EXPECT_NE(msg.find("between 0 and 1"), std::string::npos) << msg;
}

TEST(MapReaderRules, ARangeOpenAtZeroNamesBothBounds) {
  // A yield or sustained fraction in (0, 1]: 1.5 was reported as "expected a positive value".
  const auto root = yaml("yield: 1.5\nzero: 0\n");
  MapReader r(root);
  for (const char* key : {"yield", "zero"}) {
    const auto msg = configErrorOf([&] { r.required<double>(key, Limits{0.0, 1.0, true}); });
    EXPECT_NE(msg.find("expected a value > 0 and <= 1"), std::string::npos) << msg;
  }
}

TEST(MapReaderRules, IntegerOverflowIsOutOfRangeNotWrapped) {
  const auto root = yaml("n: 99999999999999999999999\nm: -1\n");
  MapReader r(root);
  EXPECT_NE(configErrorOf([&] { r.required<int>("n"); }).find("out of range"), std::string::npos);
  EXPECT_NE(configErrorOf([&] { r.required<unsigned>("m"); }).find("negative"), std::string::npos);
}

TEST(MapReaderRules, IntegerOutOfRangeSaysWhichRange) {
  // "expected an integer, got '4000000000000'" did not say what an integer may be here.
  const auto root = yaml("n: 4000000000000\nu: 99999999999999999999\n");
  MapReader r(root);
  const auto msg = configErrorOf([&] { r.required<int>("n"); });
  EXPECT_NE(msg.find("value out of range: expected an integer from -2147483648 to 2147483647, "
                     "got '4000000000000'"),
            std::string::npos)
      << msg;
  const auto msgU = configErrorOf([&] { r.required<std::uint64_t>("u"); });
  EXPECT_NE(msgU.find("expected a non-negative integer up to 18446744073709551615"),
            std::string::npos)
      << msgU;
}

namespace {
enum class Policy { kOpen, kClosed };
const config::EnumTable<Policy> kPolicies{{{"open", Policy::kOpen}, {"closed", Policy::kClosed}}};
}  // namespace

TEST(MapReaderRules, EnumErrorListsEveryValidSpelling) {
  const auto root = yaml("policy: opened\n");
  MapReader r(root);
  const auto msg = configErrorOf([&] { r.requiredEnum("policy", kPolicies); });
  EXPECT_NE(msg.find("expected one of open, closed, got 'opened'"), std::string::npos) << msg;
}
