#include "hbm/HbmStack.h"

#include <algorithm>

#include "common/Errors.h"

namespace chipletsim::hbm {

using sc_core::sc_time;

namespace {
// Ticks are the kernel's time values (1 ps resolution, as now() assumes).
sc_time ticksToTime(Tick t) {
  return sc_time::from_value(t);
}
}  // namespace

HbmStack::HbmStack(sc_core::sc_module_name name, const HbmSpec& spec)
    : sc_core::sc_module(name),
      in("in"),
      m_spec((spec.validate(), spec)),
      m_capacity(static_cast<std::uint64_t>(spec.org.capacity.si())),
      m_mapper(m_spec),
      m_frontend(toTicks(spec.controller.frontendLatency)),
      m_peq(this, &HbmStack::onPeq) {
  in.register_b_transport(this, &HbmStack::b_transport);
  in.register_nb_transport_fw(this, &HbmStack::nb_transport_fw);
  in.register_transport_dbg(this, &HbmStack::transport_dbg);
  in.register_get_direct_mem_ptr(this, &HbmStack::get_direct_mem_ptr);
  if (m_spec.fidelity == Fidelity::kBank) {
    for (int i = 0; i < m_spec.pseudoChannels(); ++i)
      m_ctrls.push_back(std::make_unique<PseudoChannelController>(m_spec, i));
    m_pcNext.assign(m_ctrls.size(), PseudoChannelController::kNever);
    m_wakeLead = m_ctrls.front()->completionLead();
  } else {
    m_fast = std::make_unique<FastMemoryModel>(m_spec);
  }
  if (m_spec.functionalStorage) m_storage = std::make_unique<SparseStorage>();

  SC_METHOD(controllerProcess);
  sensitive << m_ctrlEvent;
  dont_initialize();
  SC_METHOD(responseProcess);
  sensitive << m_respEvent;
  dont_initialize();
  SC_METHOD(sendResponses);
  sensitive << m_sendEvent;
  dont_initialize();
}

HbmStack::~HbmStack() = default;

Tick HbmStack::now() const {
  return sc_core::sc_time_stamp().value();
}

bool HbmStack::check(tlm::tlm_generic_payload& gp) const {
  const std::uint64_t addr = gp.get_address();
  const std::uint64_t len = gp.get_data_length();
  if (len == 0) {
    gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return false;
  }
  if (addr < m_spec.baseAddress || addr - m_spec.baseAddress > m_capacity ||
      len > m_capacity - (addr - m_spec.baseAddress)) {
    gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return false;
  }
  if (gp.get_streaming_width() != 0 && gp.get_streaming_width() < len) {
    gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return false;
  }
  if (gp.get_byte_enable_ptr() && gp.get_byte_enable_length() == 0) {
    gp.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    return false;
  }
  if (gp.get_data_ptr() == nullptr && m_storage) {
    gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return false;
  }
  return true;
}

void HbmStack::moveData(tlm::tlm_generic_payload& gp) {
  if (!m_storage) return;
  const std::uint64_t local = gp.get_address() - m_spec.baseAddress;
  if (gp.is_read())
    m_storage->read(local, gp.get_data_ptr(), gp.get_data_length());
  else if (gp.is_write())
    m_storage->write(local, gp.get_data_ptr(), gp.get_data_length(), gp.get_byte_enable_ptr(),
                     gp.get_byte_enable_length());
}

std::uint32_t HbmStack::submit(tlm::tlm_generic_payload& gp, bool lt) {
  std::uint32_t id;
  if (!m_freeTxns.empty()) {
    id = m_freeTxns.back();
    m_freeTxns.pop_back();
  } else {
    id = static_cast<std::uint32_t>(m_txns.size());
    m_txns.emplace_back();
  }
  Txn& t = m_txns[id];
  const Tick at = now();
  t.gp = &gp;
  t.arrival = at;
  t.done = at;
  t.lt = lt;
  if (lt && !t.ltDone) t.ltDone = std::make_unique<sc_core::sc_event>();
  moveData(gp);
  const std::uint64_t addr = gp.get_address() - m_spec.baseAddress;
  const std::uint64_t len = gp.get_data_length();
  const bool write = gp.is_write();
  if (gp.get_command() == tlm::TLM_IGNORE_COMMAND) {
    t.remaining = 0;
    finishTxn(id);
    return id;
  }
  if (m_fast) {
    m_fast->forgetBefore(at);
    t.done = m_fast->serve(at, addr, len, write);
    t.remaining = 0;
    finishTxn(id);
    return id;
  }
  PseudoChannelController::Request r;
  r.id = id;
  r.write = write;
  r.arrival = at;
  const std::uint64_t il = m_mapper.interleave();
  if (m_mapper.blockOffset(addr) + len <= il) {
    // Inside one interleave block (every small request): one pseudo-channel.
    const int pc = m_mapper.pseudoChannelOf(addr);
    r.localAddr = m_mapper.localAddress(addr);
    r.bytes = static_cast<std::uint32_t>(len);
    t.remaining = 1;
    m_ctrls[static_cast<std::size_t>(pc)]->enqueue(r);
    harvest(pc);
    reschedule(pc);
    return id;
  }
  // One controller request per pseudo-channel touched: its bytes are contiguous there.
  const auto n = static_cast<std::uint64_t>(m_ctrls.size());
  const std::uint64_t end = addr + len;
  const std::uint64_t bs = addr / il, be = (end - 1) / il;
  auto& parts = m_parts;
  parts.clear();
  for (std::uint64_t k = 0; k < std::min<std::uint64_t>(n, be - bs + 1); ++k) {
    const std::uint64_t block = bs + k;
    const std::uint64_t first = block == bs ? addr : block * il;
    const std::uint64_t lastBlock = be - (be - block) % n;
    const std::uint64_t last = lastBlock == be ? end : (lastBlock + 1) * il;
    const std::uint64_t startLocal = m_mapper.localAddress(first);
    const std::uint64_t endLocal = m_mapper.localAddress(last - 1) + 1;
    r.localAddr = startLocal;
    r.bytes = static_cast<std::uint32_t>(endLocal - startLocal);
    parts.emplace_back(static_cast<int>(block % n), r);
  }
  t.remaining = static_cast<int>(parts.size());
  for (const auto& [pc, part] : parts) {
    m_ctrls[static_cast<std::size_t>(pc)]->enqueue(part);
    harvest(pc);
    reschedule(pc);
  }
  return id;
}

void HbmStack::harvest(int pc) {
  auto& done = m_ctrls[static_cast<std::size_t>(pc)]->completions();
  for (const auto& c : done) {
    Txn& t = m_txns[static_cast<std::size_t>(c.id)];
    t.done = std::max(t.done, c.done);
    if (--t.remaining == 0) finishTxn(static_cast<std::uint32_t>(c.id));
  }
  done.clear();
}

void HbmStack::reschedule(int pc) {
  // Commands between now and the wake-up are executed in one go when it comes (or when a
  // request arrives first): the controller only needs the clock to run in order, and every
  // completion they produce is due after the wake-up. One kernel event then serves many
  // commands of many pseudo-channels.
  Tick next = m_ctrls[static_cast<std::size_t>(pc)]->nextEventTick();
  if (next != PseudoChannelController::kNever) next += m_wakeLead;
  if (next == m_pcNext[static_cast<std::size_t>(pc)]) return;
  m_pcNext[static_cast<std::size_t>(pc)] = next;
  if (next == PseudoChannelController::kNever) return;
  // The wake-up event is pending at or before the heap's earliest tick: notify only when
  // this one comes first (a later notify would be ignored by the kernel anyway).
  const bool first = m_ctrlHeap.empty() || next < m_ctrlHeap.top().first;
  m_ctrlHeap.push({next, pc});
  if (first) m_ctrlEvent.notify(ticksToTime(next - std::min(next, now())));
}

void HbmStack::controllerProcess() {
  const Tick t = now();
  while (!m_ctrlHeap.empty() && m_ctrlHeap.top().first <= t) {
    const auto [tick, pc] = m_ctrlHeap.top();
    m_ctrlHeap.pop();
    if (m_pcNext[static_cast<std::size_t>(pc)] != tick) continue;  // stale
    m_pcNext[static_cast<std::size_t>(pc)] = PseudoChannelController::kNever;
    m_ctrls[static_cast<std::size_t>(pc)]->advanceTo(t);
    harvest(pc);
    reschedule(pc);
  }
  if (!m_ctrlHeap.empty()) m_ctrlEvent.notify(ticksToTime(m_ctrlHeap.top().first - t));
}

void HbmStack::finishTxn(std::uint32_t id) {
  Txn& t = m_txns[id];
  // As in reschedule(): the response event is pending at or before the earliest response.
  const bool first = m_responses.empty() || t.done < m_responses.topTick();
  m_responses.push(t.done, id);
  if (first) m_respEvent.notify(ticksToTime(t.done - now()));
}

void HbmStack::responseProcess() {
  const Tick t = now();
  while (!m_responses.empty() && m_responses.topTick() <= t) {
    const std::uint32_t id = m_responses.topValue();
    m_responses.pop();
    Txn& x = m_txns[id];
    x.gp->set_response_status(tlm::TLM_OK_RESPONSE);
    if (m_storage) x.gp->set_dmi_allowed(true);  // hint: get_direct_mem_ptr would succeed
    ++m_completed;
    m_latency.add(t - x.arrival);
    m_lastDone = std::max(m_lastDone, t);
    if (x.lt) {
      x.ltDone->notify();
    } else {
      m_atReady.push_back(id);
    }
  }
  if (!m_responses.empty()) m_respEvent.notify(ticksToTime(m_responses.topTick() - t));
  sendResponses();
}

void HbmStack::sendResponses() {
  while (!m_respBusy && !m_atReady.empty()) {
    const std::uint32_t id = m_atReady.front();
    m_atReady.pop_front();
    tlm::tlm_generic_payload& gp = *m_txns[id].gp;
    m_txns[id].gp = nullptr;
    m_freeTxns.push_back(id);
    tlm::tlm_phase phase = tlm::BEGIN_RESP;
    sc_time delay = sc_core::SC_ZERO_TIME;
    const tlm::tlm_sync_enum s = in->nb_transport_bw(gp, phase, delay);
    // TLM_ACCEPTED: the initiator will send END_RESP; until then the channel is busy.
    if (s == tlm::TLM_ACCEPTED || (s == tlm::TLM_UPDATED && phase == tlm::BEGIN_RESP))
      m_respBusy = true;
  }
}

void HbmStack::b_transport(tlm::tlm_generic_payload& gp, sc_time& delay) {
  if (!check(gp)) {
    ++m_errors;
    return;
  }
  if (m_fast) {
    // Loosely timed: annotate, never wait.
    const Tick at = now() + delay.value();
    moveData(gp);
    Tick done = at;
    m_fast->forgetBefore(now());  // annotated arrivals are never earlier
    if (gp.get_command() != tlm::TLM_IGNORE_COMMAND)
      done = m_fast->serve(at, gp.get_address() - m_spec.baseAddress, gp.get_data_length(),
                           gp.is_write());
    delay = ticksToTime(done - now());
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
    if (m_storage) gp.set_dmi_allowed(true);
    ++m_completed;
    m_latency.add(done - at);
    m_lastDone = std::max(m_lastDone, done);
    return;
  }
  // Bank fidelity needs requests in time order: synchronise to the annotated arrival (no
  // delta cycle when there is nothing to wait for), then wait for the controller.
  if (delay != sc_core::SC_ZERO_TIME) wait(delay);
  delay = sc_core::SC_ZERO_TIME;
  const std::uint32_t id = submit(gp, true);
  sc_core::sc_event& ev = *m_txns[id].ltDone;
  wait(ev);
  m_txns[id].gp = nullptr;
  m_freeTxns.push_back(id);
}

tlm::tlm_sync_enum HbmStack::nb_transport_fw(tlm::tlm_generic_payload& gp, tlm::tlm_phase& phase,
                                             sc_time& delay) {
  if (phase == tlm::BEGIN_REQ && delay == sc_core::SC_ZERO_TIME) {
    // Accept on the return path (saves a delta cycle per request).
    acceptRequest(gp);
    phase = tlm::END_REQ;
    return tlm::TLM_UPDATED;
  }
  if (phase == tlm::BEGIN_REQ || phase == tlm::END_RESP) {
    m_peq.notify(gp, phase, delay);
    return tlm::TLM_ACCEPTED;
  }
  SC_REPORT_ERROR("chipletsim/hbm", "nb_transport_fw: phase not allowed by the base protocol");
  return tlm::TLM_COMPLETED;
}

void HbmStack::onPeq(tlm::tlm_generic_payload& gp, const tlm::tlm_phase& phase) {
  if (phase == tlm::END_RESP) {
    m_respBusy = false;
    m_sendEvent.notify(sc_core::SC_ZERO_TIME);
    return;
  }
  // BEGIN_REQ: accept at once (END_REQ), then respond when the data is done.
  tlm::tlm_phase endReq = tlm::END_REQ;
  sc_time zero = sc_core::SC_ZERO_TIME;
  in->nb_transport_bw(gp, endReq, zero);
  acceptRequest(gp);
}

void HbmStack::acceptRequest(tlm::tlm_generic_payload& gp) {
  if (!check(gp)) {
    ++m_errors;
    std::uint32_t id;
    if (!m_freeTxns.empty()) {
      id = m_freeTxns.back();
      m_freeTxns.pop_back();
    } else {
      id = static_cast<std::uint32_t>(m_txns.size());
      m_txns.emplace_back();
    }
    m_txns[id].gp = &gp;
    m_atReady.push_back(id);
    m_sendEvent.notify(sc_core::SC_ZERO_TIME);
    return;
  }
  submit(gp, false);
}

unsigned int HbmStack::transport_dbg(tlm::tlm_generic_payload& gp) {
  const std::uint64_t addr = gp.get_address();
  if (addr < m_spec.baseAddress || addr - m_spec.baseAddress >= m_capacity) return 0;
  const std::uint64_t local = addr - m_spec.baseAddress;
  const auto len =
      static_cast<unsigned int>(std::min<std::uint64_t>(gp.get_data_length(), m_capacity - local));
  if (gp.is_read()) {
    if (m_storage)
      m_storage->read(local, gp.get_data_ptr(), len);
    else
      std::fill(gp.get_data_ptr(), gp.get_data_ptr() + len, 0);
  } else if (gp.is_write() && m_storage) {
    m_storage->write(local, gp.get_data_ptr(), len);
  }
  gp.set_response_status(tlm::TLM_OK_RESPONSE);
  return len;
}

bool HbmStack::get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi) {
  const std::uint64_t addr = gp.get_address();
  const std::uint64_t last = m_spec.baseAddress + (m_capacity - 1);
  if (!m_storage || addr < m_spec.baseAddress || addr > last) {
    // Refused: say for which range (the whole stack, or the gap in front of / after it).
    dmi.set_granted_access(tlm::tlm_dmi::DMI_ACCESS_NONE);
    if (addr < m_spec.baseAddress) {
      dmi.set_start_address(0);
      dmi.set_end_address(m_spec.baseAddress - 1);
    } else if (addr > last) {
      dmi.set_start_address(last + 1);
      dmi.set_end_address(~sc_dt::uint64{0});
    } else {
      dmi.set_start_address(m_spec.baseAddress);
      dmi.set_end_address(last);
    }
    return false;
  }
  const std::uint64_t index = (addr - m_spec.baseAddress) / SparseStorage::kPageBytes;
  const std::uint64_t start = m_spec.baseAddress + index * SparseStorage::kPageBytes;
  dmi.set_dmi_ptr(m_storage->page(index));
  dmi.set_start_address(start);
  dmi.set_end_address(std::min(last, start + SparseStorage::kPageBytes - 1));
  dmi.allow_read_write();
  // An unloaded access that must open its row: front end, tRCD, column latency, burst and
  // the front end on the way back, as the timed paths give at low load.
  const HbmTimingTicks t = HbmTimingTicks::from(m_spec);
  dmi.set_read_latency(ticksToTime(2 * m_frontend + t.rcdRd + t.cl + t.burst));
  dmi.set_write_latency(ticksToTime(2 * m_frontend + t.rcdWr + t.wl + t.burst));
  return true;
}

