#pragma once
// One model under test behind a ProtocolChecker, driven by a ComplianceInitiator; models are
// built through the embedding API (platforms/Embed.h) exactly as an outside virtual platform
// builds them.

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "ComplianceInitiator.h"
#include "ProtocolChecker.h"
#include "d2d/TrafficSink.h"
#include "platforms/Component.h"

namespace chipletsim::test {

enum class Model { kHbmBank, kHbmFast, kD2dAtoB, kD2dBtoA, kNoc, kSink };

struct Case {
  Model model;
  Mode mode;
};
std::string caseName(const Case& c);
/// Lets GoogleTest print a Case by name (test names and messages).
inline void PrintTo(const Case& c, std::ostream* os) {
  *os << caseName(c);
}

/// The YAML fragment the bench builds `m` from (kinds hbm_stack, d2d_link, noc; "" for
/// the sink).
const char* fixtureYaml(Model m);

/// True when the model keeps the data written to it (reads and debug reads return it).
bool storesData(Model m);

/// The script every compliance test runs: writes and reads (64 B and 256 B), byte-enabled
/// and streaming writes with read-backs, debug write/read, DMI probes. Addresses from 0.
std::vector<ScriptedRequest> complianceScript();

class ComplianceBench {
 public:
  ComplianceBench(const Case& c, std::vector<ScriptedRequest> script);
  ~ComplianceBench();
  /// Runs until the script finished (or `limit` of simulated time), then checker.finish().
  void run(sc_core::sc_time limit = sc_core::sc_time(1, sc_core::SC_MS));

  ComplianceInitiator& initiator() { return *m_initiator; }
  ProtocolChecker& checker() { return *m_checker; }
  /// The checker between the model's initiator socket and the sink behind it (D2D, NoC), or
  /// nullptr for models that initiate nothing.
  ProtocolChecker* farChecker() { return m_farChecker.get(); }

 private:
  std::unique_ptr<ComplianceInitiator> m_initiator;
  std::unique_ptr<ProtocolChecker> m_checker;
  std::unique_ptr<ProtocolChecker> m_farChecker;
  std::unique_ptr<Component> m_model;
  std::unique_ptr<d2d::TrafficSink> m_sink;
};

}  // namespace chipletsim::test
