#pragma once
// A CPU-like loosely-timed initiator: one outstanding request at a time, a think time
// between requests, temporally decoupled through tlm_utils::tlm_quantumkeeper (the global
// quantum). Each request goes to one of the platform's regions, drawn with fixed weights
// from a seeded generator; per-region counts and mean latencies (ns) are kept.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>
#include <systemc>
#include <tlm>

struct Region {
  std::string name;
  std::uint64_t base;  // first byte
  std::uint64_t size;  // bytes
  double weight;       // share of the requests
};

class Cpu : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Cpu);
  tlm_utils::simple_initiator_socket<Cpu> out;

  /// `requests` of `bytes` each, `readShare` of them reads, `think` between them.
  Cpu(sc_core::sc_module_name name, std::vector<Region> regions, int requests, unsigned bytes,
      double readShare, sc_core::sc_time think, std::uint64_t seed);

  struct Stats {
    std::uint64_t requests = 0, errors = 0, bytes = 0;
    double latencySumNs = 0;
  };
  const std::vector<Region>& regions() const { return m_regions; }
  const std::vector<Stats>& stats() const { return m_stats; }
  /// Simulated time when the last response came back.
  sc_core::sc_time finished() const { return m_finished; }

 private:
  void run();

  std::vector<Region> m_regions;
  std::vector<Stats> m_stats;
  int m_requests;
  std::vector<unsigned char> m_data;
  double m_readShare;
  sc_core::sc_time m_think;
  std::mt19937_64 m_rng;
  tlm_utils::tlm_quantumkeeper m_qk;
  sc_core::sc_time m_finished;
};
