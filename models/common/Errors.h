#pragma once
// The two kinds of failure. A ConfigError is the user's: bad input that a clear message can
// fix (exit status 2). An InternalError is ours: a broken invariant, a bug (exit status 3).
// Library code throws; only the CLI turns exceptions into exit statuses.

#include <stdexcept>
#include <string>

namespace chipletsim {

/// Where a value came from: a file and a 1-based line and column, or a command-line flag.
struct SourceLoc {
  std::string file;  // path as given, or "<command line>"
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown

  std::string str() const;
};

/// Bad user input. what() is the whole one-line message:
///   file:line:column: error: key 'a.b.c': expected ..., got ...
class ConfigError : public std::runtime_error {
 public:
  ConfigError(const SourceLoc& loc, const std::string& keyPath, const std::string& message);
  /// For errors with no file behind them (CLI arguments).
  explicit ConfigError(const std::string& message);

  const SourceLoc& loc() const { return m_loc; }
  const std::string& keyPath() const { return m_keyPath; }

 private:
  SourceLoc m_loc;
  std::string m_keyPath;
};

/// A specification a model cannot honour although the config layer accepted it (for example
/// a derived lane count of zero). The config layer catches it and rethrows it as a
/// ConfigError with the location of the offending instance.
class SpecError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// A bug: an invariant of the simulator itself does not hold.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// Throws InternalError with `what` when `cond` is false.
inline void require(bool cond, const char* what) {
  if (!cond) throw InternalError(what);
}

}  // namespace chipletsim
