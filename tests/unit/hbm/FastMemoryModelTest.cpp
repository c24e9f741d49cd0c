// The fast model: bytes land on the pseudo-channels the address map says, its efficiency
// comes from the bank-level model, and functional storage stays sparse.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "Hbm3TestSpec.h"
#include "hbm/AddressMapper.h"
#include "hbm/FastMemoryModel.h"
#include "hbm/PatternRunner.h"
#include "hbm/SparseStorage.h"

using namespace chipletsim;
using namespace chipletsim::hbm;

TEST(FastMemoryModel, BytesGoToThePseudoChannelsOfTheAddressMap) {
  const HbmSpec spec = test::hbm3Spec();
  FastMemoryModel fast(spec);
  AddressMapper map(spec);
  std::vector<std::uint64_t> expect(static_cast<std::size_t>(spec.pseudoChannels()), 0);
  std::mt19937_64 rng(5);
  Tick t = 0;
  for (int i = 0; i < 200; ++i) {
    const std::uint64_t addr = rng() % (1ull << 30);
    const std::uint64_t len = 1 + rng() % 20000;
    for (std::uint64_t a = addr; a < addr + len; ++a) ++expect[map.pseudoChannelOf(a)];
    t = fast.serve(t, addr, len, false);
  }
  for (int pc = 0; pc < spec.pseudoChannels(); ++pc)
    EXPECT_EQ(fast.bytesRead(pc), expect[static_cast<std::size_t>(pc)]) << "pc " << pc;
}

TEST(FastMemoryModel, EfficiencyIsMeasuredByTheBankModelForThePattern) {
  const HbmSpec spec = test::hbm3Spec();
  const FastMemoryModel::Calibration seq = FastMemoryModel::calibrate(spec, {true, 4, 256});
  const FastMemoryModel::Calibration rnd = FastMemoryModel::calibrate(spec, {false, 4, 64});
  // The same numbers as a direct bank-level run of the pattern at saturation (twice the
  // 64-entry queue of 32 B accesses in flight, 40000 accesses) with all-bank refresh left
  // out: the fast model serves it as explicit tRFC blackouts. Tolerance 0: same code path.
  HbmSpec noRefresh = spec;
  noRefresh.controller.refresh = RefreshMode::kNone;
  const PatternResult direct = PatternRunner(noRefresh).run({false, 1.0, 64, 65, 20000, 1});
  EXPECT_DOUBLE_EQ(rnd.efficiency, direct.efficiency);
  EXPECT_GT(seq.efficiency, 0.85);
  EXPECT_LT(rnd.efficiency, seq.efficiency / 2);
}

TEST(FastMemoryModel, AllBankRefreshBlacksOutItsMeasuredCostEveryTrefi) {
  const HbmSpec spec = test::hbm3Spec();
  FastMemoryModel fast(spec);
  const HbmTimingTicks t = HbmTimingTicks::from(spec);
  // The blackout is what refresh cost the bank model for this pattern: at least tRFC.
  const FastMemoryModel::Calibration cal = FastMemoryModel::calibrate(spec, {false, 4, 64});
  const Tick blackout = toTicks(nanoseconds(cal.refreshBlackoutNs));
  EXPECT_GE(blackout, t.rfcAb);
  // Pseudo-channel 0 first refreshes at tREFI: a lone 64 B read arriving then waits it out.
  const Tick quiet = fast.serve(0, 0, 64, false);
  const Tick blocked = fast.serve(t.refi, 0, 64, false) - t.refi;
  // Tolerance: one tick of rounding between the floor and the depth-1 service time.
  EXPECT_NEAR(static_cast<double>(blocked - quiet), static_cast<double>(blackout), 1.0);
}

TEST(SparseStorage, UnwrittenBytesReadZeroAndOnlyTouchedPagesAllocate) {
  SparseStorage s;
  unsigned char buf[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  s.write(20ull << 30, buf, 8);  // near the top of a 24 GiB stack
  unsigned char out[8] = {};
  s.read(20ull << 30, out, 8);
  EXPECT_EQ(out[7], 8);
  s.read(0, out, 8);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(s.pages(), 1u);
  const unsigned char be[2] = {0xff, 0x00};  // write every other byte
  unsigned char ones[4] = {9, 9, 9, 9};
  s.write(20ull << 30, ones, 4, be, 2);
  s.read(20ull << 30, out, 4);
  EXPECT_EQ(out[0], 9);
  EXPECT_EQ(out[1], 2);
}
