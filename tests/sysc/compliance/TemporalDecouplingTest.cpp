// Temporal decoupling with tlm_utils::tlm_quantumkeeper: CPU-like LT initiators share a
// model through a pass-through bus and run ahead of the kernel by up to one quantum. The
// same platform is replicated once per quantum (0 = synchronise after every transaction,
// the reference, then 10 ns, 100 ns, 1 us, 10 us) in one simulation; replicas share nothing,
// each keeps its own quantum. Reported: the error of the completion time of the whole run
// and of the mean transaction latency against the reference.
//
// Bounds. One initiator: the models honour the annotated time and see requests in time
// order, so decoupling costs nothing: completion and mean latency equal the reference
// (within 1 ps per request of rounding). N initiators, HBM: each pseudo-channel books on an
// earliest-fit calendar, so a request booked after a later-arriving one still takes the gap
// it arrived in. What decoupling can still change is confined to pseudo-channel collisions:
// a request is affected only when another initiator's transfer is on its pseudo-channel
// while it is served (uniform random addresses: expected (N - 1) / PCs of the requests),
// and then by at most N x S1, S1 the service of one request alone (depth-1 efficiency):
// one transfer of each other initiator booked first into its gap, and its own service
// computed from the transfers booked so far (those of a lagging initiator not yet booked).
//   |L_q - L_ref| <= (N - 1) / PCs x N x S1   and   |T_q - T_ref| <= R x that + Q
// for the mean latency L and the completion time T of R requests per initiator.
// N initiators, D2D link: held to the bound of any model that books in call order, where
// an initiator running ahead reserves up to a quantum into the future and a lagging one
// queues behind; at worst this serialises the N streams. Decoupling never adds capacity, so
//   T_ref <= T_q <= N x T_ref + Q   and   L_ref <= L_q <= N x L_ref + (N - 1) x think
// (each lower bound less 1%).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <random>
#include <vector>

#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "ComplianceBench.h"
#include "common/Units.h"
#include "d2d/TrafficSink.h"
#include "hbm/FastMemoryModel.h"
#include "hbm/HbmStack.h"
#include "platforms/Embed.h"

namespace chipletsim::test {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;

// A quantum keeper with its own quantum instead of the global one.
class LocalQuantumKeeper : public tlm_utils::tlm_quantumkeeper {
 public:
  explicit LocalQuantumKeeper(sc_time quantum) : m_quantum(quantum) { reset(); }

 protected:
  sc_time compute_local_quantum() override {
    if (m_quantum == sc_core::SC_ZERO_TIME) return sc_core::SC_ZERO_TIME;
    const sc_time now = sc_core::sc_time_stamp();
    const sc_time next =
        sc_time::from_value(((now.value() / m_quantum.value()) + 1) * m_quantum.value());
    return next - now;
  }

 private:
  sc_time m_quantum;
};

const sc_time kThink(2, SC_NS);  // a CPU-like gap between dependent requests

// Forwards every b_transport from any number of initiators to one target.
class Bus : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<Bus> in;
  tlm_utils::simple_initiator_socket<Bus> out;
  explicit Bus(sc_core::sc_module_name n) : sc_core::sc_module(n), in("in"), out("out") {
    in.register_b_transport(this, &Bus::bTransport);
  }

 private:
  void bTransport(int, tlm::tlm_generic_payload& gp, sc_time& delay) {
    out->b_transport(gp, delay);
  }
};

