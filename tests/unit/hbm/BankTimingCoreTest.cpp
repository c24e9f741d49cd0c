// One test per timing rule of the bank core, with the HBM3 6400 preset (tCK 0.625 ns).
// Each test checks that the command is refused one tick before the rule allows it and
// accepted exactly when it does (tolerance: zero ticks).
#include <gtest/gtest.h>

#include "Hbm3TestSpec.h"
#include "common/Errors.h"
#include "hbm/BankTimingCore.h"

using namespace chipletsim;
using namespace chipletsim::hbm;

namespace {

class BankTimingCoreTest : public ::testing::Test {
 protected:
  HbmSpec spec = test::hbm3Spec();
  HbmTimingTicks t = HbmTimingTicks::from(spec);
  BankTimingCore core{t, 4, 4};
  const BankRef b00{0, 0}, b01{0, 1}, b10{1, 0}, b20{2, 0}, b30{3, 0}, b11{1, 1};
};

}  // namespace

TEST_F(BankTimingCoreTest, ReadAfterActivateWaitsTrcdRd) {
  core.issue(Command::kActivate, b00, 1000, 7);
  EXPECT_EQ(core.earliest(Command::kRead, b00), 1000 + t.rcdRd);
  EXPECT_THROW(core.issue(Command::kRead, b00, 1000 + t.rcdRd - 1), InternalError);
  EXPECT_NO_THROW(core.issue(Command::kRead, b00, 1000 + t.rcdRd));
}

TEST_F(BankTimingCoreTest, WriteAfterActivateWaitsTrcdWr) {
  core.issue(Command::kActivate, b00, 0, 7);
  EXPECT_EQ(core.earliest(Command::kWrite, b00), t.rcdWr);
  EXPECT_LT(t.rcdWr, t.rcdRd);  // HBM3: writes may follow an ACT sooner than reads
}

TEST_F(BankTimingCoreTest, PrechargeAfterActivateWaitsTras) {
  core.issue(Command::kActivate, b00, 0, 1);
  EXPECT_EQ(core.earliest(Command::kPrecharge, b00), t.ras);
}

TEST_F(BankTimingCoreTest, ActivateAfterPrechargeWaitsTrp) {
  core.issue(Command::kActivate, b00, 0, 1);
  core.issue(Command::kPrecharge, b00, 100000);
  EXPECT_EQ(core.earliest(Command::kActivate, b00), 100000 + t.rp);
}

TEST_F(BankTimingCoreTest, ActivateToActivateSameBankWaitsTrc) {
  core.issue(Command::kActivate, b00, 0, 1);
  core.issue(Command::kPrecharge, b00, t.ras);
  // tRC = 45 ns exceeds tRAS + tRP = 44.375 ns, so tRC is the binding rule.
  ASSERT_GT(t.rc, t.ras + t.rp);
  EXPECT_EQ(core.earliest(Command::kActivate, b00), t.rc);
}

TEST_F(BankTimingCoreTest, ActivateOtherBankSameGroupWaitsTrrdL) {
  core.issue(Command::kActivate, b00, 0, 1);
  EXPECT_EQ(core.earliest(Command::kActivate, b01), t.rrdL);
}

TEST_F(BankTimingCoreTest, ActivateOtherGroupWaitsTrrdS) {
  core.issue(Command::kActivate, b00, 0, 1);
  EXPECT_EQ(core.earliest(Command::kActivate, b10), t.rrdS);
  EXPECT_LT(t.rrdS, t.rrdL);
}

TEST_F(BankTimingCoreTest, FourActivateWindowLimitsActivates) {
  const BankRef banks[5] = {b00, b10, b20, b30, b11};
  Tick when = 0;
  for (int i = 0; i < 4; ++i) {
    when = core.earliest(Command::kActivate, banks[i]);
    core.issue(Command::kActivate, banks[i], when, 1);
  }
  // Four ACTs at 0, tRRD_S, 2 tRRD_S, 3 tRRD_S: the fifth waits for the window, not tRRD.
  ASSERT_EQ(when, 3 * t.rrdS);
  ASSERT_GT(t.faw, 4 * t.rrdS);
  EXPECT_EQ(core.earliest(Command::kActivate, banks[4]), t.faw);
}

TEST_F(BankTimingCoreTest, ReadToReadSameGroupWaitsTccdL) {
  core.issue(Command::kActivate, b00, 0, 1);
  core.issue(Command::kActivate, b01, t.rrdL, 1);
  const Tick rd = t.rrdL + t.rcdRd;
  core.issue(Command::kRead, b00, rd);
  EXPECT_EQ(core.earliest(Command::kRead, b01), rd + t.ccdL);
}

TEST_F(BankTimingCoreTest, ReadToReadOtherGroupWaitsTccdS) {
  core.issue(Command::kActivate, b00, 0, 1);
  core.issue(Command::kActivate, b10, t.rrdS, 1);
  const Tick rd = t.rrdS + t.rcdRd;
  core.issue(Command::kRead, b00, rd);
  EXPECT_EQ(core.earliest(Command::kRead, b10), rd + t.ccdS);
  EXPECT_GE(t.ccdS, t.burst);  // back-to-back bursts never overlap on the data bus
}

TEST_F(BankTimingCoreTest, WriteToWriteSameGroupWaitsTccdL) {
  core.issue(Command::kActivate, b00, 0, 1);
  core.issue(Command::kWrite, b00, t.rcdWr);
  EXPECT_EQ(core.earliest(Command::kWrite, b00), t.rcdWr + t.ccdL);
}

