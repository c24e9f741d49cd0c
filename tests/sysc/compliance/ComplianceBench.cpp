#include "ComplianceBench.h"

#include "common/Units.h"
#include "platforms/Embed.h"

namespace chipletsim::test {

namespace {

// Test fixtures, not presets: the preset files they name carry the sources.
const char* kHbmBank = "{preset: hbm3, fidelity: bank, functional_storage: true}";
const char* kHbmFast = "{preset: hbm3, fidelity: fast, functional_storage: true}";
const char* kD2d = R"({packaging: cowos-s, shoreline: "1 mm", data_rate: "32 GT/s",
    flit_format: 68b, protocol_header: "16 B", channel_length: "2 mm", rx_buffer: "16 KiB",
    bit_error_rate: 1e-15, seed: 1})";
const char* kNoc = R"({topology: mesh, dim_x: 2, dim_y: 2, clock: "2 GHz", flit_size: "32 B",
    router_pipeline_cycles: 2, link_delay_cycles: 1, virtual_channels: 2, buffer_depth_flits: 4,
    endpoints: [{name: cpu, role: compute, router: 0},
                {name: mem, role: memory, router: 3, address_base: "0 GiB",
                 address_size: "1 GiB"}]})";
const Duration kSinkLatency = nanoseconds(10);

}  // namespace

std::string caseName(const Case& c) {
  static const char* names[] = {"HbmBank", "HbmFast", "D2dAtoB", "D2dBtoA", "Noc", "Sink"};
  return std::string(names[static_cast<int>(c.model)]) + (c.mode == Mode::kLt ? "Lt" : "At");
}

const char* fixtureYaml(Model m) {
  switch (m) {
    case Model::kHbmBank:
      return kHbmBank;
    case Model::kHbmFast:
      return kHbmFast;
    case Model::kD2dAtoB:
    case Model::kD2dBtoA:
      return kD2d;
    case Model::kNoc:
      return kNoc;
    case Model::kSink:
      return "";
  }
  return "";
}

bool storesData(Model m) {
  return m == Model::kHbmBank || m == Model::kHbmFast;
}

std::vector<ScriptedRequest> complianceScript() {
  using K = ScriptedRequest::Kind;
  std::vector<ScriptedRequest> s;
  auto req = [&](K kind, tlm::tlm_command cmd, std::uint64_t addr, unsigned len, unsigned char fill,
                 bool barrier) {
    ScriptedRequest r;
    r.kind = kind;
    r.command = cmd;
    r.address = addr;
    r.length = len;
    r.fill = fill;
    r.barrier = barrier;
    s.push_back(r);
    return s.size() - 1;
  };
  for (unsigned i = 0; i < 16; ++i)
    req(K::kTransport, tlm::TLM_WRITE_COMMAND, i * 64, 64, static_cast<unsigned char>(i * 3),
        false);
  for (unsigned i = 0; i < 16; ++i)
    req(K::kTransport, tlm::TLM_READ_COMMAND, i * 64, 64, 0, i == 0);
  for (unsigned i = 0; i < 4; ++i)  // larger, spread requests (several pseudo-channels)
    req(K::kTransport, i % 2 ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND, 0x10000 + i * 0x4000,
        256, 0x30, false);
  // Byte enables (4 bytes on, 4 off, applied cyclically over 64 B).
  req(K::kTransport, tlm::TLM_WRITE_COMMAND, 0x1000, 64, 0x10, true);
  const std::size_t be = req(K::kTransport, tlm::TLM_WRITE_COMMAND, 0x1000, 64, 0x80, true);
  s[be].byteEnables = {0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0};
  req(K::kTransport, tlm::TLM_READ_COMMAND, 0x1000, 64, 0, true);
  // Streaming width 16 over 64 B: four beats to the same 16 bytes.
  const std::size_t st = req(K::kTransport, tlm::TLM_WRITE_COMMAND, 0x2000, 64, 0x40, true);
  s[st].streamingWidth = 16;
  req(K::kTransport, tlm::TLM_READ_COMMAND, 0x2000, 16, 0, true);
  // Debug access and DMI probes.
  req(K::kDebug, tlm::TLM_WRITE_COMMAND, 0x3000, 64, 0x20, true);
  req(K::kDebug, tlm::TLM_READ_COMMAND, 0x3000, 64, 0, true);
  req(K::kDmi, tlm::TLM_READ_COMMAND, 0x0, 64, 0, true);
  req(K::kDmi, tlm::TLM_WRITE_COMMAND, 0x0, 64, 0, true);
  return s;
}

ComplianceBench::ComplianceBench(const Case& c, std::vector<ScriptedRequest> script) {
  m_initiator = std::make_unique<ComplianceInitiator>("cpu", c.mode, std::move(script));
  m_checker = std::make_unique<ProtocolChecker>("checker");
  m_initiator->out.bind(m_checker->in);
  switch (c.model) {
    case Model::kHbmBank:
    case Model::kHbmFast:
      m_model = decodeInstance("hbm_stack", c.model == Model::kHbmBank ? kHbmBank : kHbmFast)
                    ->build("hbm");
      m_checker->out.bind(*m_model->targetPort("in"));
      break;
    case Model::kD2dAtoB:
    case Model::kD2dBtoA: {
      const bool ab = c.model == Model::kD2dAtoB;
      m_model = decodeInstance("d2d_link", kD2d)->build("link");
      m_sink = std::make_unique<d2d::TrafficSink>("far", kSinkLatency);
      m_farChecker = std::make_unique<ProtocolChecker>("far_checker");
      m_checker->out.bind(*m_model->targetPort(ab ? "a_in" : "b_in"));
      m_model->initiatorPort(ab ? "b_out" : "a_out")->bind(m_farChecker->in);
      m_farChecker->out.bind(m_sink->in);
      break;
    }
    case Model::kNoc:
      m_model = decodeInstance("noc", kNoc)->build("noc");
      m_sink = std::make_unique<d2d::TrafficSink>("mem", kSinkLatency);
      m_farChecker = std::make_unique<ProtocolChecker>("far_checker");
      m_checker->out.bind(*m_model->targetPort("cpu_in"));
      m_model->initiatorPort("mem_out")->bind(m_farChecker->in);
      m_farChecker->out.bind(m_sink->in);
      break;
    case Model::kSink:
      m_sink = std::make_unique<d2d::TrafficSink>("sink", kSinkLatency);
      m_checker->out.bind(m_sink->in);
      break;
  }
}

ComplianceBench::~ComplianceBench() = default;

void ComplianceBench::run(sc_core::sc_time limit) {
  const sc_core::sc_time step(1, sc_core::SC_US);
  while (!m_initiator->done() && sc_core::sc_time_stamp() < limit) sc_core::sc_start(step);
  m_checker->finish();
  if (m_farChecker) m_farChecker->finish();
}

}  // namespace chipletsim::test
