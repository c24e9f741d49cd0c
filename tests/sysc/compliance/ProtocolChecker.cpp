#include "ProtocolChecker.h"

#include <sstream>

namespace chipletsim::test {

using sc_core::sc_time;
using sc_core::sc_time_stamp;

const char* ruleName(Rule r) {
  switch (r) {
    case Rule::kPhaseSequence:
      return "PhaseSequence";
    case Rule::kRequestExclusion:
      return "RequestExclusion";
    case Rule::kResponseExclusion:
      return "ResponseExclusion";
    case Rule::kResponseStatus:
      return "ResponseStatus";
    case Rule::kTimingAnnotation:
      return "TimingAnnotation";
    case Rule::kByteEnables:
      return "ByteEnables";
    case Rule::kStreamingWidth:
      return "StreamingWidth";
    case Rule::kPayloadFields:
      return "PayloadFields";
    case Rule::kTransportDbg:
      return "TransportDbg";
    case Rule::kDmi:
      return "Dmi";
    case Rule::kTransactionsComplete:
      return "TransactionsComplete";
  }
  return "?";
}

namespace {
std::string describe(const tlm::tlm_generic_payload& gp) {
  std::ostringstream s;
  s << (gp.is_read()    ? "read"
        : gp.is_write() ? "write"
                        : "ignore")
    << " @0x" << std::hex << gp.get_address() << std::dec << " len " << gp.get_data_length()
    << " at " << sc_time_stamp();
  return s.str();
}
}  // namespace

ProtocolChecker::ProtocolChecker(sc_core::sc_module_name name)
    : sc_core::sc_module(name), in("in"), out("out") {
  in.register_b_transport(this, &ProtocolChecker::b_transport);
  in.register_nb_transport_fw(this, &ProtocolChecker::nbFw);
  in.register_transport_dbg(this, &ProtocolChecker::transportDbg);
  in.register_get_direct_mem_ptr(this, &ProtocolChecker::getDmi);
  out.register_nb_transport_bw(this, &ProtocolChecker::nbBw);
  out.register_invalidate_direct_mem_ptr(this, &ProtocolChecker::invalidateDmi);
}

void ProtocolChecker::check(Rule r, bool ok, const std::string& what) {
  ++m_checks[static_cast<int>(r)];
  if (!ok) m_violations[static_cast<int>(r)].push_back(what);
}

ProtocolChecker::Fields ProtocolChecker::fieldsOf(const tlm::tlm_generic_payload& gp) {
  return {gp.get_command(),        gp.get_address(),         gp.get_data_ptr(),
          gp.get_data_length(),    gp.get_byte_enable_ptr(), gp.get_byte_enable_length(),
          gp.get_streaming_width()};
}

void ProtocolChecker::checkFields(const Fields& f, const tlm::tlm_generic_payload& gp,
                                  const char* where) {
  const std::string ctx = std::string(" (") + where + ", " + describe(gp) + ")";
  check(Rule::kPayloadFields, gp.get_command() == f.command, "command changed" + ctx);
  check(Rule::kPayloadFields, gp.get_address() == f.address, "address not restored" + ctx);
  check(Rule::kPayloadFields, gp.get_data_ptr() == f.data, "data pointer changed" + ctx);
  check(Rule::kPayloadFields, gp.get_data_length() == f.length, "data length changed" + ctx);
  check(Rule::kPayloadFields, gp.get_byte_enable_ptr() == f.byteEnables,
        "byte enable pointer changed" + ctx);
  check(Rule::kPayloadFields, gp.get_byte_enable_length() == f.byteEnableLength,
        "byte enable length changed" + ctx);
  check(Rule::kPayloadFields, gp.get_streaming_width() == f.streamingWidth,
        "streaming width changed" + ctx);
}

void ProtocolChecker::checkResponse(const tlm::tlm_generic_payload& gp, const Fields& f,
                                    const char* where) {
  const std::string ctx = std::string(" (") + where + ", " + describe(gp) + ")";
  const auto st = gp.get_response_status();
  check(Rule::kResponseStatus, st != tlm::TLM_INCOMPLETE_RESPONSE,
        "response status left INCOMPLETE" + ctx);
  checkFields(f, gp, where);
  if (f.byteEnables) {
    check(Rule::kByteEnables,
          st == tlm::TLM_OK_RESPONSE || st == tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE ||
              st == tlm::TLM_ADDRESS_ERROR_RESPONSE,
          std::string("byte enables answered with ") + gp.get_response_string() + ctx);
  }
  if (f.streamingWidth < f.length) {
    check(Rule::kStreamingWidth,
          st == tlm::TLM_OK_RESPONSE || st == tlm::TLM_BURST_ERROR_RESPONSE ||
              st == tlm::TLM_ADDRESS_ERROR_RESPONSE,
          std::string("streaming width answered with ") + gp.get_response_string() + ctx);
  }
  if (gp.is_dmi_allowed()) {
    // The DMI hint promises that a DMI request for this address would be granted.
    tlm::tlm_generic_payload probe;
    probe.set_command(f.command);
    probe.set_address(f.address);
    tlm::tlm_dmi dmi;
    check(Rule::kDmi, out->get_direct_mem_ptr(probe, dmi),
          "DMI hint set but get_direct_mem_ptr refuses" + ctx);
  }
}

// --- loosely timed ---------------------------------------------------------------------------

void ProtocolChecker::b_transport(tlm::tlm_generic_payload& gp, sc_time& delay) {
  check(Rule::kResponseStatus, gp.get_response_status() == tlm::TLM_INCOMPLETE_RESPONSE,
        "initiator did not set INCOMPLETE before b_transport (" + describe(gp) + ")");
  const Fields f = fieldsOf(gp);
  const sc_time issued = sc_time_stamp() + delay;
  out->b_transport(gp, delay);
  check(Rule::kTimingAnnotation, sc_time_stamp() + delay >= issued,
        "b_transport returned a completion time before its call (" + describe(gp) + ")");
  checkResponse(gp, f, "b_transport return");
}

// --- approximately timed ---------------------------------------------------------------------

void ProtocolChecker::onResponse(tlm::tlm_generic_payload& gp, Open& o, const char* where) {
  // BEGIN_RESP; an END_REQ not yet seen is implied.
  if (m_requestInProgress == &gp) m_requestInProgress = nullptr;
  check(Rule::kResponseExclusion, m_responseInProgress == nullptr,
        std::string("BEGIN_RESP while an earlier response awaits END_RESP (") + where + ", " +
            describe(gp) + ")");
  m_responseInProgress = &gp;
  o.state = State::kResponse;
  checkResponse(gp, o.fields, where);
}

void ProtocolChecker::advance(Open& o, const sc_time& delay, const tlm::tlm_generic_payload& gp,
                              const char* where) {
  const sc_time at = sc_time_stamp() + delay;
  check(
      Rule::kTimingAnnotation, at >= o.last,
      std::string(where) + " timed before the transaction's previous phase (" + describe(gp) + ")");
  if (at > o.last) o.last = at;
}

void ProtocolChecker::close(tlm::tlm_generic_payload& gp) {
  if (m_requestInProgress == &gp) m_requestInProgress = nullptr;
  if (m_responseInProgress == &gp) m_responseInProgress = nullptr;
  m_open.erase(&gp);
}

tlm::tlm_sync_enum ProtocolChecker::nbFw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& phase,
                                         sc_time& delay) {
  const sc_time at = sc_time_stamp() + delay;
  if (phase == tlm::BEGIN_REQ) {
    check(Rule::kPhaseSequence, m_open.count(&gp) == 0,
          "BEGIN_REQ of a transaction already in flight (" + describe(gp) + ")");
    check(Rule::kRequestExclusion, m_requestInProgress == nullptr,
          "BEGIN_REQ while an earlier request awaits END_REQ (" + describe(gp) + ")");
    check(Rule::kResponseStatus, gp.get_response_status() == tlm::TLM_INCOMPLETE_RESPONSE,
          "initiator did not set INCOMPLETE before BEGIN_REQ (" + describe(gp) + ")");
    m_open[&gp] = Open{State::kRequest, fieldsOf(gp), at};
    m_requestInProgress = &gp;
    const tlm::tlm_sync_enum ret = out->nb_transport_fw(gp, phase, delay);
    auto it = m_open.find(&gp);
    if (ret == tlm::TLM_ACCEPTED) {
      check(Rule::kPhaseSequence, phase == tlm::BEGIN_REQ,
            "TLM_ACCEPTED with the phase changed (" + describe(gp) + ")");
      return ret;
    }
    check(Rule::kTimingAnnotation, sc_time_stamp() + delay >= at,
          "nb_transport_fw returned a phase timed before its call (" + describe(gp) + ")");
    if (it == m_open.end()) {
      check(Rule::kPhaseSequence, false,
            "nb_transport_fw returned " + std::to_string(ret) +
                " for a transaction already completed on the backward path (" + describe(gp) + ")");
      return ret;
    }
    advance(it->second, delay, gp, "phase returned from BEGIN_REQ");
    if (ret == tlm::TLM_COMPLETED) {
      checkResponse(gp, it->second.fields, "BEGIN_REQ returned TLM_COMPLETED");
      close(gp);
    } else if (phase == tlm::END_REQ && it->second.state == State::kRequest) {
      check(Rule::kPhaseSequence, true, "");
      it->second.state = State::kEndRequest;
      if (m_requestInProgress == &gp) m_requestInProgress = nullptr;
    } else if (phase == tlm::BEGIN_RESP && it->second.state != State::kResponse) {
      check(Rule::kPhaseSequence, true, "");
      onResponse(gp, it->second, "BEGIN_REQ returned TLM_UPDATED BEGIN_RESP");
    } else {
      check(Rule::kPhaseSequence, false,
            "BEGIN_REQ returned TLM_UPDATED with an illegal phase (" + describe(gp) + ")");
    }
    return ret;
  }
  if (phase == tlm::END_RESP) {
    auto it = m_open.find(&gp);
    check(Rule::kPhaseSequence, it != m_open.end() && it->second.state == State::kResponse,
          "END_RESP without a BEGIN_RESP (" + describe(gp) + ")");
    if (it != m_open.end()) advance(it->second, delay, gp, "END_RESP");
    const tlm::tlm_sync_enum ret = out->nb_transport_fw(gp, phase, delay);
    check(Rule::kPhaseSequence, ret != tlm::TLM_UPDATED,
          "END_RESP answered TLM_UPDATED (" + describe(gp) + ")");
    close(gp);
    return ret;
  }
  check(Rule::kPhaseSequence, false,
        "illegal phase on the forward path (" + describe(gp) +
            "): " + std::string(phase == tlm::END_REQ ? "END_REQ" : "BEGIN_RESP or unknown"));
  return out->nb_transport_fw(gp, phase, delay);
}

