#pragma once
// Functional backing store of a memory: 4 KiB pages allocated on first write, so a 24 GiB
// stack costs memory only for what was written. Bytes never written read as zero.

#include <array>
#include <cstdint>
#include <map>
#include <memory>

namespace chipletsim::hbm {

class SparseStorage {
 public:
  static constexpr std::uint64_t kPageBytes = 4096;

  /// Copies `len` bytes at `addr` into `out`.
  void read(std::uint64_t addr, unsigned char* out, std::uint64_t len) const;
  /// Writes `len` bytes from `in` at `addr`; with `byteEnable` (length `beLen`, repeated),
  /// only bytes whose enable is 0xff are written (TLM-2.0 byte-enable convention).
  void write(std::uint64_t addr, const unsigned char* in, std::uint64_t len,
             const unsigned char* byteEnable = nullptr, std::uint64_t beLen = 0);
  /// The bytes of page `index` (addresses index * kPageBytes onwards), allocated and zeroed
  /// on first use. The pointer stays valid until clear(): pages never move.
  unsigned char* page(std::uint64_t index);
  /// Drops every page: all bytes read as zero again; pointers from page() become invalid.
  void clear() { m_pages.clear(); }
  /// Pages allocated so far (for tests of sparseness).
  std::size_t pages() const { return m_pages.size(); }

 private:
  using Page = std::array<unsigned char, kPageBytes>;
  std::map<std::uint64_t, std::unique_ptr<Page>> m_pages;
};

}  // namespace chipletsim::hbm
