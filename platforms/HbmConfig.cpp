#include "HbmConfig.h"

#include "config/Reader.h"
#include "hbm/HbmStack.h"

namespace chipletsim {

using config::Limits;
using config::MapReader;
using config::Node;

namespace {

const config::EnumTable<hbm::Fidelity> kFidelities{{
    {"bank", hbm::Fidelity::kBank},
    {"fast", hbm::Fidelity::kFast},
}};
const config::EnumTable<hbm::PagePolicy> kPagePolicies{{
    {"open", hbm::PagePolicy::kOpen},
    {"closed", hbm::PagePolicy::kClosed},
}};
const config::EnumTable<hbm::RefreshMode> kRefreshModes{{
    {"all_bank", hbm::RefreshMode::kAllBank},
    {"per_bank", hbm::RefreshMode::kPerBank},
    {"none", hbm::RefreshMode::kNone},
}};
const config::EnumTable<hbm::AddressMapping> kMappings{{
    {"row_bank_column_group", hbm::AddressMapping::kRowBankColumnGroup},
    {"row_column_bank_group", hbm::AddressMapping::kRowColumnBankGroup},
    {"row_bank_group_column", hbm::AddressMapping::kRowBankGroupColumn},
}};

class HbmComponent : public Component {
 public:
  HbmComponent(const std::string& name, const hbm::HbmSpec& spec) : m_stack(name.c_str(), spec) {}
  tlm::tlm_target_socket<>* targetPort(const std::string& port) override {
    return port == "in" ? &m_stack.in : nullptr;
  }
  std::uint64_t addressSpan(const std::string& port) const override {
    return port == "in" ? m_stack.capacityBytes() : 0;
  }
  void reportStats(StatGroup& group) const override { m_stack.reportStats(group); }

 private:
  hbm::HbmStack m_stack;
};

class HbmInstanceSpec : public InstanceSpec {
 public:
  hbm::HbmSpec spec;

