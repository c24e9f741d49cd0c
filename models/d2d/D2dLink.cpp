#include "d2d/D2dLink.h"

#include <algorithm>
#include <cmath>

#include "common/Errors.h"
#include "common/TrafficExtension.h"

namespace chipletsim::d2d {

namespace {
// The two directions draw independent error streams from the one configured seed.
constexpr std::uint64_t kDirectionSeedStride = 0x9E3779B97F4A7C15ull;

FlitSerializer::Config serializerConfig(const D2dLinkSpec& s, int dir) {
  FlitSerializer::Config c;
  c.format = s.flitFormat;
  c.rawBandwidth = s.rawBandwidth();
  c.replayPenalty = s.replayPenalty();
  c.bitErrorRate = s.bitErrorRate;
  c.seed = s.seed + kDirectionSeedStride * static_cast<std::uint64_t>(dir);
  return c;
}
}  // namespace

D2dLink::D2dLink(sc_core::sc_module_name name, const D2dLinkSpec& spec)
    : sc_module(name),
      a_in("a_in"),
      b_in("b_in"),
      a_out("a_out"),
      b_out("b_out"),
      m_tieOffAIn("tie_off_a_in"),
      m_tieOffBIn("tie_off_b_in"),
      m_tieOffAOut("tie_off_a_out"),
      m_tieOffBOut("tie_off_b_out"),
      m_spec((spec.validate(), spec)),
      m_oneWay(toTicks(spec.oneWayLatency())),
      m_psPerTimeUnit(sc_core::sc_get_time_resolution().to_seconds() * 1e12),
      m_resolutionIsPs(sc_core::sc_get_time_resolution() == sc_core::sc_time(1, sc_core::SC_PS)) {
  // Credit loop: a byte's credit comes back after its CRC unit crossed, one one-way latency
  // to the far buffer and one back.
  const auto& layout = flitLayout(spec.flitFormat);
  const Duration unit(layout.flitBytes / spec.rawBandwidth().si() / layout.crcUnits);
  m_creditLoopTicks = 2 * m_oneWay + toTicks(unit);
  m_creditLoopBytes = std::max<std::uint64_t>(
      static_cast<std::uint64_t>(
          std::ceil(spec.effectiveBandwidth().si() * fromTicks(m_creditLoopTicks).si())),
      static_cast<std::uint64_t>(layout.payloadBytes));
  for (int dir = 0; dir < 2; ++dir)
    m_dir.emplace_back(serializerConfig(spec, dir), spec.rxBufferBytes);
  m_end.emplace_back("a_requests", "a_deliveries", "a_offers", "a_responses");
  m_end.emplace_back("b_requests", "b_deliveries", "b_offers", "b_responses");
  a_in.register_b_transport(this, &D2dLink::bTransportA);
  b_in.register_b_transport(this, &D2dLink::bTransportB);
  a_in.register_nb_transport_fw(this, &D2dLink::nbFwA);
  b_in.register_nb_transport_fw(this, &D2dLink::nbFwB);
  a_in.register_transport_dbg(this, &D2dLink::dbgA);
  b_in.register_transport_dbg(this, &D2dLink::dbgB);
  SC_THREAD(requestThreadA);
  SC_THREAD(requestThreadB);
  SC_THREAD(deliverThreadA);
  SC_THREAD(deliverThreadB);
  SC_THREAD(responseThreadA);
  SC_THREAD(responseThreadB);
  SC_THREAD(offerThreadA);
  SC_THREAD(offerThreadB);
}

void D2dLink::before_end_of_elaboration() {
  if (a_in.get_base_port().bind_count() == 0) m_tieOffAIn.bind(a_in);
  if (b_in.get_base_port().bind_count() == 0) m_tieOffBIn.bind(b_in);
  if (a_out.bind_count() == 0) {
    m_tieOffAOut.register_b_transport(this, &D2dLink::tieOffTransport);
    a_out.bind(m_tieOffAOut);
  }
  if (b_out.bind_count() == 0) {
    m_tieOffBOut.register_b_transport(this, &D2dLink::tieOffTransport);
    b_out.bind(m_tieOffBOut);
  }
}

void D2dLink::tieOffTransport(tlm::tlm_generic_payload& t, sc_core::sc_time& /*d*/) {
  // Nothing is connected beyond this end: the transaction has no target.
  t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

Tick D2dLink::ticksOf(const sc_core::sc_time& t) const {
  if (m_resolutionIsPs) return t.value();
  return static_cast<Tick>(std::llround(static_cast<double>(t.value()) * m_psPerTimeUnit));
}

Tick D2dLink::now() const {
  return ticksOf(sc_core::sc_time_stamp());
}

sc_core::sc_time D2dLink::toTime(Tick t) const {
  if (m_resolutionIsPs) return sc_core::sc_time::from_value(t);
  return sc_core::sc_time::from_value(
      static_cast<sc_dt::uint64>(std::llround(static_cast<double>(t) / m_psPerTimeUnit)));
}

std::uint64_t D2dLink::requestBytes(const tlm::tlm_generic_payload& t) const {
  return m_spec.headerBytes + (t.is_write() ? t.get_data_length() : 0);
}

std::uint64_t D2dLink::responseBytes(const tlm::tlm_generic_payload& t) const {
  const bool data = t.is_read() && t.is_response_ok();
  return m_spec.headerBytes + (data ? t.get_data_length() : 0);
}

std::uint64_t D2dLink::creditNeed(int dir, std::uint64_t bytes) const {
  return std::min(m_dir[dir].credits.need(bytes), m_creditLoopBytes);
}

D2dLink::Sent D2dLink::transmit(int dir, Tick offered, std::uint64_t bytes, std::uint64_t data) {
  Direction& d = m_dir[dir];
  // A message streams through the receive buffer: at line rate it needs the credits of one
  // credit loop (bandwidth x round trip) at a time, or the whole message if that is less.
  // A buffer smaller than the loop holds the stream to buffer / round trip.
  const std::uint64_t need = creditNeed(dir, bytes);
  Duration minWire(0.0);
  if (bytes > need && need < m_creditLoopBytes)
    minWire = Duration(static_cast<double>(bytes) / need * fromTicks(m_creditLoopTicks).si());
  std::optional<Tick> at = d.credits.earliest(offered, need);
  while (!at) {
    ++d.creditWaiters;
    sc_core::wait(d.creditReturned);
    --d.creditWaiters;
    at = d.credits.earliest(offered, need);
  }
  d.credits.take(offered, *at, need);
  const FlitSerializer::Result r = d.ser.send(*at, bytes, minWire);
  Sent s{*at, r.start, r.done + m_oneWay, need};
  d.latencyNs.add(static_cast<double>(s.arrive - offered) / kTicksPerNs);
  d.dataBytes += data;
  d.headerBytes += bytes - data;
  return s;
}

Tick D2dLink::responseOffer(int end, const tlm::tlm_generic_payload& trans, Tick drained,
                            Tick accepted) const {
  // Virtual cut-through: the far target's data streams onto the wire as it is produced, so
  // the response may occupy the wire for its serialisation time ending one flit after the
  // target has it all (`accepted`), but it cannot start before the request was taken.
  const Tick flit = toTicks(m_dir[1 - end].ser.flitTime());
  const Tick wire = wireTicks(1 - end, responseBytes(trans));
  return std::max(drained, accepted + flit > wire ? accepted + flit - wire : 0);
}

Tick D2dLink::wireTicks(int dir, std::uint64_t bytes) const {
  const FlitSerializer& ser = m_dir[dir].ser;
  const auto payload = static_cast<std::uint64_t>(ser.layout().payloadBytes);
  return toTicks(ser.flitTime()) * ((bytes + payload - 1) / payload);
}

void D2dLink::drain(int end, std::uint64_t requestCredits, Tick drained) {
  // Credits ride back on the reverse flits: one one-way latency after the buffer drained.
  m_dir[end].credits.release(drained + m_oneWay, requestCredits);
  if (m_dir[end].creditWaiters > 0) m_dir[end].creditReturned.notify(sc_core::SC_ZERO_TIME);
}

Tick D2dLink::respond(int end, tlm::tlm_generic_payload& trans, Tick accepted, Tick offered) {
  const std::uint64_t bytes = responseBytes(trans);
  const std::uint64_t data = bytes - m_spec.headerBytes;
  const int back = 1 - end;
  const Sent r = transmit(back, offered, bytes, data);
  m_dir[back].credits.release(r.arrive + m_oneWay, r.credits);
  if (m_dir[back].creditWaiters > 0) m_dir[back].creditReturned.notify(sc_core::SC_ZERO_TIME);
  // Its last byte cannot arrive before the target produced it.
  const Tick flit = toTicks(m_dir[back].ser.flitTime());
  return std::max(r.arrive, accepted + flit + m_oneWay);
}

void D2dLink::bTransport(int end, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  // The wires, and the far target, serve messages in time order, so this LT path books
  // them in time order: it synchronises to the time each message is offered or delivered
  // (a temporally decoupled booking far ahead would otherwise hold the wire, in call
  // order, against messages offered before it).
  const Tick entered = now() + ticksOf(delay);
  waitUntil(entered);
  const std::uint64_t bytes = requestBytes(trans);
  const Sent s = transmit(end, entered, bytes, bytes - m_spec.headerBytes);
  waitUntil(s.arrive);
  Tick t = now();
  sc_core::sc_time d = toTime(s.arrive > t ? s.arrive - t : 0);
  outOf(end)->b_transport(trans, d);
  t = now();
  // The far target took the request off the receive buffer when its b_transport returned
  // (time it blocked is back-pressure); its annotated delay is the time to its response.
  const Tick drained = std::max(s.arrive, t);
  const Tick accepted = t + ticksOf(d);
  drain(end, s.credits, drained);
  const Tick offered = responseOffer(end, trans, drained, accepted);
  waitUntil(offered);
  const Tick back = respond(end, trans, accepted, offered);
  t = now();
  delay = toTime(back > t ? back - t : 0);
  if (auto* ext = trans.get_extension<TrafficExtension>())
    ext->d2dTicks += (s.arrive - entered) + (back - accepted);
  End& e = m_end[end];
  e.transactionLatencyNs.add(static_cast<double>(back - entered) / kTicksPerNs);
  ++e.transactions;
}

void D2dLink::waitUntil(Tick t) {
  const Tick n = now();
  if (t <= n) return;
  // Only a thread can wait. A caller outside one (sc_main driving b_transport directly)
  // gets its messages booked when they are offered, in call order.
  const sc_core::sc_curr_proc_kind kind = sc_core::sc_get_current_process_handle().proc_kind();
  if (kind == sc_core::SC_THREAD_PROC_ || kind == sc_core::SC_CTHREAD_PROC_)
    sc_core::wait(toTime(t - n));
}

tlm::tlm_sync_enum D2dLink::nbTransportFw(int end, tlm::tlm_generic_payload& trans,
                                          tlm::tlm_phase& phase, sc_core::sc_time& delay) {
  End& e = m_end[end];
  if (phase == tlm::BEGIN_REQ) {
    // Fast path: offered now, nothing queued ahead and credits free now, so the transmit
    // queue takes the request at once (END_REQ on the return path, no process switch). A
    // request annotated into the future waits in the queue until it is offered, so the wire
    // is booked in time order as on the LT path.
    const Tick entered = now() + ticksOf(delay);
    const std::uint64_t bytes = requestBytes(trans);
    if (e.queuedRequests == 0 && entered == now()) {
      const std::optional<Tick> at = m_dir[end].credits.earliest(entered, creditNeed(end, bytes));
      if (at && *at == entered) {
        const Sent s = transmit(end, entered, bytes, bytes - m_spec.headerBytes);
        e.inFlight[&trans] = InFlight{entered, s.arrive, 0};
        e.deliveries.notify(trans, toTime(s.arrive - now()));
        phase = tlm::END_REQ;
        return tlm::TLM_UPDATED;
      }
    }
    ++e.queuedRequests;
    e.requests.notify(trans, delay);
    return tlm::TLM_ACCEPTED;
  }
  if (phase == tlm::END_RESP) {
    e.responseInProgress = false;
    e.endResponse.notify(delay);
    return tlm::TLM_COMPLETED;
  }
  SC_REPORT_ERROR(name(), "nb_transport_fw: unexpected phase");
  return tlm::TLM_COMPLETED;
}

void D2dLink::requestThread(int end) {
  End& e = m_end[end];
  while (true) {
    sc_core::wait(e.requests.get_event());
    while (tlm::tlm_generic_payload* t = e.requests.get_next_transaction()) {
      const Tick entered = now();
      const std::uint64_t bytes = requestBytes(*t);
      const Sent s = transmit(end, entered, bytes, bytes - m_spec.headerBytes);
      e.inFlight[t] = InFlight{entered, s.arrive, 0};
      --e.queuedRequests;
      // The transmit queue takes the request once its credits are granted.
      if (s.granted > now()) sc_core::wait(toTime(s.granted - now()));
      tlm::tlm_phase phase = tlm::END_REQ;
      sc_core::sc_time zero = sc_core::SC_ZERO_TIME;
      inOf(end)->nb_transport_bw(*t, phase, zero);
      e.deliveries.notify(*t, toTime(s.arrive > now() ? s.arrive - now() : 0));
    }
  }
}

void D2dLink::deliverThread(int end) {
  End& e = m_end[end];
  while (true) {
    sc_core::wait(e.deliveries.get_event());
    while (tlm::tlm_generic_payload* t = e.deliveries.get_next_transaction()) {
      const std::uint64_t credits = creditNeed(end, requestBytes(*t));
      const Tick arrived = now();
      sc_core::sc_time d = sc_core::SC_ZERO_TIME;
      outOf(end)->b_transport(*t, d);
      const Tick drained = std::max(arrived, now());
      const Tick accepted = now() + ticksOf(d);
      drain(end, credits, drained);
      // The response is booked on the wire when it is offered (time order, as on the LT
      // path); the offer thread does it so that this one can serve the next delivery.
      inFlightOf(end, *t).accepted = accepted;
      const Tick offered = responseOffer(end, *t, drained, accepted);
      e.offers.notify(*t, toTime(offered > now() ? offered - now() : 0));
    }
  }
}

void D2dLink::offerThread(int end) {
  End& e = m_end[end];
  while (true) {
    sc_core::wait(e.offers.get_event());
    while (tlm::tlm_generic_payload* t = e.offers.get_next_transaction()) {
      const InFlight& f = inFlightOf(end, *t);
      const Tick back = respond(end, *t, f.accepted, now());
      if (auto* ext = t->get_extension<TrafficExtension>())
        ext->d2dTicks += (f.arrive - f.entered) + (back - f.accepted);
      e.responses.notify(*t, toTime(back > now() ? back - now() : 0));
    }
  }
}

D2dLink::InFlight& D2dLink::inFlightOf(int end, const tlm::tlm_generic_payload& t) {
  auto it = m_end[end].inFlight.find(&t);
  require(it != m_end[end].inFlight.end(), "D2dLink: response without a request");
  return it->second;
}

void D2dLink::responseThread(int end) {
  End& e = m_end[end];
  while (true) {
    sc_core::wait(e.responses.get_event());
    while (tlm::tlm_generic_payload* t = e.responses.get_next_transaction()) {
      while (e.responseInProgress) sc_core::wait(e.endResponse);
      const InFlight& f = inFlightOf(end, *t);
      e.transactionLatencyNs.add(static_cast<double>(now() - f.entered) / kTicksPerNs);
      e.inFlight.erase(t);
      ++e.transactions;
      tlm::tlm_phase phase = tlm::BEGIN_RESP;
      sc_core::sc_time zero = sc_core::SC_ZERO_TIME;
      const tlm::tlm_sync_enum s = inOf(end)->nb_transport_bw(*t, phase, zero);
      if (s == tlm::TLM_ACCEPTED || (s == tlm::TLM_UPDATED && phase != tlm::END_RESP))
        e.responseInProgress = true;
    }
  }
}

Bandwidth D2dLink::achievedBandwidth(int dir) const {
  const FlitSerializer& s = m_dir.at(dir).ser;
  if (s.lastDone() <= s.firstStart()) return Bandwidth(0.0);
  return Bandwidth(static_cast<double>(m_dir.at(dir).dataBytes) /
                   fromTicks(s.lastDone() - s.firstStart()).si());
}

Energy D2dLink::energy() const {
  double bits = 0.0;
  for (const Direction& d : m_dir) bits += 8.0 * static_cast<double>(d.ser.wireBytes());
  return Energy(bits * m_spec.energyPerBit.si());
}

void D2dLink::reportStats(StatGroup& group) const {
  group.add("raw_bandwidth", m_spec.rawBandwidth().si(), "B/s", "wire bytes, per direction");
  group.add("effective_bandwidth", m_spec.effectiveBandwidth().si(), "B/s",
            "after flit framing, per direction");
  group.add("active_lanes_per_module", m_spec.activeLanesPerModule(), "count");
  group.add("unloaded_latency", toNs(m_spec.oneWayLatency()), "ns",
            "adapter+PHY both ends + flight, one way, without serialisation");
  group.add("energy", energy().si(), "J", "wire energy, both directions");
  const char* names[2] = {"a_to_b", "b_to_a"};
  for (int dir = 0; dir < 2; ++dir) {
    const Direction& d = m_dir[dir];
    StatGroup& g = group.child(names[dir]);
    g.add("messages", static_cast<double>(d.ser.messages()), "count");
    g.add("data_bytes", static_cast<double>(d.dataBytes), "B");
    g.add("header_bytes", static_cast<double>(d.headerBytes), "B");
    g.add("flits", static_cast<double>(d.ser.flits()), "count", "distinct flits");
    g.add("wire_bytes", static_cast<double>(d.ser.wireBytes()), "B", "replays included");
    const Bandwidth achieved = achievedBandwidth(dir);
    g.add("achieved_bandwidth", achieved.si(), "B/s", "data bytes over the busy span");
    g.add("efficiency", achieved / m_spec.rawBandwidth(), "1", "achieved over raw");
    g.add("retries", static_cast<double>(d.ser.retries()), "count");
    g.add("replayed_bytes",
          static_cast<double>(d.ser.replayedFlits()) * flitLayout(m_spec.flitFormat).flitBytes,
          "B");
    g.add("undetected_errors", static_cast<double>(d.ser.undetectedErrors()), "count",
          "raw format: flit errors left to the protocol");
    g.add("credit_stalls", static_cast<double>(d.credits.stalls()), "count");
    g.add("credit_stall_time", static_cast<double>(d.credits.stallTicks()) / kTicksPerNs, "ns",
          "messages waiting to start for credits");
    g.add("credit_throttle_time", static_cast<double>(d.ser.throttledTicks()) / kTicksPerNs, "ns",
          "streams held below line rate by a buffer smaller than the credit loop");
    g.add("energy", 8.0 * static_cast<double>(d.ser.wireBytes()) * m_spec.energyPerBit.si(), "J");
    g.addDistribution("latency", d.latencyNs, "ns", "message offered to arrived");
  }
  const char* ends[2] = {"a_in", "b_in"};
  for (int end = 0; end < 2; ++end) {
    StatGroup& g = group.child(ends[end]);
    g.add("transactions", static_cast<double>(m_end[end].transactions), "count");
    g.addDistribution("latency", m_end[end].transactionLatencyNs, "ns", "entered to response back");
  }
}

}  // namespace chipletsim::d2d