TEST_F(BankTimingCoreTest, WriteAfterReadWaitsTrtw) {
  core.issue(Command::kActivate, b00, 0, 1);
  core.issue(Command::kActivate, b10, t.rrdS, 1);
  const Tick rd = t.rcdRd + t.rrdS;
  core.issue(Command::kRead, b00, rd);
  EXPECT_EQ(core.earliest(Command::kWrite, b10), rd + t.rtw);
}

TEST_F(BankTimingCoreTest, ReadAfterWriteSameGroupWaitsTwtrL) {
  core.issue(Command::kActivate, b00, 0, 1);
  core.issue(Command::kWrite, b00, t.rcdRd);
  EXPECT_EQ(core.earliest(Command::kRead, b00), t.rcdRd + t.wl + t.burst + t.wtrL);
}

TEST_F(BankTimingCoreTest, ReadAfterWriteOtherGroupWaitsTwtrS) {
  core.issue(Command::kActivate, b00, 0, 1);
  core.issue(Command::kActivate, b10, t.rrdS, 1);
  core.issue(Command::kWrite, b00, t.rcdRd);
  EXPECT_EQ(core.earliest(Command::kRead, b10), t.rcdRd + t.wl + t.burst + t.wtrS);
}

TEST_F(BankTimingCoreTest, PrechargeAfterReadWaitsTrtp) {
  core.issue(Command::kActivate, b00, 0, 1);
  const Tick rd = t.ras;  // late enough that tRAS no longer binds
  core.issue(Command::kRead, b00, rd);
  EXPECT_EQ(core.earliest(Command::kPrecharge, b00), rd + t.rtp);
}

TEST_F(BankTimingCoreTest, PrechargeAfterWriteWaitsWriteRecovery) {
  core.issue(Command::kActivate, b00, 0, 1);
  core.issue(Command::kWrite, b00, t.rcdWr);
  EXPECT_EQ(core.earliest(Command::kPrecharge, b00), t.rcdWr + t.wl + t.burst + t.wr);
}

TEST_F(BankTimingCoreTest, AllBankRefreshNeedsAllBanksPrecharged) {
  core.issue(Command::kActivate, b00, 0, 1);
  EXPECT_FALSE(core.isLegal(Command::kRefreshAllBank, b00));
  EXPECT_THROW(core.issue(Command::kRefreshAllBank, b00, 1000000), InternalError);
  core.issue(Command::kPrecharge, b00, t.ras);
  EXPECT_TRUE(core.isLegal(Command::kRefreshAllBank, b00));
  // The refresh also waits for tRP (and tRC) of the precharged bank.
  EXPECT_EQ(core.earliest(Command::kRefreshAllBank, b00), std::max(t.ras + t.rp, t.rc));
}

TEST_F(BankTimingCoreTest, ActivateAfterAllBankRefreshWaitsTrfcAb) {
  core.issue(Command::kRefreshAllBank, b00, 5000);
  for (int i = 0; i < core.bankCount(); ++i)
    EXPECT_EQ(core.earliest(Command::kActivate, core.bankAt(i)), 5000 + t.rfcAb);
}

TEST_F(BankTimingCoreTest, PerBankRefreshBlocksOnlyItsBankForTrfcPb) {
  core.issue(Command::kRefreshPerBank, b00, 5000);
  EXPECT_EQ(core.earliest(Command::kActivate, b00), 5000 + t.rfcPb);
  // Other banks wait only tRREFD.
  EXPECT_EQ(core.earliest(Command::kActivate, b10), 5000 + t.rrefd);
  EXPECT_EQ(core.earliest(Command::kRefreshPerBank, b10), 5000 + t.rrefd);
}

TEST_F(BankTimingCoreTest, ColumnCommandNeedsOpenRow) {
  EXPECT_FALSE(core.isLegal(Command::kRead, b00));
  EXPECT_THROW(core.issue(Command::kRead, b00, 0), InternalError);
  core.issue(Command::kActivate, b00, 0, 3);
  EXPECT_EQ(core.openRow(b00), 3);
  EXPECT_FALSE(core.isLegal(Command::kActivate, b00));
}

TEST(HbmSpecTest, PeakIsPinRateTimesWidthOverEight) {
  const HbmSpec s = test::hbm3Spec();
  // 6.4 Gb/s x 1024 / 8 = 819.2 GB/s (hbm.md 3.1); tolerance 1e-9 relative.
  EXPECT_NEAR(s.peakBandwidth().si(), 819.2e9, 819.2e9 * 1e-9);
  EXPECT_EQ(s.accessBytes(), 32u);                // 32-bit pseudo-channel x BL8 (hbm.md 3.2)
  EXPECT_NEAR(toNs(s.burstTime()), 1.25, 1e-12);  // nBL = 2 CK at 0.625 ns
  EXPECT_NO_THROW(s.validate());
}

TEST(HbmSpecTest, InconsistentSpecIsRejected) {
  HbmSpec s = test::hbm3Spec();
  s.timing.tRC = nanoseconds(10);  // shorter than tRAS
  EXPECT_THROW(s.validate(), SpecError);
  s = test::hbm3Spec();
  s.org.interfaceWidthBits = 1000;  // not divisible into 32 pseudo-channels
  EXPECT_THROW(s.validate(), SpecError);
}
