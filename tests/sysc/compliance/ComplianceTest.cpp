// TLM-2.0 base-protocol compliance of every model, in LT (b_transport) and AT (nb_transport):
// a ComplianceInitiator drives the model through a ProtocolChecker (IEEE 1666-2011 ch. 15-16
// rules), and models that forward requests (D2D link, NoC) reach their sink through a second
// checker that judges them as initiators; each TEST checks one rule for one model and mode, and
// also that the rule was exercised at all. Where a model stores data, "honoured" is checked on the
// data read back.

#include <gtest/gtest.h>

#include <string>

#include "ComplianceBench.h"

namespace chipletsim::test {
namespace {

class Compliance : public ::testing::TestWithParam<Case> {
 protected:
  void runScript() {
    m_script = complianceScript();
    m_bench = std::make_unique<ComplianceBench>(GetParam(), m_script);
    m_bench->run();
    ASSERT_TRUE(m_bench->initiator().done()) << "script did not finish within 1 ms";
  }
  void expectRule(Rule r) {
    const ProtocolChecker& c = m_bench->checker();
    EXPECT_GT(c.checks(r), 0u) << ruleName(r) << " was never exercised";
    for (const std::string& v : c.violations(r)) ADD_FAILURE() << ruleName(r) << ": " << v;
    // The model as an initiator towards what sits behind it (D2D, NoC).
    if (const ProtocolChecker* far = m_bench->farChecker()) {
      for (const std::string& v : far->violations(r))
        ADD_FAILURE() << ruleName(r) << " (model as initiator): " << v;
    }
  }
  const ScriptedResult& result(std::size_t i) const { return m_bench->initiator().results()[i]; }
  std::size_t find(ScriptedRequest::Kind kind, tlm::tlm_command cmd, std::uint64_t addr,
                   std::size_t from = 0) const {
    for (std::size_t i = from; i < m_script.size(); ++i)
      if (m_script[i].kind == kind && m_script[i].command == cmd && m_script[i].address == addr)
        return i;
    return m_script.size();
  }

