// sc_spawn needs dynamic processes, enabled before the first SystemC include.
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "workload/TrafficGenerator.h"

#include <algorithm>

#include "common/Errors.h"

namespace chipletsim::workload {

using sc_core::sc_time;

const char* toString(MemoryPattern p) {
  switch (p) {
    case MemoryPattern::kStreamRead:
      return "stream-read";
    case MemoryPattern::kStreamWrite:
      return "stream-write";
    case MemoryPattern::kCopy:
      return "copy";
    case MemoryPattern::kRandomRead:
      return "random-read";
  }
  return "?";
}

TrafficGenerator::TrafficGenerator(sc_core::sc_module_name name, const MemoryTrafficSpec& spec)
    : sc_core::sc_module(name), out("out"), m_spec(spec), m_rng(spec.seed) {
  if (spec.requestBytes == 0 || spec.outstanding < 1 || spec.span < spec.requestBytes ||
      spec.totalBytes == 0)
    throw SpecError("traffic generator '" + std::string(basename()) +
                    "': needs request bytes > 0, outstanding >= 1, span >= request bytes");
  m_total = (spec.totalBytes + spec.requestBytes - 1) / spec.requestBytes;
  m_slotCount = spec.span / spec.requestBytes;
  // Copy writes into the upper half of the span.
  m_nextWrite = spec.pattern == MemoryPattern::kCopy
                    ? (spec.span / 2 / spec.requestBytes) * spec.requestBytes
                    : 0;
  out.register_nb_transport_bw(this, &TrafficGenerator::nb_transport_bw);
  m_slots = std::make_unique<Slot[]>(static_cast<std::size_t>(spec.outstanding));
  for (int i = 0; i < spec.outstanding; ++i) {
    Slot& s = m_slots[static_cast<std::size_t>(i)];
    s.data.assign(spec.requestBytes, 0);
    m_free.push_back(&s);
  }
  if (spec.style == TransportStyle::kLooselyTimed) {
    for (int i = 0; i < spec.outstanding; ++i)
      sc_core::sc_spawn([this, i] { ltWorker(i); }, sc_core::sc_gen_unique_name("lt_worker"));
  } else {
    SC_THREAD(atIssuer);
  }
}

TrafficGenerator::Slot* TrafficGenerator::slotOf(const tlm::tlm_generic_payload& gp) const {
  // Payloads sit at a fixed stride in m_slots; the final comparison rejects any other one.
  const auto first = reinterpret_cast<std::uintptr_t>(&m_slots[0].gp);
  const auto at = reinterpret_cast<std::uintptr_t>(&gp);
  if (at < first || (at - first) % sizeof(Slot) != 0) return nullptr;
  const std::size_t i = (at - first) / sizeof(Slot);
  if (i >= static_cast<std::size_t>(m_spec.outstanding) || &m_slots[i].gp != &gp) return nullptr;
  return &m_slots[i];
}

void TrafficGenerator::nextRequest(Slot& s) {
  const std::uint64_t rb = m_spec.requestBytes;
  const std::uint64_t slots = m_slotCount;
  bool write = false;
  std::uint64_t offset = 0;
  switch (m_spec.pattern) {
    case MemoryPattern::kStreamRead:
    case MemoryPattern::kStreamWrite:
      // The next offset wraps at the span (a running offset: no division).
      write = m_spec.pattern == MemoryPattern::kStreamWrite;
      offset = m_nextRead;
      m_nextRead += rb;
      if (m_nextRead >= slots * rb) m_nextRead = 0;
      break;
    case MemoryPattern::kCopy: {
      // Deterministic interleave: reads are readFraction of the requests.
      m_readCredit += m_spec.readFraction;
      write = m_readCredit < 1.0 - 1e-12;
      if (!write) m_readCredit -= 1.0;
      const std::uint64_t half = std::max<std::uint64_t>(1, slots / 2) * rb;
      if (write) {
        offset = half + (m_nextWrite - half) % half;
        m_nextWrite += rb;
      } else {
        offset = m_nextRead % half;
        m_nextRead += rb;
      }
      break;
    }
    case MemoryPattern::kRandomRead: {
      offset = std::uniform_int_distribution<std::uint64_t>(0, slots - 1)(m_rng) * rb;
      write = std::uniform_real_distribution<double>(0.0, 1.0)(m_rng) >= m_spec.readFraction;
      break;
    }
  }
  tlm::tlm_generic_payload& gp = s.gp;
  gp.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  gp.set_address(m_spec.baseAddress + offset);
  gp.set_data_ptr(s.data.data());
  gp.set_data_length(static_cast<unsigned int>(rb));
  gp.set_streaming_width(static_cast<unsigned int>(rb));
  gp.set_byte_enable_ptr(nullptr);
  gp.set_byte_enable_length(0);
  gp.set_dmi_allowed(false);
  gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  s.issued = now();
  if (m_issued == 0) m_first = s.issued;
  ++m_issued;
}

void TrafficGenerator::complete(Slot& s, Tick at) {
  if (s.gp.is_response_error())
    ++m_errors;
  else
    m_bytes += s.gp.get_data_length();
  ++m_completed;
  m_last = std::max(m_last, at);
  m_latency.add(static_cast<double>(at - s.issued) / static_cast<double>(kTicksPerNs));
}

void TrafficGenerator::ltWorker(int index) {
  Slot& s = m_slots[static_cast<std::size_t>(index)];
  while (m_issued < m_total) {
    nextRequest(s);
    sc_time delay = sc_core::SC_ZERO_TIME;
    out->b_transport(s.gp, delay);
    // Synchronise at every transaction so that LT and AT see the same time line.
    if (delay > sc_core::SC_ZERO_TIME) wait(delay);
    complete(s, now());
  }
}

void TrafficGenerator::atIssuer() {
  while (m_issued < m_total) {
    while (m_free.empty() || m_requestBusy) wait(m_progress);
    Slot* s = m_free.front();
    m_free.pop_front();
    nextRequest(*s);
    tlm::tlm_phase phase = tlm::BEGIN_REQ;
    sc_time delay = sc_core::SC_ZERO_TIME;
    m_requestBusy = true;
    const tlm::tlm_sync_enum r = out->nb_transport_fw(s->gp, phase, delay);
    if (r == tlm::TLM_UPDATED && phase == tlm::END_REQ) m_requestBusy = false;
    if (r == tlm::TLM_COMPLETED) {
      m_requestBusy = false;
      if (delay > sc_core::SC_ZERO_TIME) wait(delay);
      complete(*s, now());
      m_free.push_back(s);
    }
  }
}

tlm::tlm_sync_enum TrafficGenerator::nb_transport_bw(tlm::tlm_generic_payload& gp,
                                                     tlm::tlm_phase& phase, sc_time& delay) {
  (void)delay;
  if (phase == tlm::END_REQ) {
    m_requestBusy = false;
    m_progress.notify(sc_core::SC_ZERO_TIME);
    return tlm::TLM_ACCEPTED;
  }
  if (phase == tlm::BEGIN_RESP) {
    // A BEGIN_RESP also ends the request phase (base protocol rule).
    m_requestBusy = false;
    Slot* s = slotOf(gp);
    if (!s) {
      SC_REPORT_ERROR("chipletsim/traffic", "BEGIN_RESP for a payload this generator never sent");
      return tlm::TLM_COMPLETED;
    }
    complete(*s, now() + delay.value());
    m_free.push_back(s);
    m_progress.notify(sc_core::SC_ZERO_TIME);
    phase = tlm::END_RESP;
    return tlm::TLM_COMPLETED;
  }
  SC_REPORT_ERROR("chipletsim/traffic", "nb_transport_bw: unexpected phase");
  return tlm::TLM_COMPLETED;
}

double TrafficGenerator::achievedBandwidth() const {
  if (m_last <= m_first) return 0.0;
  return static_cast<double>(m_bytes) /
         (static_cast<double>(m_last - m_first) / static_cast<double>(kTicksPerSecond));
}

void TrafficGenerator::reportStats(StatGroup& g) const {
  g.add("bytes", static_cast<double>(m_bytes), "B", "moved with an OK response");
  g.add("transactions", static_cast<double>(m_completed), "count");
  g.add("error_responses", static_cast<double>(m_errors), "count");
  g.add("bandwidth", achievedBandwidth(), "B/s", "first issue to last response");
  g.addDistribution("latency", m_latency, "ns", "issue to response");
}

}  // namespace chipletsim::workload
