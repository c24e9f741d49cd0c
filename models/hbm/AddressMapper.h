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
  /// Offset of `addr` inside its interleave block (addr % interleave).
  std::uint64_t blockOffset(std::uint64_t addr) const { return m_interleaveField.take(addr); }
  int pseudoChannels() const { return m_pcs; }

 private:
  /// Division by a field's size: a shift and a mask when it is a power of two (every
  /// shipped preset), else a division. Same results either way.
  struct Field {
    std::uint64_t n = 1;
    int shift = -1;  // log2(n) when n is a power of two, else -1
    explicit Field(std::uint64_t size) : n(size) {
      if (size && (size & (size - 1)) == 0) shift = __builtin_ctzll(size);
    }
    /// Returns a % n and sets a = a / n.
    std::uint64_t take(std::uint64_t& a) const {
      if (shift >= 0) {
        const std::uint64_t v = a & (n - 1);
        a >>= shift;
        return v;
      }
      const std::uint64_t v = a % n;
      a /= n;
      return v;
    }
  };

  AddressMapping m_mapping;
  std::uint64_t m_interleave, m_access, m_groups, m_banks, m_columns, m_rows;
  int m_pcs;
  Field m_accessField, m_groupField, m_bankField, m_columnField, m_rowField;
  Field m_interleaveField, m_stripeField, m_pcField;
};

}  // namespace chipletsim::hbm
