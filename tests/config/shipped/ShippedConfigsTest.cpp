// Every YAML file shipped in configs/ validates: platforms, workloads, presets and sweeps.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "Validate.h"
#include "common/Errors.h"

namespace fs = std::filesystem;

TEST(ShippedConfigs, EveryConfigFileValidates) {
  const fs::path root = fs::path(CHIPLETSIM_SOURCE_DIR) / "configs";
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  for (const auto& f : files) {
    std::ostringstream out;
    try {
      chipletsim::validateFile(f.string(), out);
    } catch (const std::exception& e) {
      ADD_FAILURE() << f << ": " << e.what();
    }
  }
}

TEST(ShippedConfigs, EveryPresetNumberFileCitesItsSources) {
  const fs::path root = fs::path(CHIPLETSIM_SOURCE_DIR) / "configs";
  for (const char* category : {"memory", "packaging"}) {
    if (!fs::is_directory(root / category)) continue;
    for (const auto& e : fs::directory_iterator(root / category)) {
      if (e.path().extension() != ".yaml") continue;
      std::ifstream in(e.path());
      std::stringstream ss;
      ss << in.rdbuf();
      EXPECT_NE(ss.str().find("source"), std::string::npos) << e.path() << " cites no source";
    }
  }
}
