#include "PackagingTech.h"

#include <cmath>
#include <sstream>

#include "ConfigPaths.h"
#include "config/Loader.h"
#include "config/Reader.h"

namespace chipletsim {

using config::Limits;
using config::MapReader;
using config::Node;

namespace {

std::string fmt(double v, const char* unit) {
  std::ostringstream os;
  os.precision(4);
  os << v << ' ' << unit;
  return os.str();
}

std::string gtps(BitRate r) {
  return fmt(r.si() * 1e-9, "GT/s");
}

}  // namespace

EnergyPerBit PackagingTech::energyAt(BitRate rate) const {
  for (const auto& band : energy)
    if (rate.si() <= band.maxRate.si() * (1 + 1e-9)) return band.energy;
  return energy.empty() ? EnergyPerBit(0.0) : energy.back().energy;
}

bool PackagingTech::supports(BitRate rate) const {
  for (const auto& r : dataRates)
    if (std::fabs(r.si() - rate.si()) <= 1e-9 * r.si()) return true;
  return false;
}

std::string PackagingTech::rateList() const {
  std::string s;
  for (std::size_t i = 0; i < dataRates.size(); ++i)
    s += (i ? ", " : "") + fmt(dataRates[i].si() * 1e-9, "");
  return s + "GT/s";
}

void PackagingTech::checkDataRate(BitRate rate, const Node& at) const {
  if (!d2d) at.fail("packaging '" + name + "' has no die-to-die links (on-die NoC only)");
  if (!supports(rate))
    at.fail("packaging '" + name + "' does not support " + gtps(rate) +
            "; supported data rates: " + rateList());
}

void PackagingTech::checkReach(Length channel, const Node& at) const {
  if (channel.si() > reach.si() * (1 + 1e-9))
    at.fail("a channel of " + fmt(toMm(channel), "mm") + " exceeds the reach of packaging '" +
            name + "' (" + fmt(toMm(reach), "mm") + ")");
}

ShorelineLink PackagingTech::linkFromShoreline(Length shoreline, BitRate rate, Length dieEdge,
                                               const Node& at) const {
  checkDataRate(rate, at);
  if (dieEdge.si() > 0.0 && shoreline.si() > dieEdge.si() * (1 + 1e-9))
    at.fail("shoreline of " + fmt(toMm(shoreline), "mm") + " is more than the die edge has (" +
            fmt(toMm(dieEdge), "mm") + ")");
  const d2d::ModuleGeometry g = geometry();
  ShorelineLink link;
  link.modules = g.modulesIn(shoreline);
  if (link.modules < 1)
    at.fail("shoreline of " + fmt(toMm(shoreline), "mm") + " holds no module of packaging '" +
            name + "' (a module is " + fmt(toMm(moduleWidth), "mm") + " wide)");
  link.lanesPerModule = lanesPerModule;
  link.shorelineUsed = moduleWidth * link.modules;
  link.rawPerDirection = g.moduleBandwidth(rate) * link.modules;
  return link;
}

void PackagingTech::checkHbm(int stacks, const Node& at) const {
  if (stacks > 0 && !hbmAttach)
    at.fail("packaging '" + name +
            "' cannot carry HBM (HBM needs interposer- or bridge-class "
            "wiring)");
  if (stacks > maxHbmSites)
    at.fail(std::to_string(stacks) + " HBM stacks exceed the " + std::to_string(maxHbmSites) +
            " sites of packaging '" + name + "'");
}

void PackagingTech::checkInterposerArea(Area area, const Node& at) const {
  if (area.si() > maxArea.si() * (1 + 1e-9))
    at.fail("an interposer/package of " + fmt(toMm2(area), "mm2") + " (" +
            fmt(area / reticleArea, "reticles") + ") exceeds the " + fmt(maxReticles, "") +
            "reticle (" + fmt(toMm2(maxArea), "mm2") + ") limit of packaging '" + name + "'");
}

void PackagingTech::describe(Summary& out) const {
  out.add("max_area", toMm2(maxArea), "mm2");
  out.add("max_reticles", maxReticles, "reticles");
  out.add("max_hbm_sites", hbmAttach ? maxHbmSites : 0, "count");
  if (!d2d) return;
  const d2d::ModuleGeometry g = geometry();
  out.add("module_bw_per_dir_at_min_rate", g.moduleBandwidth(dataRates.front()).si(), "B/s");
  out.add("module_bw_per_dir_at_max_rate", g.moduleBandwidth(dataRates.back()).si(), "B/s");
  out.add("density_bidir_at_min_rate", g.bidirectionalDensity(dataRates.front()) * 1e-9 * 1e-3,
          "GB/s/mm");
  out.add("density_bidir_at_max_rate", g.bidirectionalDensity(dataRates.back()) * 1e-9 * 1e-3,
          "GB/s/mm");
  out.add("reach", toMm(reach), "mm");
  out.add("energy_per_bit_at_max_rate", energyAt(dataRates.back()).si() * 1e12, "pJ/bit");
}

PackagingTech decodePackagingTech(const Node& n) {
  MapReader r(n);
  PackagingTech t;
  t.name = r.required<std::string>("name");
  t.description = r.optional<std::string>("description", "");
  t.d2d = r.optional<bool>("d2d", true);
  if (t.d2d) {
    t.bumpPitch = r.required<Length>("bump_pitch", Limits::positive());
    t.lanesPerModule = r.required<int>("lanes_per_module", Limits::atLeast(1));
    t.redundantLanesPerModule =
        r.optional<int>("redundant_lanes_per_module", 0, Limits::nonNegative());
    t.moduleWidth = r.required<Length>("module_width", Limits::positive());
    t.moduleDepth = r.optional<Length>("module_depth", Length(0.0), Limits::nonNegative());
    const Node& rates = r.requiredChild("data_rates");
    if (!rates.isSequence() || rates.items().empty()) rates.expected("a list of data rates");
    for (const Node& item : rates.items()) {
      BitRate rate;
      config::decode(item, rate);
      Limits::positive().check(item, rate.si());
      if (!t.dataRates.empty() && !(rate > t.dataRates.back()))
        item.fail("data rates must be listed in ascending order");
      t.dataRates.push_back(rate);
    }
    t.reach = r.required<Length>("reach", Limits::nonNegative());
    const Node& bands = r.requiredChild("energy_per_bit");
    if (!bands.isSequence() || bands.items().empty())
      bands.expected("a list of {max_rate: ..., energy: ...}");
    for (const Node& item : bands.items()) {
      MapReader br(item);
      PackagingTech::EnergyBand b{br.required<BitRate>("max_rate", Limits::positive()),
                                  br.required<EnergyPerBit>("energy", Limits::positive())};
      br.finish();
      if (!t.energy.empty() && !(b.maxRate > t.energy.back().maxRate))
        item.fail("energy bands must be listed in ascending max_rate");
      t.energy.push_back(b);
    }
    if (t.energy.back().maxRate < t.dataRates.back())
      bands.fail("the energy bands end below the highest data rate (" + gtps(t.dataRates.back()) +
                 ")");
    t.adapterPhyLatency = r.required<Duration>("adapter_phy_latency", Limits::nonNegative());
    t.dielectricConstant = r.required<double>("dielectric_constant", Limits::atLeast(1.0));
  }
  t.reticleArea = r.required<Area>("reticle_area", Limits::positive());
  t.maxReticles = r.required<double>("max_reticles", Limits::positive());
  t.maxArea = t.reticleArea * t.maxReticles;
  t.hbmAttach = r.required<bool>("hbm_attach");
  t.maxHbmSites = r.required<int>("max_hbm_sites", Limits::nonNegative());
  if (!t.hbmAttach && t.maxHbmSites > 0)
    r.requiredChild("max_hbm_sites").fail("HBM sites on a packaging that cannot carry HBM");
  t.defectDensity = r.required<DefectDensity>("defect_density", Limits::nonNegative());
  t.yieldAlpha = r.required<double>("yield_alpha", Limits::positive());
  t.bondingYield = r.required<double>("bonding_yield", Limits{0.0, 1.0, true});
  t.interposerAreaFactor = r.required<double>("interposer_area_factor", Limits::atLeast(1.0));
  t.costPerMm2 = r.required<Money>("cost_per_mm2", Limits::nonNegative());
  r.finish();
  return t;
}

PackagingTech loadPackagingTech(const Node& at) {
  const std::string file = resolvePreset("packaging", at);
  return decodePackagingTech(config::loadFile(file));
}

}  // namespace chipletsim