  std::unique_ptr<Component> build(const std::string& name) const override {
    return std::make_unique<HbmComponent>(name, spec);
  }
  void describe(Summary& out) const override {
    const hbm::HbmTimingTicks t = hbm::HbmTimingTicks::from(spec);
    out.label("fidelity", hbm::toString(spec.fidelity));
    out.add("peak_bandwidth", spec.peakBandwidth().si(), "B/s");
    out.add("capacity", spec.org.capacity.si(), "B");
    out.add("pseudo_channels", spec.pseudoChannels(), "count");
    out.add("peak_per_pseudo_channel", spec.peakPerPseudoChannel().si(), "B/s");
    out.add("access_granularity", static_cast<double>(spec.accessBytes()), "B");
    out.add("rows_per_bank", static_cast<double>(spec.rowsPerBank()), "count");
    const double unloaded =
        toNs(fromTicks(t.rcdRd + t.cl + t.burst)) + 2 * toNs(spec.controller.frontendLatency);
    out.add("unloaded_read_latency", unloaded, "ns");
    if (spec.refreshNeeded())
      out.add("refresh_overhead", spec.timing.tRFCab / spec.timing.tREFI, "1");
  }
};

void decodeOrganisation(const Node& n, hbm::HbmOrganisation& o) {
  MapReader r(n);
  o.channels = r.required<int>("channels", Limits::atLeast(1));
  o.pseudoChannelsPerChannel = r.required<int>("pseudo_channels_per_channel", Limits::atLeast(1));
  o.bankGroups = r.required<int>("bank_groups", Limits::atLeast(1));
  o.banksPerGroup = r.required<int>("banks_per_group", Limits::atLeast(1));
  o.burstLength = r.required<int>("burst_length", Limits::atLeast(1));
  o.interfaceWidthBits = r.required<int>("interface_width", Limits::atLeast(1));
  o.pinRate = r.required<BitRate>("pin_rate", Limits::positive());
  o.capacity = r.required<DataSize>("capacity", Limits::positive());
  o.pageSize = r.required<DataSize>("page_size", Limits::positive());
  r.finish();
}

void decodeTiming(const Node& n, hbm::HbmTiming& t) {
  MapReader r(n);
  const Limits pos = Limits::positive();
  const Limits nonNeg = Limits::nonNegative();
  t.tRCDRD = r.required<Duration>("t_rcd_rd", pos);
  t.tRCDWR = r.required<Duration>("t_rcd_wr", pos);
  t.tRP = r.required<Duration>("t_rp", pos);
  t.tRAS = r.required<Duration>("t_ras", pos);
  t.tRC = r.required<Duration>("t_rc", pos);
  t.tCL = r.required<Duration>("t_cl", pos);
  t.tWL = r.required<Duration>("t_wl", pos);
  t.tCCDS = r.required<Duration>("t_ccd_s", pos);
  t.tCCDL = r.required<Duration>("t_ccd_l", pos);
  t.tRRDS = r.required<Duration>("t_rrd_s", pos);
  t.tRRDL = r.required<Duration>("t_rrd_l", pos);
  t.tFAW = r.required<Duration>("t_faw", pos);
  t.tWTRS = r.required<Duration>("t_wtr_s", nonNeg);
  t.tWTRL = r.required<Duration>("t_wtr_l", nonNeg);
  t.tRTW = r.required<Duration>("t_rtw", nonNeg);
  t.tWR = r.required<Duration>("t_wr", nonNeg);
  t.tRTP = r.required<Duration>("t_rtp", nonNeg);
  t.tRFCab = r.required<Duration>("t_rfc_ab", pos);
  t.tRFCpb = r.required<Duration>("t_rfc_pb", pos);
  t.tREFI = r.required<Duration>("t_refi", pos);
  t.tRREFD = r.required<Duration>("t_rrefd", nonNeg);
  r.finish();
}

void decodeEnergy(const Node& n, hbm::HbmEnergy& e) {
  MapReader r(n);
  e.activate = r.required<Energy>("activate", Limits::nonNegative());
  e.read = r.required<EnergyPerBit>("read", Limits::nonNegative());
  e.write = r.required<EnergyPerBit>("write", Limits::nonNegative());
  e.io = r.required<EnergyPerBit>("io", Limits::nonNegative());
  e.refreshAllBank = r.required<Energy>("refresh_all_bank", Limits::nonNegative());
  r.finish();
}

void decodeController(const Node& n, hbm::HbmControllerOptions& c) {
  MapReader r(n);
  c.queueDepth = r.optional<int>("queue_depth", c.queueDepth, Limits::atLeast(1));
  c.starvationCap = r.optional<int>("starvation_cap", c.starvationCap, Limits::nonNegative());
  c.pagePolicy = r.optionalEnum("page_policy", kPagePolicies, c.pagePolicy);
  c.mapping = r.optionalEnum("address_mapping", kMappings, c.mapping);
  c.interleave = r.optional<DataSize>("interleave", c.interleave, Limits::positive());
  c.writeHighWatermark =
      r.optional<int>("write_high_watermark", c.writeHighWatermark, Limits::nonNegative());
  c.writeLowWatermark =
      r.optional<int>("write_low_watermark", c.writeLowWatermark, Limits::nonNegative());
  c.refresh = r.optionalEnum("refresh", kRefreshModes, c.refresh);
  c.frontendLatency =
      r.optional<Duration>("frontend_latency", c.frontendLatency, Limits::nonNegative());
  r.finish();
}

}  // namespace

hbm::HbmSpec decodeHbmSpec(const Node& params) {
  MapReader r(params);
  hbm::HbmSpec s;
  s.name = r.optional<std::string>("name", "hbm");
  r.ignore("description");
  decodeOrganisation(r.requiredChild("organisation"), s.org);
  decodeTiming(r.requiredChild("timing"), s.timing);
  decodeEnergy(r.requiredChild("energy"), s.energy);
  if (const Node* c = r.child("controller")) decodeController(*c, s.controller);
  s.fidelity = r.optionalEnum("fidelity", kFidelities, hbm::Fidelity::kBank);
  s.functionalStorage = r.optional<bool>("functional_storage", false);
  s.baseAddress = r.optional<std::uint64_t>("base_address", 0);
  r.finish();
  s.validate();  // SpecError: the platform loader names the instance
  return s;
}

std::unique_ptr<InstanceSpec> decodeHbmStack(const Node& params) {
  auto out = std::make_unique<HbmInstanceSpec>();
  out->spec = decodeHbmSpec(params);
  return out;
}

ComponentKind hbmStackKind() {
  return {"hbm_stack", "memory",
          "HBM stack: TLM target `in`, bank-level FR-FCFS controllers or calibrated fast mode",
          &decodeHbmStack};
}

}  // namespace chipletsim