tlm::tlm_sync_enum ProtocolChecker::nbBw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& phase,
                                         sc_time& delay) {
  auto it = m_open.find(&gp);
  if (it == m_open.end()) {
    check(Rule::kPhaseSequence, false,
          "backward call for a transaction not in flight (" + describe(gp) + ")");
    return in->nb_transport_bw(gp, phase, delay);
  }
  const bool wasBeginResp = phase == tlm::BEGIN_RESP;
  advance(it->second, delay, gp, "backward phase");
  if (phase == tlm::END_REQ) {
    check(Rule::kPhaseSequence, it->second.state == State::kRequest,
          "END_REQ twice or after BEGIN_RESP (" + describe(gp) + ")");
    it->second.state = State::kEndRequest;
    if (m_requestInProgress == &gp) m_requestInProgress = nullptr;
  } else if (phase == tlm::BEGIN_RESP) {
    check(Rule::kPhaseSequence, it->second.state != State::kResponse,
          "BEGIN_RESP twice (" + describe(gp) + ")");
    onResponse(gp, it->second, "BEGIN_RESP on the backward path");
  } else {
    check(Rule::kPhaseSequence, false, "illegal phase on the backward path (" + describe(gp) + ")");
  }
  const tlm::tlm_sync_enum ret = in->nb_transport_bw(gp, phase, delay);
  if (wasBeginResp &&
      (ret == tlm::TLM_COMPLETED || (ret == tlm::TLM_UPDATED && phase == tlm::END_RESP)))
    close(gp);
  return ret;
}

