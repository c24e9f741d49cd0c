#pragma once
// Reads YAML into Nodes, guarding against everything a file can throw at us: missing
// files, directories, binary or empty files, syntax errors, several documents, duplicate
// keys, alias bombs (expansion is budgeted before anything is built) and runaway nesting.
// `include:` at the top of a file names other files (relative to the including file) whose
// maps are merged under it. Every failure is a ConfigError with file:line:column.

#include <string>
#include <vector>

#include "config/Node.h"

namespace chipletsim::config {

/// Limits on what one document may expand to.
struct LoadLimits {
  std::size_t maxFileBytes = 8u << 20;  // 8 MiB of text
  std::size_t maxNodes = 200000;        // after alias expansion
  int maxDepth = 64;                    // nesting of maps and lists
  int maxIncludeDepth = 16;
};

/// Parses `text` (as if read from `file`) into a Node rooted at key path `rootPath`.
Node parseYaml(const std::string& text, const std::string& file, const std::string& rootPath = "",
               const LoadLimits& limits = {});

/// Reads and parses `path`, then resolves its top-level `include:`.
Node loadFile(const std::string& path, const LoadLimits& limits = {});

/// One `--set SCOPE.KEY.PATH=VALUE` from the command line.
struct SetOverride {
  std::string scope;                 // "platform" or "workload"
  std::vector<std::string> keyPath;  // "instances", "hbm0", "pin_rate"; "[2]" for list items
  Node value;
  std::string text;  // as given, for messages
};

/// Parses "platform.instances.hbm0.pin_rate=6.4 Gb/s"; a ConfigError when malformed.
SetOverride parseSetOverride(const std::string& arg);

/// Applies `o` to `root` (creating maps along the way; the strict decoders reject keys that
/// do not exist). Fails when the path runs through a scalar or past the end of a list.
void applyOverride(Node& root, const SetOverride& o);

}  // namespace chipletsim::config
