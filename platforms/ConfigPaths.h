#pragma once
// Where shipped configs live, and how preset names map to files.

#include <string>
#include <vector>

#include "config/Node.h"

namespace chipletsim {

/// The shipped configs/ folder: $CHIPLETSIM_CONFIG_DIR if set, else <exe>/../share/chipletsim/
/// configs when installed, else the source tree's configs/ (compiled in).
std::string configRoot();

/// Resolves `preset: NAME` given at `at`: a name containing '/' or ending in .yaml is a path
/// relative to the file that names it; a bare name is configs/<category>/<NAME>.yaml.
/// A preset that does not exist is a ConfigError listing the ones that do.
std::string resolvePreset(const std::string& category, const config::Node& at);

/// The preset names (file stems) shipped in configs/<category>/, sorted; recursive
/// categories such as "platforms" give relative paths ("bench/hbm-hbm3").
std::vector<std::string> listPresets(const std::string& category);

}  // namespace chipletsim
