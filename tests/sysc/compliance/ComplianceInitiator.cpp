#include "ComplianceInitiator.h"

#include <utility>

namespace chipletsim::test {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace {
// Index of the script entry a payload carries.
struct ScriptIndex : tlm::tlm_extension<ScriptIndex> {
  std::size_t index = 0;
  tlm_extension_base* clone() const override { return new ScriptIndex(*this); }
  void copy_from(const tlm_extension_base& e) override {
    index = static_cast<const ScriptIndex&>(e).index;
  }
};
}  // namespace

ComplianceInitiator::ComplianceInitiator(sc_core::sc_module_name name, Mode mode,
                                         std::vector<ScriptedRequest> script, int maxOutstanding,
                                         sc_time clock)
    : sc_core::sc_module(name),
      out("out"),
      m_mode(mode),
      m_script(std::move(script)),
      m_results(m_script.size()),
      m_buffers(m_script.size()),
      m_maxOutstanding(maxOutstanding),
      m_clock(clock) {
  out.register_nb_transport_bw(this, &ComplianceInitiator::bw);
  SC_THREAD(run);
  SC_THREAD(endResponses);
}

tlm::tlm_generic_payload* ComplianceInitiator::allocate() {
  if (m_free.empty()) {
    m_pool.push_back(std::make_unique<tlm::tlm_generic_payload>(this));
    m_free.push_back(m_pool.back().get());
  }
  tlm::tlm_generic_payload* gp = m_free.back();
  m_free.pop_back();
  gp->acquire();
  return gp;
}

void ComplianceInitiator::free(tlm::tlm_generic_payload* gp) {
  gp->reset();  // drops the auto-free extensions
  m_free.push_back(gp);
}

void ComplianceInitiator::prepare(tlm::tlm_generic_payload& gp, std::size_t i) {
  const ScriptedRequest& r = m_script[i];
  auto& buf = m_buffers[i];
  buf.assign(r.length, 0);
  if (r.command == tlm::TLM_WRITE_COMMAND)
    for (unsigned b = 0; b < r.length; ++b) buf[b] = static_cast<unsigned char>(r.fill + b);
  gp.set_command(r.command);
  gp.set_address(r.address);
  gp.set_data_ptr(buf.data());
  gp.set_data_length(r.length);
  gp.set_streaming_width(r.streamingWidth ? r.streamingWidth : r.length);
  gp.set_byte_enable_ptr(r.byteEnables.empty() ? nullptr
                                               : const_cast<unsigned char*>(r.byteEnables.data()));
  gp.set_byte_enable_length(static_cast<unsigned>(r.byteEnables.size()));
  gp.set_dmi_allowed(false);
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  if (gp.has_mm()) {
    auto* ext = new ScriptIndex;
    ext->index = i;
    gp.set_auto_extension(ext);
  }
  m_results[i].issued = sc_core::sc_time_stamp();
}

void ComplianceInitiator::complete(tlm::tlm_generic_payload& gp) {
  auto* ext = gp.get_extension<ScriptIndex>();
  const std::size_t i = ext->index;
  ScriptedResult& res = m_results[i];
  res.status = gp.get_response_status();
  res.data = m_buffers[i];
  res.done = sc_core::sc_time_stamp();
  res.finished = true;
  --m_outstanding;
  m_changed.notify(SC_ZERO_TIME);
  gp.release();
}

void ComplianceInitiator::run() {
  for (std::size_t i = 0; i < m_script.size(); ++i) {
    const ScriptedRequest& r = m_script[i];
    if (r.barrier || r.kind != ScriptedRequest::Kind::kTransport)
      while (m_outstanding > 0) wait(m_changed);
    if (r.kind != ScriptedRequest::Kind::kTransport)
      untimed(i);
    else if (m_mode == Mode::kLt)
      issueLt(i);
    else
      issueAt(i);
  }
  while (m_outstanding > 0) wait(m_changed);
  m_done = true;
}

void ComplianceInitiator::untimed(std::size_t i) {
  tlm::tlm_generic_payload gp;
  prepare(gp, i);
  ScriptedResult& res = m_results[i];
  if (m_script[i].kind == ScriptedRequest::Kind::kDebug) {
    res.debugBytes = out->transport_dbg(gp);
  } else {
    tlm::tlm_dmi dmi;
    res.dmiGranted = out->get_direct_mem_ptr(gp, dmi);
  }
  res.data = m_buffers[i];
  res.done = sc_core::sc_time_stamp();
  res.finished = true;
}

void ComplianceInitiator::issueLt(std::size_t i) {
  tlm::tlm_generic_payload gp;
  prepare(gp, i);
  sc_time delay = SC_ZERO_TIME;
  out->b_transport(gp, delay);
  wait(delay);
  ScriptedResult& res = m_results[i];
  res.status = gp.get_response_status();
  res.data = m_buffers[i];
  res.done = sc_core::sc_time_stamp();
  res.finished = true;
}

void ComplianceInitiator::issueAt(std::size_t i) {
  while (m_outstanding >= m_maxOutstanding || m_request) wait(m_changed);
  tlm::tlm_generic_payload* gp = allocate();
  prepare(*gp, i);
  ++m_outstanding;
  m_request = gp;
  tlm::tlm_phase phase = tlm::BEGIN_REQ;
  sc_time delay = SC_ZERO_TIME;
  const tlm::tlm_sync_enum ret = out->nb_transport_fw(*gp, phase, delay);
  if (ret == tlm::TLM_ACCEPTED) {
    while (m_request == gp) wait(m_changed);
    return;
  }
  wait(delay);
  m_request = nullptr;
  if (ret == tlm::TLM_COMPLETED) {
    complete(*gp);
  } else if (phase == tlm::BEGIN_RESP) {
    // The response came back on the return path: end it on the forward path.
    m_endRespDue.push_back(gp);
    m_endRespEvent.notify(m_clock);
  }
}

tlm::tlm_sync_enum ComplianceInitiator::bw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& phase,
                                           sc_time& delay) {
  if (m_request == &gp) {  // END_REQ, or BEGIN_RESP implying it
    m_request = nullptr;
    m_changed.notify(delay);
  }
  if (phase == tlm::END_REQ) return tlm::TLM_ACCEPTED;
  if (phase != tlm::BEGIN_RESP) return tlm::TLM_ACCEPTED;
  const std::size_t i = gp.get_extension<ScriptIndex>()->index;
  if (i % 2 == 1) {
    m_endRespDue.push_back(&gp);
    m_endRespEvent.notify(delay + m_clock);
    return tlm::TLM_ACCEPTED;
  }
  complete(gp);
  return tlm::TLM_COMPLETED;
}

void ComplianceInitiator::endResponses() {
  for (;;) {
    wait(m_endRespEvent);
    std::vector<tlm::tlm_generic_payload*> due;
    due.swap(m_endRespDue);
    for (tlm::tlm_generic_payload* gp : due) {
      tlm::tlm_phase phase = tlm::END_RESP;
      sc_time delay = SC_ZERO_TIME;
      out->nb_transport_fw(*gp, phase, delay);
      complete(*gp);
    }
  }
}

}  // namespace chipletsim::test
