#pragma once
// How the CLI turns the outcome of a command into an exit status and one message on stderr:
// 0 success, 2 bad input (ConfigError), 3 internal error (anything else, a bug).

#include <functional>
#include <ostream>

namespace chipletsim {

constexpr int kExitOk = 0;
constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 3;

/// Runs `command`, catching everything; never lets an exception escape.
int runGuarded(const std::function<int()>& command, std::ostream& err);

}  // namespace chipletsim
