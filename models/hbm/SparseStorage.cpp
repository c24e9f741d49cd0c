#include "hbm/SparseStorage.h"

#include <algorithm>
#include <cstring>

namespace chipletsim::hbm {

void SparseStorage::read(std::uint64_t addr, unsigned char* out, std::uint64_t len) const {
  std::uint64_t done = 0;
  while (done < len) {
    const std::uint64_t a = addr + done;
    const std::uint64_t off = a % kPageBytes;
    const std::uint64_t n = std::min(len - done, kPageBytes - off);
    const auto it = m_pages.find(a / kPageBytes);
    if (it == m_pages.end())
      std::memset(out + done, 0, n);
    else
      std::memcpy(out + done, it->second->data() + off, n);
    done += n;
  }
}

void SparseStorage::write(std::uint64_t addr, const unsigned char* in, std::uint64_t len,
                          const unsigned char* byteEnable, std::uint64_t beLen) {
  std::uint64_t done = 0;
  while (done < len) {
    const std::uint64_t a = addr + done;
    const std::uint64_t off = a % kPageBytes;
    const std::uint64_t n = std::min(len - done, kPageBytes - off);
    auto& page = m_pages[a / kPageBytes];
    if (!page) {
      page = std::make_unique<Page>();
      page->fill(0);
    }
    if (!byteEnable || beLen == 0) {
      std::memcpy(page->data() + off, in + done, n);
    } else {
      for (std::uint64_t i = 0; i < n; ++i)
        if (byteEnable[(done + i) % beLen] == 0xff) (*page)[off + i] = in[done + i];
    }
    done += n;
  }
}

}  // namespace chipletsim::hbm
