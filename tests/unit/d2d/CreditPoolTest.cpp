// Credit accounting of a receive buffer.
#include <gtest/gtest.h>

#include "common/Errors.h"
#include "d2d/CreditPool.h"

namespace chipletsim::d2d {
namespace {

TEST(CreditPool, SenderStallsUntilTheEarliestReleaseThatCoversTheNeed) {
  CreditPool pool(1000);
  ASSERT_EQ(pool.earliest(0, 600), Tick{0});
  pool.take(0, 0, 600);
  EXPECT_EQ(pool.earliest(10, 600), std::nullopt);  // nothing scheduled yet: wait
  pool.release(500, 200);
  pool.release(800, 400);
  EXPECT_EQ(pool.earliest(10, 600), Tick{500});  // 400 + 200
  EXPECT_EQ(pool.earliest(10, 1000), Tick{800});
  pool.take(10, 500, 600);
  EXPECT_EQ(pool.stalls(), 1u);
  EXPECT_EQ(pool.stallTicks(), Tick{490});
  EXPECT_EQ(pool.freeAt(900), 400u);
}

TEST(CreditPool, MessageLargerThanBufferNeedsTheWholeBufferOnly) {
  CreditPool pool(4096);
  EXPECT_EQ(pool.need(1 << 20), 4096u);
  EXPECT_EQ(pool.need(100), 100u);
}

TEST(CreditPool, ReleasingMoreThanTakenIsAnInternalError) {
  CreditPool pool(100);
  pool.take(0, 0, 50);
  EXPECT_THROW(pool.release(10, 60), InternalError);
}

}  // namespace
}  // namespace chipletsim::d2d
