// A small user virtual platform that embeds chipletsim models from the installed package:
//
//   cpu ── decoder ─┬─ [0, 1 GiB)      local HBM3 stack (hbm::HbmStack from its C++ spec)
//                   ├─ [1 GiB, 2 GiB)  D2D link (a_in ─► b_out) ─► the other die's HBM3 stack
//                   └─ [2 GiB, 3 GiB)  2x2 mesh NoC (cpu_in ─► mem_out) ─► on-chip SRAM
//
// The CPU and the address decoder are the user's own; the HBM stacks, the D2D link, the NoC
// and the SRAM-like TrafficSink come from chipletsim. It prints per-region request counts
// and latencies and a few model stats, and exits 0 when every request got an OK response.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>

#include <systemc>
#include <tlm>

#include "AddressDecoder.h"
#include "Cpu.h"
#include "common/Errors.h"
#include "common/StatGroup.h"
#include "common/Units.h"
#include "d2d/TrafficSink.h"
#include "hbm/HbmStack.h"
#include "noc/NocModule.h"
#include "platforms/Embed.h"

namespace cs = chipletsim;

namespace {

constexpr std::uint64_t kGiB = 1ull << 30;

// YAML fragments: each number either comes from a shipped preset (named by `preset:` or
// `packaging:`, whose files cite their sources) or is a choice of this example platform.
const char* kHbm = "{preset: hbm3, fidelity: fast}";
const char* kLink = R"({packaging: cowos-s, shoreline: "2 mm", data_rate: "32 GT/s",
    flit_format: 68b, protocol_header: "16 B", channel_length: "2 mm", rx_buffer: "64 KiB",
    bit_error_rate: 1e-15, seed: 1})";
const char* kNoc = R"({topology: mesh, dim_x: 2, dim_y: 2, clock: "2 GHz", flit_size: "32 B",
    router_pipeline_cycles: 2, link_delay_cycles: 1, virtual_channels: 2, buffer_depth_flits: 4,
    endpoints: [{name: cpu, role: compute, router: 0},
                {name: mem, role: memory, router: 3, address_base: "0 GiB",
                 address_size: "1 GiB"}]})";

double statValue(const cs::StatGroup& g, const char* path) {
  const cs::StatValue* v = g.lookup(path);
  return v ? v->value : -1.0;
}

int runPlatform() {
  // 1 us quantum: the CPU runs ahead of the kernel by up to 1 us (temporal decoupling).
  tlm::tlm_global_quantum::instance().set(sc_core::sc_time(1, sc_core::SC_US));

  Cpu cpu("cpu",
          {{"local_hbm", 0, kGiB, 0.6},
           {"remote_hbm_via_d2d", kGiB, kGiB, 0.25},
           {"sram_via_noc", 2 * kGiB, kGiB, 0.15}},
          /*requests=*/5000, /*bytes=*/64, /*readShare=*/0.7, sc_core::sc_time(2, sc_core::SC_NS),
          /*seed=*/42);
  AddressDecoder decoder("decoder");
  cpu.out.bind(decoder.in);

  // From a C++ spec (here decoded from a fragment; it could be filled field by field).
  const cs::hbm::HbmSpec hbmSpec = cs::hbmSpecFromYaml(kHbm);
  cs::hbm::HbmStack localHbm("local_hbm", hbmSpec);
  cs::hbm::HbmStack remoteHbm("remote_hbm", hbmSpec);
  // Through the generic instance API: a Component with named TLM ports.
  std::unique_ptr<cs::Component> link = cs::decodeInstance("d2d_link", kLink)->build("d2d");
  cs::noc::NocModule noc("noc", cs::nocSpecFromYaml(kNoc));
  cs::d2d::TrafficSink sram("sram", cs::nanoseconds(5));  // example choice: 5 ns SRAM

  decoder.map(0, kGiB);
  decoder.out.bind(localHbm.in);
  decoder.map(kGiB, kGiB);
  decoder.out.bind(*link->targetPort("a_in"));
  link->initiatorPort("b_out")->bind(remoteHbm.in);
  decoder.map(2 * kGiB, kGiB);
  decoder.out.bind(noc.in(cs::noc::EndpointId(0)));
  noc.out(cs::noc::EndpointId(1)).bind(sram.in);

  sc_core::sc_start();

  std::uint64_t requests = 0, errors = 0;
  std::printf("embed: %-20s %9s %7s %16s\n", "region", "requests", "errors", "mean_latency_ns");
  for (std::size_t i = 0; i < cpu.regions().size(); ++i) {
    const Cpu::Stats& s = cpu.stats()[i];
    requests += s.requests;
    errors += s.errors;
    std::printf("embed: %-20s %9llu %7llu %16.2f\n", cpu.regions()[i].name.c_str(),
                static_cast<unsigned long long>(s.requests),
                static_cast<unsigned long long>(s.errors),
                s.requests ? s.latencySumNs / static_cast<double>(s.requests) : 0.0);
  }
  cs::StatGroup linkStats("d2d");
  link->reportStats(linkStats);
  std::printf("embed: simulated %.3f us, %llu requests\n", cpu.finished().to_seconds() * 1e6,
              static_cast<unsigned long long>(requests));
  std::printf("embed: local_hbm completed %llu, mean latency %.2f ns\n",
              static_cast<unsigned long long>(localHbm.completed()), localHbm.latencyNs().mean());
  std::printf("embed: remote_hbm completed %llu, mean latency %.2f ns\n",
              static_cast<unsigned long long>(remoteHbm.completed()), remoteHbm.latencyNs().mean());
  std::printf("embed: d2d unloaded one-way latency %.2f ns, effective bandwidth %.1f GB/s\n",
              statValue(linkStats, "unloaded_latency"),
              statValue(linkStats, "effective_bandwidth") * 1e-9);
  const bool ok = errors == 0 && requests == 5000 &&
                  localHbm.completed() + remoteHbm.completed() + sram.transactions() == requests;
  std::printf("embed: %s\n", ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}

}  // namespace

int sc_main(int, char*[]) {
  // The presets the fragments name live in the installed share/chipletsim/configs.
  setenv("CHIPLETSIM_CONFIG_DIR", EMBED_CHIPLETSIM_CONFIG_DIR, /*overwrite=*/0);
  try {
    return runPlatform();
  } catch (const cs::ConfigError& e) {
    std::fprintf(stderr, "embed: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "embed: %s\n", e.what());
    return 3;
  }
}
