#pragma once
// A full-duplex die-to-die link (UCIe-class) as a thin SystemC shell around the plain-C++
// FlitSerializer and CreditPool of each direction.
//
//   traffic entering at A ──► a_in ══ A→B flits ══► b_out ──► target beyond B
//   target beyond A ◄── a_out ◄══ B→A flits ══ b_in ◄── traffic entering at B
//
// Each transaction is memory-semantic: a request message (protocol header, plus the data
// of a write) crosses one way, the response (header, plus the data of a read) crosses back.
// A message is offered when it enters, waits for credits of the far receive buffer, is
// packed into flits, and arrives adapter+PHY (both ends) + flight after the CRC unit with
// its last byte left the wire. Request credits return when the far target has taken the
// request (its b_transport returned: time it blocks is back-pressure, its annotated delay is
// pipelined latency to the response); response credits when the response reached the
// initiator; both one one-way latency later. Responses cut through (virtual cut-through):
// the far target's data streams onto the wire as it is produced, so a response is offered
// its serialisation time before the target has it all (never before the request was taken)
// and its last byte arrives no sooner than one flit after that. Writes are stored and
// forwarded: the far target gets a write when its last byte arrived. Cutting writes through
// (handing the far target the request when its head arrives) needs a rule for when the far
// target is done with data that is still arriving, and an LT target's one annotated delay
// cannot give it: it does not say how much of the target's time is fixed latency, which
// every byte still pays after it arrives, and how much is per-byte time, which overlaps the
// wire. A latency-bound target (L after its last byte) is done at last byte + L, exactly
// what store-and-forward gives; a bandwidth-bound one at about max(head + its time, last
// byte); the two differ by up to the write's serialisation time, so any rule built on the
// delay alone is wrong by that much for one kind of target. Store-and-forward is exact for
// the first and an upper bound for the second. Both paths book both wires in time order:
// LT synchronises to each offer, AT queues a request annotated into the future until it is
// offered and books each response when it is offered (an offer thread), so a booking far
// ahead never holds the wire against messages offered before it. LT and AT transactions
// carrying a TrafficExtension get their time on the link (request offered to arrived,
// response ready to back) added to the extension's d2dTicks. A message streams through the
// buffer: it needs the credits of one credit loop (line rate x round trip) or itself if smaller; a
// buffer smaller than that loop throttles the stream to buffer / round trip. LT (b_transport,
// temporally decoupled) and AT (nb_transport, base protocol) initiators are both served: AT
// requests end (END_REQ) when their credits are granted and the transmit queue takes them,
// responses begin (BEGIN_RESP) when they arrive back. The far targets must support
// b_transport. transport_dbg goes straight to the far target; byte enables and streaming
// width travel with the payload and the far target answers them; DMI is refused
// (get_direct_mem_ptr returns false: time spent on the link cannot be bypassed).

#include <cstdint>
#include <deque>
#include <unordered_map>

#include <tlm_utils/peq_with_get.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include "common/Distribution.h"
#include "common/StatGroup.h"
#include "d2d/CreditPool.h"
#include "d2d/D2dLinkSpec.h"
#include "d2d/FlitSerializer.h"

namespace chipletsim::d2d {

class D2dLink : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<D2dLink> a_in;
  tlm_utils::simple_target_socket<D2dLink> b_in;
  tlm_utils::simple_initiator_socket<D2dLink> a_out;
  tlm_utils::simple_initiator_socket<D2dLink> b_out;

  SC_HAS_PROCESS(D2dLink);
  /// `spec` must validate (SpecError otherwise).
  D2dLink(sc_core::sc_module_name name, const D2dLinkSpec& spec);

  const D2dLinkSpec& spec() const { return m_spec; }
  /// Direction 0 is A→B, 1 is B→A.
  const FlitSerializer& serializer(int dir) const { return m_dir.at(dir).ser; }
  const CreditPool& credits(int dir) const { return m_dir.at(dir).credits; }
  /// Protocol data bytes (not headers) carried in direction `dir`.
  std::uint64_t dataBytes(int dir) const { return m_dir.at(dir).dataBytes; }
  /// Data bytes per second of direction `dir` over its busy span (first start, last done).
  Bandwidth achievedBandwidth(int dir) const;
  /// Wire energy of both directions, replays and framing included.
  Energy energy() const;

  /// Stats: raw/effective bandwidth, per-direction traffic, retries, credits, latency,
  /// energy; per-ingress transaction latency.
  void reportStats(StatGroup& group) const;

 private:
  /// Ties off ends a platform left unconnected (a link used in one direction only).
  void before_end_of_elaboration() override;
  void tieOffTransport(tlm::tlm_generic_payload& t, sc_core::sc_time& d);

