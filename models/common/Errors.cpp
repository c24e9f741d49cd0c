#include "common/Errors.h"

namespace chipletsim {

std::string SourceLoc::str() const {
  std::string s = file.empty() ? std::string("<unknown>") : file;
  if (line > 0) {
    s += ":" + std::to_string(line);
    if (column > 0) s += ":" + std::to_string(column);
  }
  return s;
}

namespace {
std::string compose(const SourceLoc& loc, const std::string& keyPath, const std::string& msg) {
  std::string s = loc.str() + ": error: ";
  if (!keyPath.empty()) s += "key '" + keyPath + "': ";
  return s + msg;
}
}  // namespace

ConfigError::ConfigError(const SourceLoc& loc, const std::string& keyPath,
                         const std::string& message)
    : std::runtime_error(compose(loc, keyPath, message)), m_loc(loc), m_keyPath(keyPath) {}

ConfigError::ConfigError(const std::string& message) : std::runtime_error("error: " + message) {}

}  // namespace chipletsim