  std::vector<ScriptedRequest> m_script;
  std::unique_ptr<ComplianceBench> m_bench;
};

using K = ScriptedRequest::Kind;

TEST_P(Compliance, ResponseStatusSetByTargetNeverIncomplete) {
  runScript();
  expectRule(Rule::kResponseStatus);
  if (const ProtocolChecker* far = m_bench->farChecker()) {
    EXPECT_GT(far->checks(Rule::kResponseStatus), 0u) << "nothing reached the far side";
  }
  for (std::size_t i = 0; i < m_script.size(); ++i) {
    if (m_script[i].kind != K::kTransport) continue;
    EXPECT_NE(result(i).status, tlm::TLM_INCOMPLETE_RESPONSE) << "request " << i;
  }
}

TEST_P(Compliance, TimingAnnotationNeverCompletesBeforeIssue) {
  runScript();
  expectRule(Rule::kTimingAnnotation);
  for (std::size_t i = 0; i < m_script.size(); ++i) EXPECT_GE(result(i).done, result(i).issued);
}

TEST_P(Compliance, ByteEnablesHonouredOrRefusedWithByteEnableError) {
  runScript();
  expectRule(Rule::kByteEnables);
  const std::size_t plain = find(K::kTransport, tlm::TLM_WRITE_COMMAND, 0x1000);
  const std::size_t masked = plain + 1;
  const std::size_t readBack = find(K::kTransport, tlm::TLM_READ_COMMAND, 0x1000);
  const auto st = result(masked).status;
  EXPECT_TRUE(st == tlm::TLM_OK_RESPONSE || st == tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
  if (storesData(GetParam().model) && st == tlm::TLM_OK_RESPONSE) {
    // Enabled bytes take the masked write's data, disabled ones keep the first write's.
    const auto& be = m_script[masked].byteEnables;
    for (unsigned b = 0; b < 64; ++b) {
      const unsigned char want = be[b % be.size()] ? static_cast<unsigned char>(0x80 + b)
                                                   : static_cast<unsigned char>(0x10 + b);
      EXPECT_EQ(result(readBack).data[b], want) << "byte " << b;
    }
  }
}

TEST_P(Compliance, StreamingWidthHonouredOrRefusedWithBurstError) {
  runScript();
  expectRule(Rule::kStreamingWidth);
  const std::size_t w = find(K::kTransport, tlm::TLM_WRITE_COMMAND, 0x2000);
  const auto st = result(w).status;
  EXPECT_TRUE(st == tlm::TLM_OK_RESPONSE || st == tlm::TLM_BURST_ERROR_RESPONSE);
  if (storesData(GetParam().model) && st == tlm::TLM_OK_RESPONSE) {
    // Four 16-byte beats to the same 16 bytes: the last beat stays.
    const std::size_t r = find(K::kTransport, tlm::TLM_READ_COMMAND, 0x2000);
    for (unsigned b = 0; b < 16; ++b) EXPECT_EQ(result(r).data[b], 0x40 + 48 + b) << "byte " << b;
  }
}

TEST_P(Compliance, PayloadFieldsTheTargetMustNotTouchAreUntouched) {
  runScript();
  expectRule(Rule::kPayloadFields);
}

TEST_P(Compliance, WritesReadBackWhereTheModelStoresData) {
  runScript();
  for (unsigned i = 0; i < 16; ++i) {
    const std::size_t r = find(K::kTransport, tlm::TLM_READ_COMMAND, i * 64);
    ASSERT_LT(r, m_script.size());
    EXPECT_EQ(result(r).status, tlm::TLM_OK_RESPONSE);
    if (!storesData(GetParam().model)) continue;
    for (unsigned b = 0; b < 64; ++b)
      EXPECT_EQ(result(r).data[b], static_cast<unsigned char>(i * 3 + b)) << "line " << i;
  }
}

TEST_P(Compliance, TransportDbgMovesAtMostLengthBytesAndLeavesFieldsAlone) {
  runScript();
  expectRule(Rule::kTransportDbg);
  const std::size_t w = find(K::kDebug, tlm::TLM_WRITE_COMMAND, 0x3000);
  const std::size_t r = find(K::kDebug, tlm::TLM_READ_COMMAND, 0x3000);
  if (storesData(GetParam().model)) {
    EXPECT_EQ(result(w).debugBytes, 64u);
    EXPECT_EQ(result(r).debugBytes, 64u);
    for (unsigned b = 0; b < 64; ++b) EXPECT_EQ(result(r).data[b], 0x20 + b);
  }
}

TEST_P(Compliance, DmiGrantedWithAValidRegionOrRefused) {
  runScript();
  expectRule(Rule::kDmi);
}

TEST_P(Compliance, EveryTransactionEnds) {
  runScript();
  expectRule(Rule::kTransactionsComplete);
  for (std::size_t i = 0; i < m_script.size(); ++i) EXPECT_TRUE(result(i).finished) << i;
}

// Phase rules exist in AT only.
using ComplianceAt = Compliance;

TEST_P(ComplianceAt, PhaseSequenceFollowsTheBaseProtocol) {
  runScript();
  expectRule(Rule::kPhaseSequence);
}

TEST_P(ComplianceAt, NoBeginReqBeforeTheEarlierRequestEnded) {
  runScript();
  expectRule(Rule::kRequestExclusion);
}

TEST_P(ComplianceAt, NoBeginRespBeforeTheEarlierResponseEnded) {
  runScript();
  expectRule(Rule::kResponseExclusion);
}

std::vector<Case> allCases(bool withLt) {
  std::vector<Case> v;
  for (Model m : {Model::kHbmBank, Model::kHbmFast, Model::kD2dAtoB, Model::kD2dBtoA, Model::kNoc,
                  Model::kSink}) {
    if (withLt) v.push_back({m, Mode::kLt});
    v.push_back({m, Mode::kAt});
  }
  return v;
}

std::string paramName(const ::testing::TestParamInfo<Case>& info) {
  return caseName(info.param);
}

INSTANTIATE_TEST_SUITE_P(Models, Compliance, ::testing::ValuesIn(allCases(true)), paramName);
INSTANTIATE_TEST_SUITE_P(Models, ComplianceAt, ::testing::ValuesIn(allCases(false)), paramName);

}  // namespace
}  // namespace chipletsim::test
