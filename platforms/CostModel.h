#pragma once
// Manufacturing cost and yield of a package, after the Chiplet Actuary model (Feng & Ma,
// DAC 2022; shared/reference/packaging.md sec. 2.4), chip-last assembly:
//   die yield        Y = (1 + D0 A / alpha)^-alpha          (negative binomial, A in cm^2)
//   dies per wafer   pi (d/2 - e)^2 / As - pi (d - 2e) / sqrt(2 As), As = (sqrt(A) + s)^2
//   known-good die   wafer cost / (dies per wafer x Y)
//   interposer       area = factor x total die area; known-good cost = area x cost/mm^2 / Y
//   assembly         every die (and HBM stack) bonded with the technology's bonding yield,
//                    the interposer onto the organic substrate with the substrate's; a
//                    failed bond scraps the whole package, so cost per good package is
//                    (dies + HBM + interposer + substrate + assembly) / assembly yield.
// Dies per wafer is the model's expected (fractional) count, as in the source's tables.
// Test cost and NRE are not modelled (no sourced figures).

#include <optional>
#include <string>
#include <vector>

#include "Component.h"
#include "PackagingTech.h"
#include "Simulation.h"
#include "common/Units.h"
#include "config/Node.h"

namespace chipletsim {

/// A logic process node's yield and cost parameters (configs/process/<name>.yaml).
struct ProcessNode {
  std::string name;  // "n5"
  std::string description;
  DefectDensity defectDensity;  // D0
  double yieldAlpha = 10.0;     // negative-binomial clustering (critical level)
  Money waferCost;              // one processed wafer
  Length waferDiameter;
  Length scribeWidth;  // added to each die edge
  Length edgeLoss;     // unusable rim of the wafer
  Area maxDieArea;     // the lithography field (reticle): no die is larger
};

/// Package-level parameters (configs/process/package-assembly.yaml).
struct AssemblyParams {
  double substrateAreaFactor = 4.0;  // organic substrate area / interposer area
  Money substrateCostPerMm2;         // organic substrate under an interposer
  double substrateBondingYield = 1.0;
  Money organicAssemblyCostPerDie;  // coarse-pitch (C4-class) bonding, per die
  Money siliconAssemblyCostPerDie;  // fine-pitch (micro-bump, hybrid) bonding, per die
  Length finePitchBelow;            // bump pitch below which silicon assembly applies
  Length interposerWaferDiameter;
  Length interposerScribeWidth;
  Length interposerEdgeLoss;
};

/// HBM prices by generation (configs/cost/hbm.yaml): dollars per GiB of a known-good stack.
struct HbmPrices {
  std::vector<std::pair<std::string, Money>> perGib;  // generation ("hbm3") -> $ per GiB
  /// $ per GiB of `generation`; ConfigError naming the priced generations when absent.
  Money pricePerGib(const std::string& generation) const;
};

/// One HBM stack on a package: its generation (the memory preset's name) and capacity.
struct PackageHbmStack {
  std::string generation;
  DataSize capacity;
};

/// One kind of die on a package: `count` identical dies of `area` made on `node`.
struct PackageDie {
  std::string name;
  Area area;
  ProcessNode node;
  int count = 1;
};

/// What a package is made of.
struct PackageInput {
  std::vector<PackageDie> dies;  // logic dies (compute, I/O), not HBM
  std::vector<PackageHbmStack> hbm;
  PackagingTech tech;
  int hbmStacks() const { return static_cast<int>(hbm.size()); }
};

/// Cost and yield of one die kind.
struct DieCost {
  std::string name;
  Area area;
  int count = 1;
  double yield = 1.0;         // fraction of dies that work
  double diesPerWafer = 0.0;  // gross candidates on one wafer (expected, fractional)
  Money rawCost;              // wafer cost / dies per wafer (before yield)
  Money kgdCost;              // per known-good die
};

/// Cost and yield of a package; all money per good package unless said otherwise.
struct PackageCost {
  std::vector<DieCost> dies;
  Money dieCost;               // known-good logic dies, all of them
  Money hbmCost;               // all stacks
  bool hasInterposer = false;  // the technology has a yielded interposer/RDL layer on wafers
  Area interposerArea;         // interposer, or the package itself when there is none
  double interposerYield = 1.0;
  Money interposerCost;  // known-good interposer (or raw package when there is none)
  Money substrateCost;   // organic substrate under the interposer
  Money assemblyCost;
  int bondedChips = 0;
  double assemblyYield = 1.0;        // bonding^chips x substrate bonding (when an interposer)
  Money packageCost;                 // per good package
  double interposersPerWafer = 0.0;  // gross interposer candidates per wafer (0: none)
  double packagesPerInterposerWafer = 0.0;  // good interposers per wafer (0: none)

