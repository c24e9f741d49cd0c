// Files that are missing, empty, binary, malformed or hostile give one clear ConfigError.
#include <gtest/gtest.h>

#include <chrono>

#include "TestYaml.h"

using namespace chipletsim;
using chipletsim::testing::configErrorOf;
using chipletsim::testing::TempDir;
using chipletsim::testing::yaml;

TEST(LoadFile, MissingFileIsReported) {
  const auto msg = configErrorOf([] { config::loadFile("/nonexistent/platform.yaml"); });
  EXPECT_NE(msg.find("/nonexistent/platform.yaml: error: cannot read file: no such file"),
            std::string::npos)
      << msg;
}

TEST(LoadFile, DirectoryGivenAsFileIsReported) {
  TempDir d;
  EXPECT_NE(configErrorOf([&] { config::loadFile(d.path()); }).find("is a directory"),
            std::string::npos);
}

TEST(LoadFile, EmptyAndCommentOnlyFilesAreReported) {
  TempDir d;
  EXPECT_NE(configErrorOf([&] { config::loadFile(d.write("a.yaml", "")); }).find("empty file"),
            std::string::npos);
  EXPECT_NE(configErrorOf([&] {
              config::loadFile(d.write("b.yaml", "# nothing\n\n"));
            }).find("empty file"),
            std::string::npos);
}

TEST(LoadFile, BinaryFileIsReported) {
  TempDir d;
  const std::string bytes(
      "\x7f"
      "ELF\x02\x01\x01\x00\x00\x00\xff\xfe",
      12);
  EXPECT_NE(configErrorOf([&] { config::loadFile(d.write("x.yaml", bytes)); }).find("binary"),
            std::string::npos);
}

TEST(LoadFile, SyntaxErrorPointsAtLineAndColumn) {
  TempDir d;
  const auto f = d.write("bad.yaml", "name: x\nlist: [1, 2\nother: 3\n");
  const auto msg = configErrorOf([&] { config::loadFile(f); });
  EXPECT_NE(msg.find("YAML syntax error"), std::string::npos) << msg;
  EXPECT_NE(msg.find(f + ":"), std::string::npos) << msg;
}

TEST(LoadFile, AliasBombIsRefusedQuicklyWithoutExpanding) {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'k'; ++c) {
    text += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) text += std::string(i ? ", " : "") + "*" + prev;
    text += "]\n";
    prev = c;
  }
  const auto start = std::chrono::steady_clock::now();
  const auto msg = configErrorOf([&] { yaml(text); });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(msg.find("alias bomb"), std::string::npos) << msg;
  EXPECT_LT(seconds, 5.0);  // 10^11 nodes if expanded: refusing must not expand
}

TEST(LoadFile, ModestAliasesStillWork) {
  const auto n = yaml("base: &b {x: 1}\nuse: *b\n");
  EXPECT_EQ(n.get("use")->get("x")->text(), "1");
}

TEST(LoadFile, DeepNestingIsRefused) {
  const std::string text = std::string(500, '[') + std::string(500, ']');
  EXPECT_NE(configErrorOf([&] { yaml(text); }).find("nesting deeper"), std::string::npos);
}

TEST(LoadFile, DuplicateKeyIsAnError) {
  const auto msg = configErrorOf([] { yaml("a: 1\nb: 2\na: 3\n"); });
  EXPECT_NE(msg.find("test.yaml:3:1"), std::string::npos) << msg;
  EXPECT_NE(msg.find("duplicate key 'a'"), std::string::npos) << msg;
}

TEST(LoadFile, SeveralDocumentsAreAnError) {
  EXPECT_NE(configErrorOf([] { yaml("a: 1\n---\nb: 2\n"); }).find("one YAML document"),
            std::string::npos);
}

TEST(LoadFile, LocationsAreOneBasedLineAndColumn) {
  const auto n = yaml("top:\n  inner: 42\n");
  const auto* v = n.get("top")->get("inner");
  EXPECT_EQ(v->loc().line, 2);
  EXPECT_EQ(v->loc().column, 10);
  EXPECT_EQ(v->path(), "top.inner");
}

TEST(Includes, ResolveRelativeToTheIncludingFileAndMergeUnderIt) {
  TempDir d;
  d.write("sub/base.yaml", "a: 1\nnested: {x: 1, y: 2}\n");
  const auto top = d.write("sub/deeper/top.yaml", "include: ../base.yaml\nnested: {y: 3}\nb: 2\n");
  const auto n = config::loadFile(top);
  EXPECT_EQ(n.get("a")->text(), "1");
  EXPECT_EQ(n.get("b")->text(), "2");
  EXPECT_EQ(n.get("nested")->get("x")->text(), "1");
  EXPECT_EQ(n.get("nested")->get("y")->text(), "3");
  EXPECT_EQ(n.get("include"), nullptr);
  // The included value keeps the location it came from.
  EXPECT_NE(n.get("a")->loc().file.find("base.yaml"), std::string::npos);
}

TEST(Includes, MissingIncludeNamesTheIncludingFile) {
  TempDir d;
  const auto top = d.write("top.yaml", "include: nothere.yaml\n");
  const auto msg = configErrorOf([&] { config::loadFile(top); });
  EXPECT_NE(msg.find(top + ":1:10"), std::string::npos) << msg;
  EXPECT_NE(msg.find("no such file"), std::string::npos) << msg;
}

TEST(Includes, CycleIsCutAtTheDepthLimit) {
  TempDir d;
  d.write("a.yaml", "include: b.yaml\n");
  const auto b = d.write("b.yaml", "include: a.yaml\n");
  EXPECT_NE(configErrorOf([&] { config::loadFile(b); }).find("a cycle?"), std::string::npos);
}

TEST(Merge, OverrideWinsAndNewKeysAreAppended) {
  const auto base = yaml("a: 1\nm: {x: 1}\n");
  const auto over = yaml("m: {y: 2}\nc: 3\n");
  const auto out = config::merge(base, over);
  EXPECT_EQ(out.get("m")->get("x")->text(), "1");
  EXPECT_EQ(out.get("m")->get("y")->text(), "2");
  EXPECT_EQ(out.entries().back().first, "c");
}