  struct Direction {
    Direction(const FlitSerializer::Config& c, std::uint64_t buffer) : ser(c), credits(buffer) {}
    FlitSerializer ser;
    CreditPool credits;
    sc_core::sc_event creditReturned;  // notified on a release while senders wait
    int creditWaiters = 0;
    std::uint64_t dataBytes = 0;
    std::uint64_t headerBytes = 0;
    Distribution latencyNs;  // one-way message latency, offered to arrived
  };
  struct InFlight {     // AT: one transaction's times, in ticks
    Tick entered = 0;   // request offered to the link
    Tick arrive = 0;    // request's last byte at the far end
    Tick accepted = 0;  // far target's response ready
  };
  struct End {
    End(const char* requestName, const char* deliveryName, const char* offerName,
        const char* responseName)
        : requests(requestName),
          deliveries(deliveryName),
          offers(offerName),
          responses(responseName) {}
    tlm_utils::peq_with_get<tlm::tlm_generic_payload> requests;    // AT BEGIN_REQs
    tlm_utils::peq_with_get<tlm::tlm_generic_payload> deliveries;  // arriving at the far end
    tlm_utils::peq_with_get<tlm::tlm_generic_payload> offers;      // responses offered
    tlm_utils::peq_with_get<tlm::tlm_generic_payload> responses;   // arriving back here
    sc_core::sc_event endResponse;
    bool responseInProgress = false;
    Distribution transactionLatencyNs;  // entered to response back, this ingress
    std::uint64_t transactions = 0;
    // AT: the times of each transaction in flight (responses may pass one another).
    std::unordered_map<const tlm::tlm_generic_payload*, InFlight> inFlight;
    int queuedRequests = 0;  // AT: BEGIN_REQs waiting in `requests` for credits
  };
  struct Sent {
    Tick granted = 0;  // credits granted: the transmit queue has taken the message
    Tick start = 0;
    Tick arrive = 0;
    std::uint64_t credits = 0;
  };

  void bTransportA(tlm::tlm_generic_payload& t, sc_core::sc_time& d) { bTransport(0, t, d); }
  void bTransportB(tlm::tlm_generic_payload& t, sc_core::sc_time& d) { bTransport(1, t, d); }
  tlm::tlm_sync_enum nbFwA(tlm::tlm_generic_payload& t, tlm::tlm_phase& p, sc_core::sc_time& d) {
    return nbTransportFw(0, t, p, d);
  }
  tlm::tlm_sync_enum nbFwB(tlm::tlm_generic_payload& t, tlm::tlm_phase& p, sc_core::sc_time& d) {
    return nbTransportFw(1, t, p, d);
  }
  unsigned dbgA(tlm::tlm_generic_payload& t) { return b_out->transport_dbg(t); }
  unsigned dbgB(tlm::tlm_generic_payload& t) { return a_out->transport_dbg(t); }

  void bTransport(int end, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  tlm::tlm_sync_enum nbTransportFw(int end, tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                   sc_core::sc_time& delay);
  void requestThreadA() { requestThread(0); }
  void requestThreadB() { requestThread(1); }
  void deliverThreadA() { deliverThread(0); }
  void deliverThreadB() { deliverThread(1); }
  void responseThreadA() { responseThread(0); }
  void responseThreadB() { responseThread(1); }
  void offerThreadA() { offerThread(0); }
  void offerThreadB() { offerThread(1); }
  void requestThread(int end);
  void deliverThread(int end);
  void responseThread(int end);
  /// AT: books each response on the wire at the time it is offered.
  void offerThread(int end);
  InFlight& inFlightOf(int end, const tlm::tlm_generic_payload& t);

  /// Credits a message of `bytes` takes in direction `dir` (see the header comment).
  std::uint64_t creditNeed(int dir, std::uint64_t bytes) const;
  /// Waits (in the calling thread) for credits, then sends a message; times in ticks.
  Sent transmit(int dir, Tick now, std::uint64_t bytes, std::uint64_t data);
  /// When the response to a request that entered at `end` is offered to the wire, the far
  /// target having taken the request at `drained` and produced its response by `accepted`
  /// (virtual cut-through, see responseOffer's body).
  Tick responseOffer(int end, const tlm::tlm_generic_payload& trans, Tick drained,
                     Tick accepted) const;
  /// Wire ticks of a message of `bytes` in direction `dir` at line rate (whole flits).
  Tick wireTicks(int dir, std::uint64_t bytes) const;
  /// The far target took a request that entered at `end` off the receive buffer at
  /// `drained`: returns its credits.
  void drain(int end, std::uint64_t requestCredits, Tick drained);
  /// Sends the response to a request that entered at `end`, ready at the far target at
  /// `accepted` and offered to the wire at `offered`; returns when it arrives back.
  Tick respond(int end, tlm::tlm_generic_payload& trans, Tick accepted, Tick offered);
  /// Waits until tick `t` if it lies ahead and the caller is a thread (otherwise returns).
  void waitUntil(Tick t);
  std::uint64_t requestBytes(const tlm::tlm_generic_payload& t) const;
  std::uint64_t responseBytes(const tlm::tlm_generic_payload& t) const;
  tlm_utils::simple_initiator_socket<D2dLink>& outOf(int end) { return end == 0 ? b_out : a_out; }
  tlm_utils::simple_target_socket<D2dLink>& inOf(int end) { return end == 0 ? a_in : b_in; }
  Tick now() const;
  Tick ticksOf(const sc_core::sc_time& t) const;
  sc_core::sc_time toTime(Tick t) const;

  tlm_utils::simple_initiator_socket_optional<D2dLink> m_tieOffAIn;
  tlm_utils::simple_initiator_socket_optional<D2dLink> m_tieOffBIn;
  tlm_utils::simple_target_socket_optional<D2dLink> m_tieOffAOut;
  tlm_utils::simple_target_socket_optional<D2dLink> m_tieOffBOut;
  D2dLinkSpec m_spec;
  Tick m_oneWay;                        // adapter+PHY both ends + flight
  Tick m_creditLoopTicks = 0;           // a byte sent to its credit back at the sender
  std::uint64_t m_creditLoopBytes = 0;  // payload bytes sent at line rate in one loop
  double m_psPerTimeUnit;
  bool m_resolutionIsPs;        // the kernel counts picoseconds: Ticks map 1:1
  std::deque<Direction> m_dir;  // deque: Direction holds an sc_event and does not move
  std::deque<End> m_end;
};

}  // namespace chipletsim::d2d
