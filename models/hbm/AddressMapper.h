#pragma once
// Splits a stack-local byte address into pseudo-channel, bank group, bank, row and column.
// Pseudo-channels interleave every `interleave` bytes; inside a pseudo-channel the field
// order follows AddressMapping (most significant first). Pure function of the spec.

#include <cstdint>

#include "hbm/HbmSpec.h"

namespace chipletsim::hbm {

/// One column access (accessBytes) of one pseudo-channel.
struct DramAddress {
  int pseudoChannel = 0;
  int group = 0;
  int bank = 0;
  std::int64_t row = 0;
  std::int64_t column = 0;  // in column accesses
};

class AddressMapper {
 public:
  explicit AddressMapper(const HbmSpec& spec);

  /// `addr` in bytes from the stack's first byte (< capacity).
  DramAddress map(std::uint64_t addr) const;
  /// Pseudo-channel of `addr` and its byte offset inside that pseudo-channel.
  int pseudoChannelOf(std::uint64_t addr) const;
  std::uint64_t localAddress(std::uint64_t addr) const;
  /// Maps a pseudo-channel-local byte address (the controller's view).
  DramAddress mapLocal(std::uint64_t local) const;
  std::uint64_t interleave() const { return m_interleave; }
  int pseudoChannels() const { return m_pcs; }

 private:
  AddressMapping m_mapping;
  std::uint64_t m_interleave, m_access, m_groups, m_banks, m_columns, m_rows;
  int m_pcs;
};

}  // namespace chipletsim::hbm
