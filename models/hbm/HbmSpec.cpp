#include "hbm/HbmSpec.h"

#include <cmath>
#include <sstream>

#include "common/Errors.h"

namespace chipletsim::hbm {

namespace {
bool isPowerOfTwo(std::uint64_t v) {
  return v && !(v & (v - 1));
}
}  // namespace

Bandwidth HbmSpec::peakBandwidth() const {
  return laneBandwidth(org.interfaceWidthBits, org.pinRate);
}

Bandwidth HbmSpec::peakPerPseudoChannel() const {
  return peakBandwidth() / pseudoChannels();
}

std::uint64_t HbmSpec::accessBytes() const {
  const int pcWidth = org.interfaceWidthBits / pseudoChannels();
  return static_cast<std::uint64_t>(pcWidth) * org.burstLength / 8;
}

Duration HbmSpec::burstTime() const {
  return Duration(org.burstLength / org.pinRate.si());
}

std::uint64_t HbmSpec::columnsPerRow() const {
  return static_cast<std::uint64_t>(org.pageSize.si()) / accessBytes();
}

std::uint64_t HbmSpec::rowsPerBank() const {
  const double perBank = org.capacity.si() / pseudoChannels() / banksPerPseudoChannel();
  return static_cast<std::uint64_t>(perBank / org.pageSize.si());
}

void HbmSpec::validate() const {
  auto fail = [&](const std::string& what) { throw SpecError("hbm '" + name + "': " + what); };
  if (org.channels < 1 || org.pseudoChannelsPerChannel < 1) fail("needs at least one channel");
  if (org.bankGroups < 1 || org.banksPerGroup < 1) fail("needs at least one bank");
  if (banksPerPseudoChannel() > 64) fail("at most 64 banks per pseudo-channel are supported");
  if (org.burstLength < 1) fail("burst length must be at least 1");
  if (org.interfaceWidthBits < 1 || org.interfaceWidthBits % pseudoChannels() != 0)
    fail("interface width must divide evenly into pseudo-channels");
  if (!(org.pinRate.si() > 0)) fail("pin rate must be positive");
  if (toTicks(burstTime()) < 1)
    fail("pin rate too high: a burst would last less than the 1 ps simulation time step");
  if (accessBytes() == 0) fail("access granularity is zero bytes");
  if (!isPowerOfTwo(accessBytes())) fail("access granularity must be a power of two bytes");
  const auto page = static_cast<std::uint64_t>(org.pageSize.si());
  if (!isPowerOfTwo(page) || page < accessBytes())
    fail("page size must be a power of two of at least one access");
  if (rowsPerBank() < 1) fail("capacity is smaller than one row per bank");
  const auto il = static_cast<std::uint64_t>(controller.interleave.si());
  if (!isPowerOfTwo(il) || il < accessBytes())
    fail("interleave must be a power of two of at least one access");
  if (controller.queueDepth < 1) fail("queue depth must be at least 1");
  if (controller.starvationCap < 0) fail("starvation cap must not be negative");
  if (controller.writeLowWatermark < 0 ||
      controller.writeHighWatermark < controller.writeLowWatermark)
    fail("write watermarks must satisfy 0 <= low <= high");
  const HbmTiming& t = timing;
  for (Duration d : {t.tRCDRD, t.tRCDWR, t.tRP, t.tRAS, t.tRC, t.tCL, t.tWL, t.tCCDS, t.tCCDL,
                     t.tRRDS, t.tRRDL, t.tFAW, t.tRFCab, t.tRFCpb, t.tREFI})
    if (!(d.si() > 0)) fail("every timing parameter must be positive");
  if (t.tRC < t.tRAS) fail("tRC must be at least tRAS");
  if (toTicks(t.tCCDS) < toTicks(burstTime()))
    fail("tCCD_S shorter than a burst would overlap data on the bus");
  if (refreshNeeded() && t.tREFI <= t.tRFCab) fail("tREFI must exceed tRFC");
  // Between two refreshes the bank is free for tREFI - tRFCab: a command timing longer than
  // that leaves no room for a single access (the controller spun through refreshes forever).
  if (refreshNeeded()) {
    const Duration window = t.tREFI - t.tRFCab;
    for (Duration d :
         {t.tRCDRD, t.tRCDWR, t.tRP, t.tRAS, t.tRC, t.tCL, t.tWL, t.tCCDS, t.tCCDL, t.tRRDS,
          t.tRRDL, t.tFAW, t.tWTRS, t.tWTRL, t.tRTW, t.tWR, t.tRTP, t.tRFCpb, t.tRREFD})
      if (d >= window) {
        std::ostringstream w;
        w << toNs(window);
        fail("every timing parameter must be shorter than the refresh window tREFI - tRFCab (" +
             w.str() + " ns)");
      }
  }
}

bool HbmSpec::refreshNeeded() const {
  return controller.refresh != RefreshMode::kNone;
}

std::string HbmSpec::timingKey() const {
  std::ostringstream s;
  s.precision(17);
  const HbmTimingTicks k = HbmTimingTicks::from(*this);
  s << name << '|' << org.channels << ',' << org.pseudoChannelsPerChannel << ',' << org.bankGroups
    << ',' << org.banksPerGroup << ',' << org.burstLength << ',' << org.interfaceWidthBits << ','
    << org.pinRate.si() << ',' << org.capacity.si() << ',' << org.pageSize.si() << '|';
  for (Tick v :
       {k.rcdRd, k.rcdWr, k.rp,   k.ras, k.rc, k.cl,  k.wl,    k.ccdS,  k.ccdL, k.rrdS,  k.rrdL,
        k.faw,   k.wtrS,  k.wtrL, k.rtw, k.wr, k.rtp, k.rfcAb, k.rfcPb, k.refi, k.rrefd, k.burst})
    s << v << ',';
  const auto& c = controller;
  s << '|' << c.queueDepth << ',' << c.starvationCap << ',' << static_cast<int>(c.pagePolicy) << ','
    << static_cast<int>(c.mapping) << ',' << c.interleave.si() << ',' << c.writeHighWatermark << ','
    << c.writeLowWatermark << ',' << static_cast<int>(c.refresh) << ',' << c.frontendLatency.si();
  return s.str();
}

HbmTimingTicks HbmTimingTicks::from(const HbmSpec& spec) {
  const HbmTiming& t = spec.timing;
  HbmTimingTicks k{};
  k.rcdRd = toTicks(t.tRCDRD);
  k.rcdWr = toTicks(t.tRCDWR);
  k.rp = toTicks(t.tRP);
  k.ras = toTicks(t.tRAS);
  k.rc = toTicks(t.tRC);
  k.cl = toTicks(t.tCL);
  k.wl = toTicks(t.tWL);
  k.ccdS = toTicks(t.tCCDS);
  k.ccdL = toTicks(t.tCCDL);
  k.rrdS = toTicks(t.tRRDS);
  k.rrdL = toTicks(t.tRRDL);
  k.faw = toTicks(t.tFAW);
  k.wtrS = toTicks(t.tWTRS);
  k.wtrL = toTicks(t.tWTRL);
  k.rtw = toTicks(t.tRTW);
  k.wr = toTicks(t.tWR);
  k.rtp = toTicks(t.tRTP);
  k.rfcAb = toTicks(t.tRFCab);
  k.rfcPb = toTicks(t.tRFCpb);
  k.refi = toTicks(t.tREFI);
  k.rrefd = toTicks(t.tRREFD);
  k.burst = toTicks(spec.burstTime());
  return k;
}

const char* toString(PagePolicy p) {
  return p == PagePolicy::kOpen ? "open" : "closed";
}
const char* toString(Fidelity f) {
  return f == Fidelity::kBank ? "bank" : "fast";
}
const char* toString(RefreshMode r) {
  switch (r) {
    case RefreshMode::kAllBank:
      return "all_bank";
    case RefreshMode::kPerBank:
      return "per_bank";
    case RefreshMode::kNone:
      return "none";
  }
  return "?";
}
const char* toString(AddressMapping m) {
  switch (m) {
    case AddressMapping::kRowBankColumnGroup:
      return "row_bank_column_group";
    case AddressMapping::kRowColumnBankGroup:
      return "row_column_bank_group";
    case AddressMapping::kRowBankGroupColumn:
      return "row_bank_group_column";
  }
  return "?";
}

}  // namespace chipletsim::hbm
