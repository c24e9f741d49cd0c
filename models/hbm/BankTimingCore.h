#pragma once
// The bank-state timing rules of one HBM pseudo-channel, plain C++ (Tick = ps). For each
// command the core answers "earliest legal tick" and records issued commands; it knows
// nothing of queues or policies. Rules (JESD238-class, names as in the timing tables):
//   ACT->RD/WR same bank tRCD_RD/tRCD_WR, ACT->PRE tRAS, ACT->ACT same bank tRC,
//   PRE->ACT tRP, ACT->ACT other bank tRRD_L (same group) / tRRD_S, at most four ACT per
//   tFAW, RD->RD and WR->WR tCCD_L (same group) / tCCD_S, RD->WR tRTW, WR->RD
//   WL + burst + tWTR_L / tWTR_S, RD->PRE tRTP, WR->PRE WL + burst + tWR,
//   REFab needs every bank precharged and blocks them tRFCab, REFpb blocks its bank tRFCpb
//   and the next ACT or REFpb of the pseudo-channel tRREFD.
// Invariant: commands are issued in non-decreasing tick order except precharges, which may
// be recorded ahead (auto-precharge) because they only constrain their own bank.

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "hbm/HbmSpec.h"

namespace chipletsim::hbm {

enum class Command { kActivate, kPrecharge, kRead, kWrite, kRefreshAllBank, kRefreshPerBank };

/// A bank inside one pseudo-channel: bank group and bank within the group.
struct BankRef {
  int group = 0;
  int bank = 0;
};

class BankTimingCore {
 public:
  static constexpr std::int64_t kNoRow = -1;

  BankTimingCore(const HbmTimingTicks& t, int bankGroups, int banksPerGroup);

  /// Earliest tick >= 0 at which `cmd` may be issued to `b` given every rule above. The
  /// command must be legal in the bank's state (see isLegal); `row` is used by ACT only.
  Tick earliest(Command cmd, BankRef b) const {
    const Bank& bank = m_banks[static_cast<std::size_t>(index(b))];
    const Group& group = m_groups[static_cast<std::size_t>(b.group)];
    switch (cmd) {
      case Command::kActivate: {
        Tick t = std::max({bank.nextAct, group.nextAct, m_nextActAny});
        if (m_actCount >= 4) t = std::max(t, m_lastActs[m_actHead] + m_t.faw);
        return t;
      }
      case Command::kPrecharge:
        return bank.nextPre;
      case Command::kRead:
        return std::max({bank.nextRd, group.nextRd, m_nextRdAny});
      case Command::kWrite:
        return std::max({bank.nextWr, group.nextWr, m_nextWrAny});
      case Command::kRefreshAllBank:
        return allBankRefreshEarliest();
      case Command::kRefreshPerBank:
        return std::max(bank.nextAct, m_nextRefPb);
    }
    return 0;
  }
  /// The part of earliest() that depends on bank `b` alone (changes only with commands to
  /// `b` or all-bank refresh), and the part shared by its bank group and the channel;
  /// earliest(cmd, b) == max(bankPart, sharedPart) for ACT, PRE, RD and WR.
  Tick bankPart(Command cmd, BankRef b) const {
    const Bank& bank = m_banks[static_cast<std::size_t>(index(b))];
    switch (cmd) {
      case Command::kActivate:
        return bank.nextAct;
      case Command::kPrecharge:
        return bank.nextPre;
      case Command::kRead:
        return bank.nextRd;
      case Command::kWrite:
        return bank.nextWr;
      default:
        return earliest(cmd, b);
    }
  }
  Tick sharedPart(Command cmd, int group) const {
    const Group& g = m_groups[static_cast<std::size_t>(group)];
    switch (cmd) {
      case Command::kActivate: {
        const Tick t = std::max(g.nextAct, m_nextActAny);
        return m_actCount >= 4 ? std::max(t, m_lastActs[m_actHead] + m_t.faw) : t;
      }
      case Command::kRead:
        return std::max(g.nextRd, m_nextRdAny);
      case Command::kWrite:
        return std::max(g.nextWr, m_nextWrAny);
      default:
        return 0;
    }
  }
  /// sharedPart of every bank group at once, raised to at least `floor`: out[2 g] for ACT,
  /// out[2 g + 1] for RD (WR when `write`); `out` holds 2 x bank groups ticks. (PRE has no
  /// shared rule: its part is `floor`.)
  void sharedParts(bool write, Tick floor, Tick* out) const {
    if (write)
      sharedPartsOf<true>(floor, out);
    else
      sharedPartsOf<false>(floor, out);
  }
  /// True when the bank state allows `cmd` (RD/WR: row open; ACT/REFpb: bank closed;
  /// REFab: all banks closed). Timing is not considered.
  bool isLegal(Command cmd, BankRef b) const {
    const Bank& bank = m_banks[static_cast<std::size_t>(index(b))];
    switch (cmd) {
      case Command::kActivate:
      case Command::kRefreshPerBank:
        return bank.openRow == kNoRow;
      case Command::kPrecharge:
      case Command::kRead:
      case Command::kWrite:
        return bank.openRow != kNoRow;
      case Command::kRefreshAllBank:
        return m_openBanks == 0;
    }
    return false;
  }
  /// Records `cmd` at tick `t`; throws InternalError when t < earliest(cmd, b) or illegal.
  void issue(Command cmd, BankRef b, Tick t, std::int64_t row = kNoRow);

  std::int64_t openRow(BankRef b) const { return m_banks[index(b)].openRow; }
  int bankCount() const { return static_cast<int>(m_banks.size()); }
  int index(BankRef b) const { return b.group * m_banksPerGroup + b.bank; }
  BankRef bankAt(int index) const { return m_refs[static_cast<std::size_t>(index)]; }
  bool allClosed() const { return m_openBanks == 0; }
  const HbmTimingTicks& timing() const { return m_t; }

 private:
  struct Bank {
    std::int64_t openRow = kNoRow;
    Tick nextAct = 0, nextPre = 0, nextRd = 0, nextWr = 0;
  };
  struct Group {
    Tick nextAct = 0, nextRd = 0, nextWr = 0;
  };

  Tick allBankRefreshEarliest() const;
  template <bool kWrite>
  void sharedPartsOf(Tick floor, Tick* out) const {
    Tick act = std::max(floor, m_nextActAny);
    if (m_actCount >= 4) act = std::max(act, m_lastActs[m_actHead] + m_t.faw);
    const Tick col = std::max(floor, kWrite ? m_nextWrAny : m_nextRdAny);
    for (const Group& g : m_groups) {
      out[0] = std::max(act, g.nextAct);
      out[1] = std::max(col, kWrite ? g.nextWr : g.nextRd);
      out += 2;
    }
  }

  HbmTimingTicks m_t;
  int m_banksPerGroup;
  std::vector<Bank> m_banks;
  std::vector<Group> m_groups;
  std::vector<BankRef> m_refs;  // [index]: group and bank (a table, not a division)
  Tick m_nextActAny = 0, m_nextRdAny = 0, m_nextWrAny = 0, m_nextRefPb = 0;
  std::array<Tick, 4> m_lastActs{};  // ring of the last four ACT ticks
  int m_actCount = 0;                // ACTs issued (saturates the ring once >= 4)
  int m_actHead = 0;
  int m_openBanks = 0;
};

}  // namespace chipletsim::hbm
