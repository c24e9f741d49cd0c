#pragma once
// The flit formats of the UCIe die-to-die adapter (shared/reference/d2d.md sec.1.3). A flit
// is the unit the adapter serialises, protects with CRC and replays; protocol bytes are
// packed into its payload. The layouts are protocol facts, so they live here as one table.

#include <cstdint>
#include <string>

namespace chipletsim::d2d {

enum class FlitFormat : std::uint8_t {
  kRaw,                 // format 1: 64 B chunks, no adapter CRC and no retry
  kFlit68,              // format 2: 2 B header + 64 B data + 2 B CRC
  kStandard256,         // PCIe 6.0 / CXL 256 B: 236 B TLP + 6 B DLP + 14 B adapter bytes
  kLatencyOptimised256  // 256 B in two 128 B halves, each with its own CRC
};

/// Geometry of one flit format. Invariants: 0 < payloadBytes <= flitBytes; crcUnits >= 1
/// divides the flit into equal parts that the receiver can consume independently.
struct FlitLayout {
  FlitFormat format;
  int flitBytes;     // bytes on the wire per flit
  int payloadBytes;  // protocol bytes carried per flit
  int crcUnits;      // independently checked parts per flit (2 for latency-optimised)
  bool retry;        // CRC + go-back-N replay by the adapter

  /// Payload bytes over wire bytes (dimensionless, <= 1).
  double efficiency() const { return static_cast<double>(payloadBytes) / flitBytes; }
  /// Payload bytes carried by each CRC unit.
  double payloadPerUnit() const { return static_cast<double>(payloadBytes) / crcUnits; }
};

/// The layout of `format`.
const FlitLayout& flitLayout(FlitFormat format);
/// The config spelling: "raw", "68b", "standard_256b", "latency_optimised_256b".
const char* flitFormatName(FlitFormat format);

}  // namespace chipletsim::d2d
