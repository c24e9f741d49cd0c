// Speed of the D2D link model: simulated traffic per wall-clock second on one core.
//
//   bench_d2d [--size BYTES] [--count N] [--mode lt|at] [--outstanding K] [--read]
//
// One simulation per process (the SystemC kernel cannot restart). The link is UCIe-A x64 x 4
// modules at 32 GT/s with 68 B flits and BER 1e-15, the far end a fixed-latency sink; the
// initiator streams `count` transactions of `size` bytes. Target (issue 4): >= 1 TB of
// simulated traffic per wall-second at 1 MiB-class transactions.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "LinkTestInitiator.h"
#include "d2d/D2dLink.h"
#include "d2d/TrafficSink.h"

using namespace chipletsim;

int sc_main(int argc, char* argv[]) {
  d2d::test::LinkTestInitiator::Params p;
  p.size = 1 << 20;
  p.count = 200000;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::strtoull(argv[++i], nullptr, 10) : 0ull; };
    if (a == "--size")
      p.size = static_cast<unsigned>(next());
    else if (a == "--count")
      p.count = next();
    else if (a == "--outstanding")
      p.outstanding = static_cast<unsigned>(next());
    else if (a == "--read")
      p.write = false;
    else if (a == "--mode")
      p.at = i + 1 < argc && std::strcmp(argv[++i], "at") == 0;
    else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  d2d::D2dLinkSpec s;
  s.modules = 4;
  s.lanesPerModule = 64;
  s.redundantLanesPerModule = 4;
  s.dataRate = gigabitsPerSecond(32);
  s.flitFormat = d2d::FlitFormat::kFlit68;
  s.headerBytes = 16;
  s.adapterPhyLatency = nanoseconds(1);
  s.channelLength = millimetres(2);
  s.dielectricConstant = 3.9;
  s.rxBufferBytes = 1 << 16;
  s.bitErrorRate = 1e-15;
  s.energyPerBit = picojoulesPerBit(0.3);

  d2d::D2dLink link("link", s);
  d2d::test::LinkTestInitiator gen("gen", p);
  d2d::TrafficSink sink("sink", nanoseconds(10));
  gen.out.bind(link.a_in);
  link.b_out.bind(sink.in);

  sc_core::sc_start(sc_core::SC_ZERO_TIME);  // elaboration and start-up, not timed
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  sc_core::sc_start();
  const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double bytes = static_cast<double>(p.count) * p.size;
  const double simulated = sc_core::sc_time_stamp().to_seconds();
  std::printf(
      "{\"mode\": \"%s\", \"size_bytes\": %u, \"transactions\": %llu, \"wall_s\": %.4f, "
      "\"simulated_s\": %.6e, \"simulated_bytes_per_wall_s\": %.4e, \"cpu_s\": %.4f, "
      "\"simulated_bytes_per_cpu_s\": %.4e, \"achieved_GBps\": %.2f, "
      "\"efficiency\": %.4f, \"transactions_per_wall_s\": %.4e}\n",
      p.at ? "at" : "lt", p.size, static_cast<unsigned long long>(p.count), wall, simulated,
      bytes / wall, cpu, bytes / cpu, toGBps(link.achievedBandwidth(p.write ? 0 : 1)),
      link.achievedBandwidth(p.write ? 0 : 1) / s.rawBandwidth(),
      static_cast<double>(p.count) / wall);
  return 0;
}
