#include "CostModel.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>

#include "ConfigPaths.h"
#include "common/Errors.h"
#include "config/Loader.h"
#include "config/Reader.h"

namespace chipletsim {

using config::Limits;
using config::MapReader;

namespace {

constexpr double kPi = 3.14159265358979323846;

std::string presetFile(const std::string& category, const std::string& name) {
  const auto p = std::filesystem::path(configRoot()) / category / (name + ".yaml");
  std::error_code ec;
  if (std::filesystem::is_regular_file(p, ec)) return p.string();
  std::string list;
  for (const auto& k : listPresets(category)) list += (list.empty() ? "" : ", ") + k;
  throw ConfigError("no " + category + " preset '" + name +
                    "'; shipped: " + (list.empty() ? "none" : list));
}

// "5nm", "5 nm", "N5", "n5" -> "n5"; other names are kept.
std::string processFileName(const std::string& name) {
  std::string digits, letters;
  for (char c : name) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
    } else if (c != ' ') {
      letters += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (!digits.empty() && (letters == "nm" || letters == "n")) return "n" + digits;
  return name;
}

}  // namespace

double CostModel::negativeBinomialYield(DefectDensity d0, Area area, double alpha) {
  if (!(alpha > 0.0)) throw InternalError("negative-binomial alpha must be positive");
  return std::pow(1.0 + d0.si() * area.si() / alpha, -alpha);
}

double CostModel::diesPerWafer(Area die, Length waferDiameter, Length scribe, Length edgeLoss) {
  const double side = std::sqrt(die.si()) + scribe.si();
  const double as = side * side;
  const double d = waferDiameter.si(), e = edgeLoss.si();
  const double r = d / 2.0 - e;
  if (r <= 0.0 || side > 2.0 * r) return 0.0;
  const double n = kPi * r * r / as - kPi * (d - 2.0 * e) / std::sqrt(2.0 * as);
  return std::max(0.0, n);
}

DieCost CostModel::dieCost(const ProcessNode& node, Area area) const {
  DieCost c;
  c.area = area;
  c.yield = negativeBinomialYield(node.defectDensity, area, node.yieldAlpha);
  c.diesPerWafer = diesPerWafer(area, node.waferDiameter, node.scribeWidth, node.edgeLoss);
  if (c.diesPerWafer <= 0.0)
    throw ConfigError("a " + std::to_string(toMm2(area)) + " mm2 die does not fit on a " +
                      std::to_string(toMm(node.waferDiameter)) + " mm wafer of " + node.name);
  c.rawCost = node.waferCost / c.diesPerWafer;
  c.kgdCost = c.rawCost / c.yield;
  return c;
}

PackageCost CostModel::packageCost(const PackageInput& in) const {
  if (in.dies.empty()) throw ConfigError("a package needs at least one die to be costed");
  const AssemblyParams& a = m_assembly;
  const PackagingTech& t = in.tech;
  PackageCost p;
  Area dieArea;
  int dies = 0;
  for (const auto& d : in.dies) {
    DieCost c = dieCost(d.node, d.area);
    c.name = d.name;
    c.count = d.count;
    p.dieCost += c.kgdCost * d.count;
    dieArea += d.area * d.count;
    dies += d.count;
    p.dies.push_back(std::move(c));
  }
  for (const auto& stack : in.hbm) p.hbmCost += hbmStackCost(stack);
  // An interposer (silicon or RDL) is a yielded layer made on wafers and tested before
  // assembly; without one the "interposer" is the package substrate itself.
  p.hasInterposer = t.defectDensity.si() > 0.0;
  p.interposerArea = dieArea * t.interposerAreaFactor;
  const Money raw = t.costPerMm2 * toMm2(p.interposerArea);
  if (p.hasInterposer) {
    p.interposerYield = negativeBinomialYield(t.defectDensity, p.interposerArea, t.yieldAlpha);
    p.interposerCost = raw / p.interposerYield;
    p.substrateCost = a.substrateCostPerMm2 * (toMm2(p.interposerArea) * a.substrateAreaFactor);
    p.interposersPerWafer = diesPerWafer(p.interposerArea, a.interposerWaferDiameter,
                                         a.interposerScribeWidth, a.interposerEdgeLoss);
    p.packagesPerInterposerWafer = p.interposersPerWafer * p.interposerYield;
  } else {
    p.interposerCost = raw;
  }
  p.bondedChips = dies + in.hbmStacks();
  const bool fine = t.bumpPitch < a.finePitchBelow;  // monolithic (no D2D pitch) counts as fine
  p.assemblyCost =
      (fine ? a.siliconAssemblyCostPerDie : a.organicAssemblyCostPerDie) * p.bondedChips;
  p.assemblyYield =
      std::pow(t.bondingYield, p.bondedChips) * (p.hasInterposer ? a.substrateBondingYield : 1.0);
  const Money before = p.dieCost + p.hbmCost + p.interposerCost + p.substrateCost + p.assemblyCost;
  p.packageCost = before / p.assemblyYield;
  return p;
}

Money HbmPrices::pricePerGib(const std::string& generation) const {
  std::string list;
  for (const auto& [gen, price] : perGib) {
    if (gen == generation) return price;
    list += (list.empty() ? "" : ", ") + gen;
  }
  throw ConfigError("no HBM price for generation '" + generation +
                    "' in configs/cost/hbm.yaml; priced: " + (list.empty() ? "none" : list));
}

Money CostModel::hbmStackCost(const PackageHbmStack& stack) const {
  return m_hbm.pricePerGib(stack.generation) * (stack.capacity.si() / 1073741824.0);
}

void PackageCost::describe(Summary& out) const {
  for (const auto& d : dies) {
    out.add(d.name + ".die_area", toMm2(d.area), "mm2");
    out.add(d.name + ".count", d.count, "count");
    out.add(d.name + ".die_yield", d.yield, "1");
    out.add(d.name + ".dies_per_wafer", d.diesPerWafer, "count");
    out.add(d.name + ".kgd_cost", d.kgdCost.si(), "$");
  }
  out.add("die_cost", dieCost.si(), "$");
  out.add("hbm_cost", hbmCost.si(), "$");
  out.add(hasInterposer ? "interposer_area" : "package_area", toMm2(interposerArea), "mm2");
  if (hasInterposer) {
    out.add("interposer_yield", interposerYield, "1");
    out.add("interposer_cost", interposerCost.si(), "$");
    out.add("substrate_cost", substrateCost.si(), "$");
    out.add("interposers_per_wafer", interposersPerWafer, "count");
    out.add("packages_per_interposer_wafer", packagesPerInterposerWafer, "count");
  } else {
    out.add("substrate_cost", interposerCost.si(), "$");
  }
  out.add("assembly_cost", assemblyCost.si(), "$");
  out.add("bonded_chips", bondedChips, "count");
  out.add("assembly_yield", assemblyYield, "1");
  out.add("package_cost", packageCost.si(), "$");
}

ProcessNode decodeProcessNode(const config::Node& n) {
  MapReader r(n);
  ProcessNode p;
  p.name = r.required<std::string>("name");
  p.description = r.optional<std::string>("description", "");
  p.defectDensity = r.required<DefectDensity>("defect_density", Limits::nonNegative());
  p.yieldAlpha = r.required<double>("yield_alpha", Limits::positive());
  p.waferCost = r.required<Money>("wafer_cost", Limits::positive());
  p.waferDiameter = r.required<Length>("wafer_diameter", Limits::positive());
  p.scribeWidth = r.required<Length>("scribe_width", Limits::nonNegative());
  p.edgeLoss = r.required<Length>("edge_loss", Limits::nonNegative());
  p.maxDieArea = r.required<Area>("max_die_area", Limits::positive());
  if (!(p.edgeLoss * 2.0 < p.waferDiameter))
    r.requiredChild("edge_loss").fail("the edge loss leaves nothing of the wafer");
  r.finish();
  return p;
}

AssemblyParams decodeAssemblyParams(const config::Node& n) {
  MapReader r(n);
  AssemblyParams a;
  r.required<std::string>("name");
  r.optional<std::string>("description", "");
  a.substrateAreaFactor = r.required<double>("substrate_area_factor", Limits::atLeast(1.0));
  a.substrateCostPerMm2 = r.required<Money>("substrate_cost_per_mm2", Limits::nonNegative());
  a.substrateBondingYield = r.required<double>("substrate_bonding_yield", Limits{0.0, 1.0, true});
  a.organicAssemblyCostPerDie =
      r.required<Money>("organic_assembly_cost_per_die", Limits::nonNegative());
  a.siliconAssemblyCostPerDie =
      r.required<Money>("silicon_assembly_cost_per_die", Limits::nonNegative());
  a.finePitchBelow = r.required<Length>("fine_pitch_below", Limits::positive());
  a.interposerWaferDiameter = r.required<Length>("interposer_wafer_diameter", Limits::positive());
  a.interposerScribeWidth = r.required<Length>("interposer_scribe_width", Limits::nonNegative());
  a.interposerEdgeLoss = r.required<Length>("interposer_edge_loss", Limits::nonNegative());
  r.finish();
  return a;
}

ProcessNode loadProcessNode(const std::string& name) {
  return decodeProcessNode(config::loadFile(presetFile("process", processFileName(name))));
}

AssemblyParams loadAssemblyParams() {
  return decodeAssemblyParams(config::loadFile(presetFile("process", "package-assembly")));
}

HbmPrices decodeHbmPrices(const config::Node& n) {
  MapReader r(n);
  HbmPrices p;
  r.required<std::string>("name");
  r.optional<std::string>("description", "");
  const config::Node& prices = r.requiredChild("price_per_gib");
  if (!prices.isMap() || prices.entries().empty())
    prices.expected("a map of HBM generation: $ per GiB");
  for (const auto& [gen, value] : prices.entries()) {
    Money m;
    config::decode(value, m);
    Limits::positive().check(value, m.si());
    p.perGib.emplace_back(gen, m);
  }
  r.finish();
  return p;
}

HbmPrices loadHbmPrices() {
  return decodeHbmPrices(config::loadFile(presetFile("cost", "hbm")));
}

CostModel shippedCostModel() {
  return CostModel(loadAssemblyParams(), loadHbmPrices());
}

std::optional<PackageInput> packageInputOf(const std::vector<InstanceSummary>& instances,
                                           const std::vector<std::string>& presets) {
  PackageInput in;
  std::string packaging, packagingFrom;
  std::vector<std::size_t> stacks;
  for (std::size_t idx = 0; idx < instances.size(); ++idx) {
    const InstanceSummary& i = instances[idx];
    if (i.kind == "hbm_stack") stacks.push_back(idx);
    std::string node;
    for (const auto& [k, v] : i.summary.labels) {
      if (k == "process_node") node = v;
      if (k != "packaging") continue;
      if (!packaging.empty() && v != packaging)
        throw ConfigError("instances '" + packagingFrom + "' and '" + i.name +
                          "' name different packaging technologies ('" + packaging + "', '" + v +
                          "'): a package has one");
      packaging = v;
      packagingFrom = i.name;
    }
    const Summary::Row* area = i.summary.find("die_area");
    if (!area || node.empty()) continue;
    if (area->unit != "mm2")
      throw InternalError("instance '" + i.name + "' gives die_area in '" + area->unit +
                          "', expected mm2");
    PackageDie d;
    d.name = i.name;
    d.area = squareMillimetres(area->value);
    d.node = loadProcessNode(node);
    if (const Summary::Row* count = i.summary.find("die_count"))
      d.count = static_cast<int>(std::lround(count->value));
    in.dies.push_back(std::move(d));
  }
  if (in.dies.empty() || packaging.empty()) return std::nullopt;
  for (const std::size_t idx : stacks) {
    const InstanceSummary& i = instances[idx];
    PackageHbmStack stack;
    for (const auto& [k, v] : i.summary.labels)
      if (k == "generation") stack.generation = v;
    if (stack.generation.empty() && idx < presets.size())
      stack.generation = std::filesystem::path(presets[idx]).stem().string();
    if (stack.generation.empty())
      throw ConfigError("HBM stack '" + i.name +
                        "' names no preset: its generation, and so its price, is unknown");
    const Summary::Row* cap = i.summary.find("capacity");
    if (!cap || cap->unit != "B")
      throw InternalError("HBM stack '" + i.name + "' gives no capacity in bytes");
    stack.capacity = DataSize(cap->value);
    in.hbm.push_back(std::move(stack));
  }
  in.tech = decodePackagingTech(config::loadFile(presetFile("packaging", packaging)));
  return in;
}

std::optional<PackageCost> platformPackageCost(const PlatformSpec& platform) {
  std::vector<std::string> presets;
  for (const auto& i : platform.instances) presets.push_back(i.preset);
  const auto in = packageInputOf(summarise(platform), presets);
  if (!in) return std::nullopt;
  return shippedCostModel().packageCost(*in);
}

bool reportPackageCost(const PlatformSpec& platform, StatGroup& metrics) {
  const auto p = platformPackageCost(platform);
  if (!p) return false;
  StatGroup& c = metrics.child("cost");
  c.add("package_usd", p->packageCost.si(), "$", "per good package, chip-last assembly");
  c.add("die_usd", p->dieCost.si(), "$", "known-good logic dies");
  c.add("hbm_usd", p->hbmCost.si(), "$", "HBM stacks");
  c.add("interposer_usd", p->interposerCost.si(), "$",
        p->hasInterposer ? "known-good interposer" : "package substrate");
  c.add("substrate_usd", p->substrateCost.si(), "$", "organic substrate under the interposer");
  c.add("assembly_usd", p->assemblyCost.si(), "$");
  c.add("interposer_yield", p->interposerYield, "1");
  c.add("assembly_yield", p->assemblyYield, "1");
  if (p->hasInterposer)
    c.add("packages_per_interposer_wafer", p->packagesPerInterposerWafer, "count",
          "good interposers per 300 mm wafer");
  // Cost is per package: throughput per package where the workload reports it.
  // Values are copied out first: adding to `metrics` may move its values.
  const StatValue* tpsValue = metrics.value("tokens_per_s_per_package");
  if (!tpsValue) tpsValue = metrics.value("tokens_per_s");
  const StatValue* energyValue = metrics.value("energy_j_per_token");
  const double energyPerToken = energyValue ? energyValue->value : 0.0;
  if (tpsValue) {
    const double tps = tpsValue->value;
    metrics.add("tokens_per_s_per_usd", tps / p->packageCost.si(), "1/(s $)");
    if (p->hasInterposer)
      metrics.add("tokens_per_s_per_interposer_wafer", tps * p->packagesPerInterposerWafer, "1/s");
    if (energyPerToken > 0) metrics.add("tokens_per_s_per_w", 1.0 / energyPerToken, "1/(s W)");
  }
  return true;
}

}  // namespace chipletsim
