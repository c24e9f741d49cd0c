#pragma once
// One direction of a die-to-die link at flit level, in plain C++ (no kernel; the caller owns
// time). Messages (protocol header + data) are packed back to back into flit payloads; a
// message that ends mid-flit lets the next message share that flit if it is offered before
// the flit starts on the wire, otherwise the flit leaves padded. A message is received when
// the CRC unit holding its last byte has crossed the wire (the receiver checks CRC first).
// CRC errors (drawn by a seeded BitErrorProcess) cost a go-back-N replay: the errored flit
// and everything sent after it until the NAK returns are sent again.

#include <cstdint>

#include "common/Units.h"
#include "d2d/BitErrorProcess.h"
#include "d2d/FlitFormat.h"

namespace chipletsim::d2d {

class FlitSerializer {
 public:
  struct Config {
    FlitFormat format = FlitFormat::kFlit68;
    Bandwidth rawBandwidth;  // wire bytes per second of this direction (> 0)
    Duration replayPenalty;  // end of an errored flit to the start of its resend (>= 0)
    double bitErrorRate = 0.0;
    std::uint64_t seed = 0;
  };
  /// Ticks of one message: `start` its first byte enters the wire (or the flit it joins);
  /// `done` the CRC unit with its last byte has fully crossed the wire (before PHY/adapter
  /// latency and flight, which the caller adds).
  struct Result {
    Tick start = 0;
    Tick done = 0;
  };

  explicit FlitSerializer(const Config& config);

  /// Sends a message of `bytes` (> 0) protocol bytes offered at tick `now`. When
  /// `minWireTime` is longer than the flits take (the sender is held back, e.g. by credits),
  /// the message's flits are spread over it.
  Result send(Tick now, std::uint64_t bytes, Duration minWireTime = Duration(0.0));
  /// Total time senders were held back below line rate by `minWireTime`.
  Tick throttledTicks() const { return static_cast<Tick>(m_throttledPs + 0.5); }

  const FlitLayout& layout() const { return m_layout; }
  /// Seconds of wire time per flit.
  Duration flitTime() const { return Duration(m_flitPs * 1e-12); }

  std::uint64_t messages() const { return m_messages; }
  std::uint64_t payloadBytes() const { return m_payloadBytes; }
  /// Distinct flits carrying messages (replays not counted).
  std::uint64_t flits() const { return m_flits; }
  /// Flits put on the wire, replays included.
  std::uint64_t transmittedFlits() const { return m_flits + m_replayedFlits; }
  std::uint64_t wireBytes() const { return transmittedFlits() * m_layout.flitBytes; }
  std::uint64_t retries() const { return m_retries; }
  std::uint64_t replayedFlits() const { return m_replayedFlits; }
  /// Flit errors that no CRC caught (raw format only: the protocol above owns them).
  std::uint64_t undetectedErrors() const { return m_undetected; }
  /// Ticks the wire was occupied (flits and replay windows).
  Tick busyTicks() const { return static_cast<Tick>(m_busyPs + 0.5); }
  Tick firstStart() const { return m_firstStart; }
  Tick lastDone() const { return m_lastDone; }
  double flitErrorProbability() const { return m_errors.flitErrorProbability(); }

 private:
  double unitEndPs(
      std::uint64_t fill) const;  // offset of the end of the CRC unit holding byte `fill`

  FlitLayout m_layout;
  double m_flitPs;
  double m_penaltyPs;
  BitErrorProcess m_errors;

  double m_wireFreePs = 0.0;     // the wire has sent every committed flit
  double m_openStartPs = 0.0;    // start of the last, partly filled flit
  std::uint64_t m_openFill = 0;  // payload bytes in that flit; 0 when none can join

  std::uint64_t m_messages = 0;
  std::uint64_t m_payloadBytes = 0;
  std::uint64_t m_flits = 0;
  std::uint64_t m_retries = 0;
  std::uint64_t m_replayedFlits = 0;
  std::uint64_t m_undetected = 0;
  double m_busyPs = 0.0;
  double m_throttledPs = 0.0;
  Tick m_firstStart = 0;
  Tick m_lastDone = 0;
};

}  // namespace chipletsim::d2d
