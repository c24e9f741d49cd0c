#include "hbm/AddressMapper.h"

namespace chipletsim::hbm {

AddressMapper::AddressMapper(const HbmSpec& spec)
    : m_mapping(spec.controller.mapping),
      m_interleave(static_cast<std::uint64_t>(spec.controller.interleave.si())),
      m_access(spec.accessBytes()),
      m_groups(static_cast<std::uint64_t>(spec.org.bankGroups)),
      m_banks(static_cast<std::uint64_t>(spec.org.banksPerGroup)),
      m_columns(spec.columnsPerRow()),
      m_rows(spec.rowsPerBank()),
      m_pcs(spec.pseudoChannels()) {}

int AddressMapper::pseudoChannelOf(std::uint64_t addr) const {
  return static_cast<int>((addr / m_interleave) % static_cast<std::uint64_t>(m_pcs));
}

std::uint64_t AddressMapper::localAddress(std::uint64_t addr) const {
  const std::uint64_t stripe = m_interleave * static_cast<std::uint64_t>(m_pcs);
  return (addr / stripe) * m_interleave + addr % m_interleave;
}

DramAddress AddressMapper::map(std::uint64_t addr) const {
  DramAddress d = mapLocal(localAddress(addr));
  d.pseudoChannel = pseudoChannelOf(addr);
  return d;
}

DramAddress AddressMapper::mapLocal(std::uint64_t local) const {
  std::uint64_t a = local / m_access;
  auto take = [&a](std::uint64_t n) {
    const std::uint64_t v = a % n;
    a /= n;
    return v;
  };
  DramAddress d;
  std::uint64_t g = 0, b = 0, c = 0;
  switch (m_mapping) {
    case AddressMapping::kRowBankColumnGroup:
      g = take(m_groups);
      c = take(m_columns);
      b = take(m_banks);
      break;
    case AddressMapping::kRowColumnBankGroup:
      g = take(m_groups);
      b = take(m_banks);
      c = take(m_columns);
      break;
    case AddressMapping::kRowBankGroupColumn:
      c = take(m_columns);
      g = take(m_groups);
      b = take(m_banks);
      break;
  }
  d.group = static_cast<int>(g);
  d.bank = static_cast<int>(b);
  d.column = static_cast<std::int64_t>(c);
  d.row = static_cast<std::int64_t>(a % m_rows);
  return d;
}

}  // namespace chipletsim::hbm
