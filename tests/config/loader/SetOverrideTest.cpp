// --set SCOPE.KEY.PATH=VALUE: parsed strictly, applied with the same validation as files.
#include <gtest/gtest.h>

#include "TestYaml.h"

using namespace chipletsim;
using chipletsim::testing::configErrorOf;
using chipletsim::testing::yaml;

TEST(SetOverride, PathAndValueAreParsed) {
  const auto o = config::parseSetOverride("platform.instances.hbm0.pin_rate=6.4 Gb/s");
  EXPECT_EQ(o.scope, "platform");
  ASSERT_EQ(o.keyPath.size(), 3u);
  EXPECT_EQ(o.keyPath[2], "pin_rate");
  EXPECT_EQ(o.value.text(), "6.4 Gb/s");
  EXPECT_EQ(o.value.path(), "instances.hbm0.pin_rate");
}

TEST(SetOverride, ListIndicesAreParsed) {
  const auto o = config::parseSetOverride("platform.connections[1].to=hbm1.in");
  ASSERT_EQ(o.keyPath.size(), 3u);
  EXPECT_EQ(o.keyPath[1], "[1]");
}

TEST(SetOverride, MalformedArgumentsAreRejected) {
  for (const char* bad : {"platform.x", "=3", "plat.x=1", "platform=1", "platform..x=1",
                          "workload.a[x]=1", "workload.a[1=1", "workload.[1]=2"}) {
    const auto msg = configErrorOf([&] { config::parseSetOverride(bad); });
    EXPECT_NE(msg.find("--set"), std::string::npos) << bad << " -> " << msg;
  }
}

TEST(SetOverride, BadYamlValueIsASyntaxError) {
  EXPECT_NE(configErrorOf([] { config::parseSetOverride("workload.a=[1, 2"); }).find("syntax"),
            std::string::npos);
}

TEST(SetOverride, ReplacesAnExistingValue) {
  auto root = yaml("instances:\n  hbm0: {pin_rate: 3.2 Gb/s}\n");
  config::applyOverride(root,
                        config::parseSetOverride("platform.instances.hbm0.pin_rate=6.4 Gb/s"));
  EXPECT_EQ(root.get("instances")->get("hbm0")->get("pin_rate")->text(), "6.4 Gb/s");
  EXPECT_NE(root.get("instances")->get("hbm0")->get("pin_rate")->loc().file.find("--set"),
            std::string::npos);
}

TEST(SetOverride, PathThroughAScalarIsAnError) {
  auto root = yaml("a: 1\n");
  const auto msg = configErrorOf(
      [&] { config::applyOverride(root, config::parseSetOverride("workload.a.b=2")); });
  EXPECT_NE(msg.find("cannot set a key under a scalar"), std::string::npos) << msg;
}

TEST(SetOverride, IndexPastTheEndIsAnError) {
  auto root = yaml("l: [1, 2]\n");
  const auto msg = configErrorOf(
      [&] { config::applyOverride(root, config::parseSetOverride("workload.l[5]=2")); });
  EXPECT_NE(msg.find("out of range"), std::string::npos) << msg;
}

TEST(SetOverride, ValueErrorsNameTheArgumentWithoutAFilePosition) {
  const auto o = config::parseSetOverride("workload.model.layers=abc");
  const auto msg = configErrorOf([&] { o.value.expected("an integer"); });
  EXPECT_EQ(msg.rfind("--set workload.model.layers=abc: error: key 'model.layers'", 0), 0u)
      << msg;
}
