#include "hbm/BankTimingCore.h"

#include <algorithm>

#include "common/Errors.h"

namespace chipletsim::hbm {

BankTimingCore::BankTimingCore(const HbmTimingTicks& t, int bankGroups, int banksPerGroup)
    : m_t(t),
      m_banksPerGroup(banksPerGroup),
      m_banks(static_cast<std::size_t>(bankGroups * banksPerGroup)),
      m_groups(static_cast<std::size_t>(bankGroups)) {
  for (int i = 0; i < bankGroups * banksPerGroup; ++i)
    m_refs.push_back({i / banksPerGroup, i % banksPerGroup});
}

Tick BankTimingCore::allBankRefreshEarliest() const {
  Tick t = 0;
  for (const Bank& k : m_banks) t = std::max(t, k.nextAct);
  return t;
}

void BankTimingCore::issue(Command cmd, BankRef b, Tick t, std::int64_t row) {
  if (!isLegal(cmd, b)) throw InternalError("BankTimingCore: command illegal in bank state");
  if (t < earliest(cmd, b)) throw InternalError("BankTimingCore: command issued too early");
  Bank& bank = m_banks[index(b)];
  Group& group = m_groups[b.group];
  switch (cmd) {
    case Command::kActivate:
      if (row < 0) throw InternalError("BankTimingCore: activate without a row");
      bank.openRow = row;
      ++m_openBanks;
      bank.nextRd = std::max(bank.nextRd, t + m_t.rcdRd);
      bank.nextWr = std::max(bank.nextWr, t + m_t.rcdWr);
      bank.nextPre = std::max(bank.nextPre, t + m_t.ras);
      bank.nextAct = std::max(bank.nextAct, t + m_t.rc);
      group.nextAct = std::max(group.nextAct, t + m_t.rrdL);
      m_nextActAny = std::max(m_nextActAny, t + m_t.rrdS);
      m_lastActs[m_actHead] = t;
      m_actHead = (m_actHead + 1) % 4;
      m_actCount = std::min(m_actCount + 1, 4);
      break;
    case Command::kPrecharge:
      bank.openRow = kNoRow;
      --m_openBanks;
      bank.nextAct = std::max(bank.nextAct, t + m_t.rp);
      break;
    case Command::kRead:
      group.nextRd = std::max(group.nextRd, t + m_t.ccdL);
      m_nextRdAny = std::max(m_nextRdAny, t + m_t.ccdS);
      m_nextWrAny = std::max(m_nextWrAny, t + m_t.rtw);
      bank.nextPre = std::max(bank.nextPre, t + m_t.rtp);
      break;
    case Command::kWrite: {
      const Tick dataEnd = t + m_t.wl + m_t.burst;
      group.nextWr = std::max(group.nextWr, t + m_t.ccdL);
      m_nextWrAny = std::max(m_nextWrAny, t + m_t.ccdS);
      group.nextRd = std::max(group.nextRd, dataEnd + m_t.wtrL);
      m_nextRdAny = std::max(m_nextRdAny, dataEnd + m_t.wtrS);
      bank.nextPre = std::max(bank.nextPre, dataEnd + m_t.wr);
      break;
    }
    case Command::kRefreshAllBank:
      for (Bank& k : m_banks) k.nextAct = std::max(k.nextAct, t + m_t.rfcAb);
      break;
    case Command::kRefreshPerBank:
      bank.nextAct = std::max(bank.nextAct, t + m_t.rfcPb);
      m_nextActAny = std::max(m_nextActAny, t + m_t.rrefd);
      m_nextRefPb = std::max(m_nextRefPb, t + m_t.rrefd);
      break;
  }
}

}  // namespace chipletsim::hbm