// Issues `count` requests one at a time with a think time between them, through a quantum
// keeper: seeded random 64 B-aligned addresses in [0, span).
class Cpu : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Cpu);
  tlm_utils::simple_initiator_socket<Cpu> out;
  Cpu(sc_core::sc_module_name n, sc_time quantum, std::uint64_t seed, int count,
      tlm::tlm_command cmd, unsigned bytes, std::uint64_t span)
      : sc_core::sc_module(n),
        out("out"),
        m_qk(quantum),
        m_rng(seed),
        m_count(count),
        m_cmd(cmd),
        m_data(bytes),
        m_span(span) {
    SC_THREAD(run);
  }
  sc_time finish;
  double latencySumNs = 0;
  int done = 0;

 private:
  void run() {
    const sc_time think = kThink;
    for (int i = 0; i < m_count; ++i) {
      tlm::tlm_generic_payload gp;
      gp.set_command(m_cmd);
      gp.set_address((m_rng() % (m_span / m_data.size())) * m_data.size());
      gp.set_data_ptr(m_data.data());
      gp.set_data_length(static_cast<unsigned>(m_data.size()));
      gp.set_streaming_width(static_cast<unsigned>(m_data.size()));
      gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
      const sc_time issued = sc_core::sc_time_stamp() + m_qk.get_local_time();
      sc_time delay = m_qk.get_local_time();
      out->b_transport(gp, delay);
      if (!gp.is_response_ok()) SC_REPORT_ERROR("Cpu", "request failed");
      m_qk.set(delay);
      latencySumNs += (sc_core::sc_time_stamp() + delay - issued).to_seconds() * 1e9;
      ++done;
      m_qk.inc(think);
      if (m_qk.need_sync()) m_qk.sync();
    }
    m_qk.sync();
    finish = sc_core::sc_time_stamp();
  }
  LocalQuantumKeeper m_qk;
  std::mt19937_64 m_rng;
  int m_count;
  tlm::tlm_command m_cmd;
  std::vector<unsigned char> m_data;
  std::uint64_t m_span;
};

const std::vector<sc_time> kQuanta = {sc_core::SC_ZERO_TIME, sc_time(10, SC_NS),
                                      sc_time(100, SC_NS), sc_time(1, sc_core::SC_US),
                                      sc_time(10, sc_core::SC_US)};
constexpr int kRequests = 4000;

struct Replica {
  std::unique_ptr<Bus> bus;
  std::vector<std::unique_ptr<Cpu>> cpus;
  std::unique_ptr<hbm::HbmStack> hbm;
  std::unique_ptr<Component> link;
  std::unique_ptr<d2d::TrafficSink> sink;
};

struct Row {
  double quantumNs, finishNs, meanLatencyNs;
};

std::vector<Row> runReplicas(bool hbm, int initiators) {
  std::vector<Replica> reps(kQuanta.size());
  for (std::size_t q = 0; q < kQuanta.size(); ++q) {
    Replica& r = reps[q];
    const std::string tag = "q" + std::to_string(q);
    r.bus = std::make_unique<Bus>((tag + "_bus").c_str());
    for (int c = 0; c < initiators; ++c) {
      r.cpus.push_back(std::make_unique<Cpu>(
          (tag + "_cpu" + std::to_string(c)).c_str(), kQuanta[q], 1000 + c, kRequests,
          hbm ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND, hbm ? 64 : 256, 1ull << 30));
      r.cpus.back()->out.bind(r.bus->in);
    }
    if (hbm) {
      r.hbm = std::make_unique<hbm::HbmStack>((tag + "_hbm").c_str(),
                                              hbmSpecFromYaml(fixtureYaml(Model::kHbmFast)));
      r.bus->out.bind(r.hbm->in);
    } else {
      r.link = decodeInstance("d2d_link", fixtureYaml(Model::kD2dAtoB))->build(tag + "_link");
      r.sink = std::make_unique<d2d::TrafficSink>((tag + "_far").c_str(), nanoseconds(10));
      r.bus->out.bind(*r.link->targetPort("a_in"));
      r.link->initiatorPort("b_out")->bind(r.sink->in);
    }
  }
  sc_core::sc_start(sc_time(100, sc_core::SC_MS));
  std::vector<Row> rows;
  for (std::size_t q = 0; q < kQuanta.size(); ++q) {
    Row row{kQuanta[q].to_seconds() * 1e9, 0, 0};
    double latency = 0;
    int done = 0;
    for (const auto& c : reps[q].cpus) {
      row.finishNs = std::max(row.finishNs, c->finish.to_seconds() * 1e9);
      latency += c->latencySumNs;
      done += c->done;
    }
    EXPECT_EQ(done, initiators * kRequests) << "quantum " << row.quantumNs << " ns";
    row.meanLatencyNs = latency / done;
    rows.push_back(row);
  }
  return rows;
}

