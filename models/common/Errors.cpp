#include "common/Errors.h"

#include <algorithm>

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
// A value echoed in quotes is cut to its first 60 characters when it is one word longer than
// 120: a 5 MB string in a config made a 5 MB error line.
std::string elideLongQuotes(const std::string& msg) {
  std::string out;
  std::size_t i = 0;
  while (i < msg.size()) {
    const std::size_t open = msg.find('\'', i);
    const std::size_t close = open == std::string::npos ? open : msg.find('\'', open + 1);
    if (close == std::string::npos) break;
    out.append(msg, i, open + 1 - i);
    const std::size_t len = close - open - 1;
    // Only a single word: a segment with spaces may be prose between two apostrophes.
    if (len > 120 && msg.find(' ', open + 1) > close)
      out += msg.substr(open + 1, 60) + "... (" + std::to_string(len) + " characters)";
    else
      out.append(msg, open + 1, len);
    out += '\'';
    i = close + 1;
  }
  return out + msg.substr(std::min(i, msg.size()));
}

std::string compose(const SourceLoc& loc, const std::string& keyPath, const std::string& msg) {
  std::string s = loc.str() + ": error: ";
  if (!keyPath.empty()) s += "key '" + elideLongQuotes(keyPath) + "': ";
  return s + elideLongQuotes(msg);
}
}  // namespace

ConfigError::ConfigError(const SourceLoc& loc, const std::string& keyPath,
                         const std::string& message)
    : std::runtime_error(compose(loc, keyPath, message)), m_loc(loc), m_keyPath(keyPath) {}

ConfigError::ConfigError(const std::string& message)
    : std::runtime_error("error: " + elideLongQuotes(message)) {}

}  // namespace chipletsim
