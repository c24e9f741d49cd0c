#include "d2d/FlitFormat.h"

#include "common/Errors.h"

namespace chipletsim::d2d {

namespace {
// source: shared/reference/d2d.md sec.1.3 "UCIe flit formats and protocol overhead":
// raw 64 B chunks (100%), 68 B = 2 B header + 64 B + 2 B CRC (64/68), standard 256 B with
// 236 B TLP (236/256), latency-optimised 256 B as two CRC-protected 128 B halves (~92%).
constexpr FlitLayout kLayouts[] = {
    {FlitFormat::kRaw, 64, 64, 1, false},
    {FlitFormat::kFlit68, 68, 64, 1, true},
    {FlitFormat::kStandard256, 256, 236, 1, true},
    {FlitFormat::kLatencyOptimised256, 256, 236, 2, true},
};
}  // namespace

const FlitLayout& flitLayout(FlitFormat format) {
  for (const auto& l : kLayouts)
    if (l.format == format) return l;
  throw InternalError("flitLayout: unknown flit format");
}

const char* flitFormatName(FlitFormat format) {
  switch (format) {
    case FlitFormat::kRaw:
      return "raw";
    case FlitFormat::kFlit68:
      return "68b";
    case FlitFormat::kStandard256:
      return "standard_256b";
    case FlitFormat::kLatencyOptimised256:
      return "latency_optimised_256b";
  }
  throw InternalError("flitFormatName: unknown flit format");
}

}  // namespace chipletsim::d2d
