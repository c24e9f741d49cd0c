#pragma once
// Numeric formats of the tensor engines. Storage size per element in bytes (fp4 packs two
// elements per byte, so 0.5).

#include <array>
#include <string>

namespace chipletsim {

enum class Dtype { kFp32, kTf32, kBf16, kFp16, kFp8, kFp4 };
constexpr int kDtypeCount = 6;

/// Index of `d` into per-dtype arrays (0..kDtypeCount-1).
constexpr int dtypeIndex(Dtype d) {
  return static_cast<int>(d);
}

/// Bytes one element occupies in memory. tf32 is stored as fp32.
constexpr double bytesPerElement(Dtype d) {
  switch (d) {
    case Dtype::kFp32:
    case Dtype::kTf32:
      return 4.0;
    case Dtype::kBf16:
    case Dtype::kFp16:
      return 2.0;
    case Dtype::kFp8:
      return 1.0;
    case Dtype::kFp4:
      return 0.5;
  }
  return 0.0;
}

/// The config spelling ("bf16").
inline std::string dtypeName(Dtype d) {
  constexpr std::array<const char*, kDtypeCount> kNames = {"fp32", "tf32", "bf16",
                                                           "fp16", "fp8",  "fp4"};
  return kNames[static_cast<std::size_t>(dtypeIndex(d))];
}

}  // namespace chipletsim
