#include <gtest/gtest.h>

#include <string>

#include "common/Errors.h"
#include "config/Loader.h"
#include "platforms/TransformerConfig.h"
#include "workload/TrainingStepBuilder.h"
#include "workload/TransformerMath.h"

using namespace chipletsim;

namespace {

std::string presetPath(const std::string& name) {
  return std::string(CHIPLETSIM_SOURCE_DIR) + "/configs/workloads/" + name + ".yaml";
}

/// Loads a shipped preset the way Loading.cpp hands it to a workload kind's decoder.
TransformerSpec loadPreset(const std::string& name) {
  config::Node root = config::loadFile(presetPath(name));
  EXPECT_EQ(root.get("kind")->text(), "training");
  root.erase("kind");
  root.erase("name");
  root.erase("description");
  return decodeTransformerSpec(root, name);
}

TransformerSpec parse(const std::string& text) {
  return decodeTransformerSpec(config::parseYaml(text, "test.yaml"), "test");
}

const char* kSmall = R"(
model: {layers: 2, hidden: 256, heads: 4, ffn: 512, vocab: 1000}
batch: {seq_len: 128, global_batch: 2}
)";

}  // namespace

TEST(TransformerPresets, ParameterCountsMatchPublishedSizesWithin2Percent) {
  // Published sizes: GPT-3 paper table 2.1 (175.0B); Llama 2 model card (6.74B, 13.0B, 69B,
  // named 70B); Llama 3 paper table 3 and model cards (8.03B, 70.6B, 405B); TinyLlama 1.1B.
  const std::pair<const char*, double> presets[] = {{"gpt3-175b", 175.0e9}, {"llama2-7b", 6.74e9},
                                                    {"llama2-13b", 13.0e9}, {"llama2-70b", 70e9},
                                                    {"llama3-8b", 8.03e9},  {"llama3-70b", 70.6e9},
                                                    {"llama3-405b", 405e9}, {"tiny-llama", 1.1e9}};
  for (const auto& [name, published] : presets) {
    const TransformerSpec s = loadPreset(name);
    EXPECT_NEAR(parameterCount(s).total() / published, 1.0, 0.02) << name;
  }
}

TEST(TransformerPresets, EveryPresetFitsAnEightyGigabytePackage) {
  // The presets' parallelism was chosen for 80 GB packages (products.md 4.1: H100 SXM5).
  for (const char* name : {"gpt3-175b", "llama2-7b", "llama2-13b", "llama2-70b", "llama3-8b",
                           "llama3-70b", "llama3-405b", "tiny-llama"}) {
    const TransformerSpec s = loadPreset(name);
    EXPECT_NO_THROW(requireFits(s.name, peakMemoryFootprint(s), DataSize(80e9))) << name;
  }
}

TEST(TransformerPresets, TinyLlamaStepIsSmall) {
  const TransformerSpec s = loadPreset("tiny-llama");
  const TrainingStep step = TrainingStepBuilder(s).build(0);
  EXPECT_LT(step.ops.size(), 5000u);
  EXPECT_EQ(step.tokensPerStep, 4 * 2048);
}

TEST(TransformerConfig, DefaultsApplyWhenSectionsAreOmitted) {
  const TransformerSpec s = parse(kSmall);
  EXPECT_EQ(s.kvHeads, 4);
  EXPECT_EQ(s.microBatch, 1);
  EXPECT_EQ(s.parallel.packages, 1);
  EXPECT_TRUE(s.flashAttention);
  EXPECT_EQ(s.recompute, Recompute::kNone);
}

TEST(TransformerConfig, UnknownKeyIsRejectedWithItsLocation) {
  try {
    parse(std::string(kSmall) + "training: {precison: bf16}\n");
    FAIL() << "misspelt key accepted";
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("test.yaml:4"), std::string::npos) << msg;
    EXPECT_NE(msg.find("precision"), std::string::npos) << msg;  // did you mean
  }
}

TEST(TransformerConfig, InvalidEnumListsTheSpellings) {
  try {
    parse(std::string(kSmall) + "parallel: {sharding: zero4}\n");
    FAIL() << "bad enum accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("zero1, zero2, zero3, fsdp"), std::string::npos)
        << e.what();
  }
}

TEST(TransformerConfig, InconsistentPackageCountIsAConfigError) {
  EXPECT_THROW(parse(std::string(kSmall) + "parallel: {tp: 2, dp: 2, packages: 8}\n"), ConfigError);
  EXPECT_THROW(parse(std::string(kSmall) + "parallel: {tp: 3}\n"), ConfigError);  // 4 heads
}

TEST(TransformerConfig, DescribeReportsFootprintThatSumsItsParts) {
  Summary out;
  describeTransformer(loadPreset("llama2-70b"), out);
  double parts = 0.0;
  double total = -1.0;
  for (const Summary::Row& row : out.rows) {
    if (row.name == "footprint_total")
      total = row.value;
    else if (row.name.rfind("footprint_", 0) == 0)
      parts += row.value;
  }
  EXPECT_NEAR(parts, total, total * 1e-12);
  EXPECT_GT(total, 0.0);
}