  /// Rows for `validate` and results (dollars, fractions, mm2, counts).
  void describe(Summary& out) const;
};

/// The cost model. Plain C++; every function is pure.
class CostModel {
 public:
  CostModel(AssemblyParams assembly, HbmPrices hbm)
      : m_assembly(std::move(assembly)), m_hbm(std::move(hbm)) {}

  /// Negative-binomial yield of `area` at defect density `d0` and clustering `alpha` (> 0).
  static double negativeBinomialYield(DefectDensity d0, Area area, double alpha);
  /// Expected square dies of `die` area on a wafer (>= 0; 0 when the die does not fit).
  static double diesPerWafer(Area die, Length waferDiameter, Length scribe, Length edgeLoss);

  DieCost dieCost(const ProcessNode& node, Area area) const;
  PackageCost packageCost(const PackageInput& in) const;
  const AssemblyParams& assembly() const { return m_assembly; }
  /// Price of one known-good stack: $ per GiB of its generation x its capacity.
  Money hbmStackCost(const PackageHbmStack& stack) const;

 private:
  AssemblyParams m_assembly;
  HbmPrices m_hbm;
};

ProcessNode decodeProcessNode(const config::Node& n);
AssemblyParams decodeAssemblyParams(const config::Node& n);
/// configs/process/<name>.yaml; "5nm", "5 nm" and "N5" name n5.
ProcessNode loadProcessNode(const std::string& name);
/// configs/process/package-assembly.yaml.
AssemblyParams loadAssemblyParams();
HbmPrices decodeHbmPrices(const config::Node& n);
/// configs/cost/hbm.yaml.
HbmPrices loadHbmPrices();
/// The shipped model: loadAssemblyParams() and loadHbmPrices().
CostModel shippedCostModel();

/// The package of a platform, from its instances' summaries: every instance with a
/// "die_area" row (unit mm2) and a "process_node" label is a logic die (an optional
/// "die_count" row multiplies it); `hbm_stack` instances are stacks (generation: the
/// `generation` label, else the instance's preset name; capacity: the "capacity" row); the
/// "packaging" label of any instance names the technology (configs/packaging/), and all that name
/// one must agree. Nothing (no cost) when no instance gives a die or none names the packaging;
/// ConfigError when they disagree or name a node or technology that does not exist.
std::optional<PackageInput> packageInputOf(const std::vector<InstanceSummary>& instances,
                                           const std::vector<std::string>& presets = {});

/// The package cost of a platform (no elaboration): packageInputOf(summarise(platform))
/// costed with configs/process/package-assembly.yaml; nothing when it cannot be costed.
std::optional<PackageCost> platformPackageCost(const PlatformSpec& platform);

/// Adds results' metrics group "cost" (package_usd, die_usd, hbm_usd, interposer_usd,
/// substrate_usd, assembly_usd in $; interposer_yield, assembly_yield; and when there is an
/// interposer, packages_per_interposer_wafer), and, from metrics already present,
/// tokens_per_s_per_usd, tokens_per_s_per_w and tokens_per_s_per_interposer_wafer.
/// Returns false (and adds nothing) when the platform cannot be costed.
bool reportPackageCost(const PlatformSpec& platform, StatGroup& metrics);

}  // namespace chipletsim