// The expected per-request latency change from pseudo-channel collisions (see Bounds), in
// ns: (N - 1) / PCs x N x S1 for random 64 B reads on the fast HBM fixture.
double hbmCollisionBoundNs(int initiators) {
  const hbm::HbmSpec spec = hbmSpecFromYaml(fixtureYaml(Model::kHbmFast));
  const hbm::FastMemoryModel::PatternKey key{
      false, 4, static_cast<std::uint32_t>(std::max<std::uint64_t>(64, spec.accessBytes()))};
  const hbm::FastMemoryModel::Calibration cal = hbm::FastMemoryModel::calibrate(spec, key);
  const double s1Ns =
      key.requestBytes / (spec.peakPerPseudoChannel().si() * cal.efficiencyAtDepth[0]) * 1e9;
  const double n = initiators;
  std::printf("S1 = %.2f ns over %d pseudo-channels\n", s1Ns, spec.pseudoChannels());
  return (n - 1) / spec.pseudoChannels() * n * s1Ns;
}

// collisionNs < 0: the serialisation bound (call-order reservations); else the per-request
// collision bound of the calendar-booked HBM.
void checkAndPrint(const char* model, int initiators, const std::vector<Row>& rows,
                   double collisionNs = -1) {
  const Row& ref = rows.front();
  const double n = initiators;
  std::printf("%s: %d initiator(s) x %d requests, %.0f ns think time\n", model, initiators,
              kRequests, kThink.to_seconds() * 1e9);
  std::printf("%12s %14s %10s %16s %10s\n", "quantum_ns", "completion_ns", "error_%",
              "mean_latency_ns", "error_%");
  for (const Row& r : rows) {
    std::printf("%12.0f %14.1f %10.3f %16.2f %10.3f\n", r.quantumNs, r.finishNs,
                100 * (r.finishNs - ref.finishNs) / ref.finishNs, r.meanLatencyNs,
                100 * (r.meanLatencyNs - ref.meanLatencyNs) / ref.meanLatencyNs);
    const std::string at = std::string(model) + ", quantum " + std::to_string(r.quantumNs) + " ns";
    if (initiators == 1) {
      EXPECT_NEAR(r.finishNs, ref.finishNs, 1e-3 * kRequests) << at;
      EXPECT_NEAR(r.meanLatencyNs, ref.meanLatencyNs, 1e-3) << at;
      continue;
    }
    if (collisionNs >= 0) {
      EXPECT_NEAR(r.finishNs, ref.finishNs, kRequests * collisionNs + r.quantumNs) << at;
      EXPECT_NEAR(r.meanLatencyNs, ref.meanLatencyNs, collisionNs) << at;
      continue;
    }
    EXPECT_GE(r.finishNs, 0.99 * ref.finishNs) << at;
    EXPECT_LE(r.finishNs, n * ref.finishNs + r.quantumNs) << at;
    EXPECT_GE(r.meanLatencyNs, 0.99 * ref.meanLatencyNs) << at;
    EXPECT_LE(r.meanLatencyNs, n * ref.meanLatencyNs + (n - 1) * kThink.to_seconds() * 1e9) << at;
  }
}

TEST(TemporalDecoupling, HbmFastOneInitiatorLosesNothingAtAnyQuantum) {
  checkAndPrint("hbm_stack fast, random 64 B reads", 1, runReplicas(true, 1));
}

TEST(TemporalDecoupling, D2dLinkOneInitiatorLosesNothingAtAnyQuantum) {
  checkAndPrint("d2d_link A->B + 10 ns sink, random 256 B writes", 1, runReplicas(false, 1));
}

TEST(TemporalDecoupling, HbmFastTwoInitiatorsOffOnlyByPseudoChannelCollisions) {
  checkAndPrint("hbm_stack fast, random 64 B reads", 2, runReplicas(true, 2),
                hbmCollisionBoundNs(2));
}

TEST(TemporalDecoupling, D2dLinkTwoInitiatorsBoundedBySerialisationPlusOneQuantum) {
  checkAndPrint("d2d_link A->B + 10 ns sink, random 256 B writes", 2, runReplicas(false, 2));
}

}  // namespace
}  // namespace chipletsim::test
