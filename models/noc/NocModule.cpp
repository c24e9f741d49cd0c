#include "noc/NocModule.h"

#include <cmath>

#include "common/Errors.h"

namespace chipletsim::noc {

namespace {
Tick toTick(const sc_core::sc_time& t) {
  return static_cast<Tick>(std::llround(t.to_seconds() * static_cast<double>(kTicksPerSecond)));
}
sc_core::sc_time fromTick(Tick t) {
  return sc_core::sc_time(static_cast<double>(t), sc_core::SC_PS);
}
}  // namespace

NocModule::NocModule(sc_core::sc_module_name name, const NocSpec& spec)
    : sc_core::sc_module(name), m_spec(spec), m_fabric(spec) {
  const auto& eps = m_fabric.endpoints();
  m_stats.resize(eps.size());
  for (std::size_t e = 0; e < eps.size(); ++e) {
    const int id = static_cast<int>(e);
    m_in.push_back(std::make_unique<TargetSocket>((eps[e].name + "_in").c_str()));
    m_in.back()->register_b_transport(this, &NocModule::bTransport, id);
    m_in.back()->register_transport_dbg(this, &NocModule::transportDbg, id);
    m_out.push_back(std::make_unique<InitiatorSocket>((eps[e].name + "_out").c_str()));
  }
}

NocModule::~NocModule() = default;

void NocModule::before_end_of_elaboration() {
  const auto& eps = m_fabric.endpoints();
  for (std::size_t e = 0; e < eps.size(); ++e) {
    if (m_in[e]->get_base_port().bind_count() == 0) {
      m_tieIn.push_back(std::make_unique<tlm_utils::simple_initiator_socket<NocModule>>(
          sc_core::sc_gen_unique_name((eps[e].name + "_in_tie").c_str())));
      m_tieIn.back()->bind(*m_in[e]);
    }
    if (m_out[e]->bind_count() == 0) {
      m_tieOut.push_back(std::make_unique<tlm_utils::simple_target_socket_tagged<NocModule>>(
          sc_core::sc_gen_unique_name((eps[e].name + "_out_tie").c_str())));
      m_tieOut.back()->register_b_transport(this, &NocModule::tieOff, static_cast<int>(e));
      m_out[e]->bind(*m_tieOut.back());
    }
  }
}

void NocModule::tieOff(int /*id*/, tlm::tlm_generic_payload& t, sc_core::sc_time& /*delay*/) {
  // The endpoint owns an address range but nothing is attached behind it.
  t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

EndpointId NocModule::owner(std::uint64_t addr, std::uint64_t len) const {
  const auto& eps = m_fabric.endpoints();
  for (std::size_t e = 0; e < eps.size(); ++e) {
    const EndpointSpec& s = eps[e];
    if (s.addressSize == 0 || addr < s.addressBase) continue;
    const std::uint64_t off = addr - s.addressBase;
    if (off < s.addressSize && len <= s.addressSize - off)
      return EndpointId(static_cast<std::uint32_t>(e));
  }
  return EndpointId();
}

void NocModule::bTransport(int id, tlm::tlm_generic_payload& t, sc_core::sc_time& delay) {
  const EndpointId src(static_cast<std::uint32_t>(id));
  const std::uint64_t addr = t.get_address();
  const EndpointId dst = owner(addr, t.get_data_length());
  if (!dst.valid()) {
    t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  EndpointStats& st = m_stats[src.value()];
  ++st.requests;
  st.bytes += t.get_data_length();
  ++m_stats[dst.value()].served;
  // A header flit, plus the data of a write on the way there and of a read on the way back.
  const double header = m_spec.flitSize.si();
  const double data = static_cast<double>(t.get_data_length());
  const bool write = t.get_command() == tlm::TLM_WRITE_COMMAND;
  const bool read = t.get_command() == tlm::TLM_READ_COMMAND;

  // Initiators annotate delays >= 0: no later call comes before the kernel's time.
  const Tick sent = toTick(sc_core::sc_time_stamp() + delay);
  const TransactionFabric::Transfer req = m_fabric.transfer(
      sent, src, dst, header + (write ? data : 0.0), toTick(sc_core::sc_time_stamp()));
  delay += fromTick(req.tail - sent);

  t.set_address(addr - m_fabric.endpoints()[dst.value()].addressBase);
  (*m_out[dst.value()])->b_transport(t, delay);
  t.set_address(addr);

  const Tick back = toTick(sc_core::sc_time_stamp() + delay);
  const TransactionFabric::Transfer resp = m_fabric.transfer(
      back, dst, src, header + (read ? data : 0.0), toTick(sc_core::sc_time_stamp()));
  delay += fromTick(resp.tail - back);
  // NoC time only: the time spent behind the target is not the fabric's.
  const double nocNs = static_cast<double>((req.tail - sent) + (resp.tail - back)) /
                       static_cast<double>(kTicksPerNs);
  st.latencyNs.add(nocNs);
}

unsigned NocModule::transportDbg(int /*id*/, tlm::tlm_generic_payload& t) {
  const std::uint64_t addr = t.get_address();
  const EndpointId dst = owner(addr, t.get_data_length());
  if (!dst.valid()) return 0;
  t.set_address(addr - m_fabric.endpoints()[dst.value()].addressBase);
  const unsigned n = (*m_out[dst.value()])->transport_dbg(t);
  t.set_address(addr);
  return n;
}

void NocModule::reportStats(StatGroup& group) const {
  const Tick period = m_spec.periodTicks();
  const auto cycles = static_cast<std::uint64_t>(toTick(sc_core::sc_time_stamp()) / period);
  m_fabric.reportStats(group, cycles);
  StatGroup& eps = group.child("endpoints");
  for (std::size_t e = 0; e < m_stats.size(); ++e) {
    const EndpointStats& s = m_stats[e];
    if (s.requests == 0 && s.served == 0) continue;
    StatGroup& g = eps.child(m_fabric.endpoints()[e].name);
    g.add("requests", static_cast<double>(s.requests), "count", "requests that entered here");
    g.add("served", static_cast<double>(s.served), "count", "requests that left here");
    g.add("bytes", static_cast<double>(s.bytes), "B", "data bytes of requests entering here");
    g.addDistribution("noc_latency", s.latencyNs, "ns",
                      "fabric time of a request and its response (target time excluded)");
  }
}

}  // namespace chipletsim::noc
