#pragma once
// Reading platform and workload files into specs: includes, presets and --set overrides are
// applied to the YAML, then each piece is decoded by its registered kind. After this, no
// YAML is left: the builder and the models see typed specs only.

#include <memory>
#include <string>
#include <vector>

#include "Platform.h"
#include "Workload.h"
#include "config/Loader.h"

namespace chipletsim {

/// A decoded workload file.
struct LoadedWorkload {
  std::string name;
  std::string description;
  std::string file;
  std::string kind;
  std::unique_ptr<WorkloadSpec> spec;
};

/// Merges the preset a map names (`preset: NAME` from configs/<category>/) under the map's
/// own keys and removes the `preset` key. Maps without `preset` come back unchanged.
config::Node withPreset(const config::Node& map, const std::string& category);

/// Loads `path` as a platform; `sets` are the --set overrides whose scope is "platform".
PlatformSpec loadPlatform(const std::string& path,
                          const std::vector<config::SetOverride>& sets = {});

/// Loads `path` as a workload; `sets` are the --set overrides whose scope is "workload".
LoadedWorkload loadWorkload(const std::string& path,
                            const std::vector<config::SetOverride>& sets = {});

/// Decodes an already loaded platform document (`path` names it in messages).
PlatformSpec decodePlatform(const config::Node& root, const std::string& path);
/// Decodes an already loaded workload document.
LoadedWorkload decodeWorkload(const config::Node& root, const std::string& path);

/// Decodes "instance.port" written at `n`.
PortRef parsePortRef(const config::Node& n);

}  // namespace chipletsim
