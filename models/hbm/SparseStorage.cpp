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
    unsigned char* p = page(a / kPageBytes);
    if (!byteEnable || beLen == 0) {
      std::memcpy(p + off, in + done, n);
    } else {
      for (std::uint64_t i = 0; i < n; ++i)
        if (byteEnable[(done + i) % beLen] == 0xff) p[off + i] = in[done + i];
    }
    done += n;
  }
}

unsigned char* SparseStorage::page(std::uint64_t index) {
  auto& p = m_pages[index];
  if (!p) {
    p = std::make_unique<Page>();
    p->fill(0);
  }
  return p->data();
}

}  // namespace chipletsim::hbm
