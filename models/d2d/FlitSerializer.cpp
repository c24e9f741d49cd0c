#include "d2d/FlitSerializer.h"

#include <algorithm>
#include <cmath>

#include "common/Errors.h"

namespace chipletsim::d2d {

namespace {
Tick ceilTick(double ps) {
  return static_cast<Tick>(std::ceil(ps - 1e-6));
}
}  // namespace

FlitSerializer::FlitSerializer(const Config& config)
    : m_layout(flitLayout(config.format)),
      m_flitPs(m_layout.flitBytes / config.rawBandwidth.si() * 1e12),
      m_penaltyPs(config.replayPenalty.si() * 1e12),
      m_errors(config.bitErrorRate, m_layout.flitBytes * 8, config.seed) {
  if (!(config.rawBandwidth.si() > 0.0)) throw SpecError("link bandwidth must be positive");
  if (!(m_penaltyPs >= 0.0)) throw SpecError("replay penalty must not be negative");
}

double FlitSerializer::unitEndPs(std::uint64_t fill) const {
  const double unit = m_layout.payloadPerUnit();
  const double units = std::ceil(static_cast<double>(fill) / unit - 1e-9);
  return std::max(1.0, units) * m_flitPs / m_layout.crcUnits;
}

FlitSerializer::Result FlitSerializer::send(Tick nowTick, std::uint64_t bytes,
                                            Duration minWireTime) {
  require(bytes > 0, "FlitSerializer::send: empty message");
  const double now = static_cast<double>(nowTick);
  const std::uint64_t payload = static_cast<std::uint64_t>(m_layout.payloadBytes);
  std::uint64_t remaining = bytes;
  double startPs = 0.0;
  double donePs = 0.0;

  // Join the last flit while it still waits for the wire.
  const bool join = m_openFill > 0 && now <= m_openStartPs + 1e-6;
  if (join) {
    const std::uint64_t take = std::min(remaining, payload - m_openFill);
    m_openFill += take;
    remaining -= take;
    startPs = m_openStartPs;
    donePs = m_openStartPs + unitEndPs(m_openFill);
    if (m_openFill == payload) m_openFill = 0;
  }

  if (remaining > 0) {
    const std::uint64_t n = (remaining + payload - 1) / payload;
    const double t0 = std::max(now, m_wireFreePs);
    if (!join) startPs = t0;
    // Go-back-N: an errored flit is sent again, after a replay window, with all that follows.
    std::uint64_t left = n;
    std::uint64_t slots = 0;
    std::uint64_t errors = 0;
    while (left > 0) {
      const std::uint64_t hit = m_errors.advance(left);
      if (hit == 0) {
        slots += left;
        break;
      }
      if (!m_layout.retry) {  // nobody checks: the flit goes through with its error
        ++m_undetected;
        slots += hit;
        left -= hit;
        continue;
      }
      slots += hit;
      left -= hit - 1;
      ++errors;
    }
    const double windowFlits = std::floor(m_penaltyPs / m_flitPs);
    m_retries += errors;
    // Each error resends the errored flit and the flits a backlogged sender put on the wire
    // before the NAK came back.
    m_replayedFlits += errors * static_cast<std::uint64_t>(1.0 + windowFlits);
    double end =
        t0 + static_cast<double>(slots) * m_flitPs + static_cast<double>(errors) * m_penaltyPs;
    double lastStart =
        t0 + static_cast<double>(slots - 1) * m_flitPs + static_cast<double>(errors) * m_penaltyPs;
    const double held = t0 + minWireTime.si() * 1e12 - end;
    if (held > 0.0) {  // the sender was held back: its flits spread over minWireTime
      end += held;
      lastStart += held;
      m_throttledPs += held;
    }
    const std::uint64_t lastFill = remaining - (n - 1) * payload;
    m_openStartPs = lastStart;
    m_openFill = lastFill < payload ? lastFill : 0;
    m_wireFreePs = end;
    m_busyPs += end - t0;
    m_flits += n;
    donePs = lastStart + unitEndPs(lastFill);
  }

  Result r{ceilTick(startPs), ceilTick(donePs)};
  if (m_messages == 0) m_firstStart = r.start;
  m_lastDone = std::max(m_lastDone, r.done);
  ++m_messages;
  m_payloadBytes += bytes;
  return r;
}

}  // namespace chipletsim::d2d
