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
      m_pcs(spec.pseudoChannels()),
      m_accessField(m_access),
      m_groupField(m_groups),
      m_bankField(m_banks),
      m_columnField(m_columns),
      m_rowField(m_rows),
      m_interleaveField(m_interleave),
      m_stripeField(m_interleave * static_cast<std::uint64_t>(m_pcs)),
      m_pcField(static_cast<std::uint64_t>(m_pcs)) {}

int AddressMapper::pseudoChannelOf(std::uint64_t addr) const {
  m_interleaveField.take(addr);
  return static_cast<int>(m_pcField.take(addr));
}

std::uint64_t AddressMapper::localAddress(std::uint64_t addr) const {
  std::uint64_t stripes = addr;
  m_stripeField.take(stripes);
  return stripes * m_interleave + m_interleaveField.take(addr);
}

DramAddress AddressMapper::map(std::uint64_t addr) const {
  DramAddress d = mapLocal(localAddress(addr));
  d.pseudoChannel = pseudoChannelOf(addr);
  return d;
}

DramAddress AddressMapper::mapLocal(std::uint64_t local) const {
  std::uint64_t a = local;
  m_accessField.take(a);  // the byte within the access
  DramAddress d;
  std::uint64_t g = 0, b = 0, c = 0;
  switch (m_mapping) {
    case AddressMapping::kRowBankColumnGroup:
      g = m_groupField.take(a);
      c = m_columnField.take(a);
      b = m_bankField.take(a);
      break;
    case AddressMapping::kRowColumnBankGroup:
      g = m_groupField.take(a);
      b = m_bankField.take(a);
      c = m_columnField.take(a);
      break;
    case AddressMapping::kRowBankGroupColumn:
      c = m_columnField.take(a);
      g = m_groupField.take(a);
      b = m_bankField.take(a);
      break;
  }
  d.group = static_cast<int>(g);
  d.bank = static_cast<int>(b);
  d.column = static_cast<std::int64_t>(c);
  d.row = static_cast<std::int64_t>(m_rowField.take(a));
  return d;
}

}  // namespace chipletsim::hbm