// --- debug and DMI ---------------------------------------------------------------------------

unsigned ProtocolChecker::transportDbg(tlm::tlm_generic_payload& gp) {
  const Fields f = fieldsOf(gp);
  const unsigned n = out->transport_dbg(gp);
  const std::string ctx = " (transport_dbg, " + describe(gp) + ")";
  check(Rule::kTransportDbg, n <= f.length,
        "moved " + std::to_string(n) + " bytes, more than the data length" + ctx);
  check(Rule::kTransportDbg,
        gp.get_command() == f.command && gp.get_address() == f.address &&
            gp.get_data_ptr() == f.data && gp.get_data_length() == f.length,
        "command, address, data pointer or length changed" + ctx);
  return n;
}

bool ProtocolChecker::getDmi(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi) {
  const Fields f = fieldsOf(gp);
  const bool granted = out->get_direct_mem_ptr(gp, dmi);
  const std::string ctx = " (get_direct_mem_ptr, " + describe(gp) + ")";
  check(Rule::kDmi, gp.get_address() == f.address, "address not restored" + ctx);
  if (granted) {
    check(Rule::kDmi, dmi.get_dmi_ptr() != nullptr, "granted without a pointer" + ctx);
    check(Rule::kDmi, dmi.get_start_address() <= f.address && f.address <= dmi.get_end_address(),
          "granted region does not hold the address" + ctx);
    check(Rule::kDmi,
          f.command == tlm::TLM_WRITE_COMMAND ? dmi.is_write_allowed() : dmi.is_read_allowed(),
          "granted without the access asked for" + ctx);
  } else {
    check(Rule::kDmi, true, "");
  }
  return granted;
}

void ProtocolChecker::invalidateDmi(sc_dt::uint64 start, sc_dt::uint64 end) {
  check(Rule::kDmi, start <= end, "invalidate_direct_mem_ptr with start > end");
  in->invalidate_direct_mem_ptr(start, end);
}

void ProtocolChecker::finish() {
  check(Rule::kTransactionsComplete, m_open.empty(),
        std::to_string(m_open.size()) + " transaction(s) begun and never ended");
}

}  // namespace chipletsim::test
