// libFuzzer target over the config loader and the --set parser. Any input must end in a
// parsed spec or a ConfigError: every other exception, crash, hang or leak is a finding.
// Input: the first line is a --set argument, the rest a YAML document decoded as a platform,
// as a workload and as a sweep.

#include <cstddef>
#include <cstdint>
#include <string>

#include "Loading.h"
#include "Sweep.h"
#include "config/Loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chipletsim;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto nl = input.find('\n');
  const std::string setArg = input.substr(0, nl == std::string::npos ? input.size() : nl);
  const std::string text = nl == std::string::npos ? std::string() : input.substr(nl + 1);
  config::SetOverride set;
  bool haveSet = false;
  try {
    set = config::parseSetOverride(setArg);
    haveSet = true;
  } catch (const ConfigError&) {
  }
  for (int as = 0; as < 3; ++as) {
    try {
      config::Node root = config::parseYaml(text, "fuzz.yaml");
      if (haveSet && root.isMap()) config::applyOverride(root, set);
      if (as == 0) decodePlatform(root, "fuzz.yaml");
      if (as == 1) decodeWorkload(root, "fuzz.yaml");
      if (as == 2) decodeSweep(root, "fuzz.yaml");
    } catch (const ConfigError&) {
    }
  }
  return 0;
}

// libsystemc (linked through the model libraries) refers to sc_main; the fuzzer never
// enters the kernel, and libFuzzer's main() is the one that runs.
int sc_main(int, char**) {
  return 0;
}