void HbmStack::clearStorage() {
  if (!m_storage) return;
  m_storage->clear();
  in->invalidate_direct_mem_ptr(m_spec.baseAddress, m_spec.baseAddress + (m_capacity - 1));
}

void HbmStack::reportStats(StatGroup& g) const {
  const Tick horizon = m_lastDone;
  const double seconds = static_cast<double>(horizon) / static_cast<double>(kTicksPerSecond);
  std::vector<StatGroup> pcs;
  double read = 0, written = 0;
  double energy[6] = {0, 0, 0, 0, 0, 0};
  const char* names[6] = {"activate", "read", "write", "refresh", "io", "total"};
  const int perChannel = m_spec.org.pseudoChannelsPerChannel;
  g.add("peak_bandwidth", m_spec.peakBandwidth().si(), "B/s", "pin rate x width / 8");
  g.add("capacity", static_cast<double>(m_capacity), "B");
  g.add("bank_fidelity", m_spec.fidelity == Fidelity::kBank ? 1.0 : 0.0, "1",
        "1 = bank-level controller, 0 = fast calibrated servers");
  StatGroup* chans = &g.child("channels");
  for (int c = 0; c < m_spec.org.channels; ++c) {
    StatGroup& ch = chans->child("ch" + std::to_string(c));
    double chBytes = 0;
    for (int p = 0; p < perChannel; ++p) {
      const int pc = c * perChannel + p;
      StatGroup& pg = ch.child("pc" + std::to_string(p));
      if (m_fast)
        m_fast->reportPseudoChannel(pg, pc, horizon);
      else
        m_ctrls[static_cast<std::size_t>(pc)]->reportStats(pg, horizon);
      const double r = pg.value("bytes_read")->value, w = pg.value("bytes_written")->value;
      read += r;
      written += w;
      chBytes += r + w;
      const StatGroup* eg = pg.find("energy");
      for (int i = 0; i < 6; ++i) energy[i] += eg->value(names[i])->value;
    }
    ch.add("bytes", chBytes, "B");
    ch.add("bandwidth", seconds > 0 ? chBytes / seconds : 0.0, "B/s");
  }
  const double bw = seconds > 0 ? (read + written) / seconds : 0.0;
  g.add("bytes_read", read, "B");
  g.add("bytes_written", written, "B");
  g.add("bandwidth", bw, "B/s", "achieved from t=0 to the last response");
  g.add("efficiency", bw / m_spec.peakBandwidth().si(), "1", "achieved / peak");
  g.add("transactions", static_cast<double>(m_completed), "count");
  g.add("error_responses", static_cast<double>(m_errors), "count");
  g.addDistribution("latency", m_latency.distribution(), "ns", "arrival at the stack to response");
  StatGroup& eg = g.child("energy");
  for (int i = 0; i < 6; ++i) eg.add(names[i], energy[i], "J");
  if (m_fast) {
    StatGroup& cal = g.child("fast_calibration");
    int i = 0;
    for (const auto& [key, c] : m_fast->patterns()) {
      StatGroup& k = cal.child("pattern" + std::to_string(i++));
      k.add("sequential", key.sequential ? 1.0 : 0.0, "1");
      k.add("read_share", key.readQuarters / 4.0, "1");
      k.add("request_bytes", key.requestBytes, "B");
      k.add("efficiency", c.efficiency, "1", "measured by the bank-level controller");
      k.add("unloaded_latency", c.unloadedLatencyNs, "ns");
    }
  }
}

}  // namespace chipletsim::hbm
