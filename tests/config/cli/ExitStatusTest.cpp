// The CLI's outcome -> exit status mapping: bad input 2, bugs 3, nothing escapes.
#include <gtest/gtest.h>

#include <sstream>

#include "ExitStatus.h"
#include "common/Errors.h"

using namespace chipletsim;

TEST(ExitStatus, ConfigErrorExitsTwoWithItsMessage) {
  std::ostringstream err;
  const int s = runGuarded(
      []() -> int {
        throw ConfigError(SourceLoc{"p.yaml", 3, 4}, "a.b", "bad");
      },
      err);
  EXPECT_EQ(s, kExitBadInput);
  EXPECT_EQ(err.str(), "p.yaml:3:4: error: key 'a.b': bad\n");
}

TEST(ExitStatus, InternalErrorExitsThreeAndSaysItIsABug) {
  std::ostringstream err;
  EXPECT_EQ(runGuarded([]() -> int { throw InternalError("invariant broken"); }, err),
            kExitInternal);
  EXPECT_NE(err.str().find("internal error (a bug"), std::string::npos);
  EXPECT_NE(err.str().find("invariant broken"), std::string::npos);
}

TEST(ExitStatus, AnyOtherExceptionIsInternal) {
  std::ostringstream err;
  EXPECT_EQ(runGuarded([]() -> int { throw 42; }, err), kExitInternal);
  EXPECT_EQ(runGuarded([]() -> int { throw std::bad_alloc(); }, err), kExitInternal);
}

TEST(ExitStatus, SuccessPassesThrough) {
  std::ostringstream err;
  EXPECT_EQ(runGuarded([] { return 0; }, err), kExitOk);
  EXPECT_TRUE(err.str().empty());
}
