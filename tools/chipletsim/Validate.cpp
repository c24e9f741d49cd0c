#include "Validate.h"

#include <filesystem>
#include <systemc>

#include "Compare.h"
#include "ConfigPaths.h"
#include "CostModel.h"
#include "Loading.h"
#include "PackagingTech.h"
#include "Partition.h"
#include "Platform.h"
#include "Simulation.h"
#include "Sweep.h"
#include "TextReport.h"
#include "config/Loader.h"

namespace chipletsim {

namespace {

// Elaborates a platform under a module of its own (so that several files validate in one
// process without clashing names) to check its netlist the way `run` does: ports that do not
// exist, ports connected twice. Nothing is simulated; the modules are destroyed again.
class NetlistCheck : public sc_core::sc_module {
 public:
  NetlistCheck(const sc_core::sc_module_name& name, const PlatformSpec& spec)
      : sc_core::sc_module(name), m_platform(spec) {}

 private:
  Platform m_platform;
};

void checkNetlist(const PlatformSpec& spec) {
  static int checked = 0;
  NetlistCheck check(sc_core::sc_gen_unique_name(("validate" + std::to_string(checked++)).c_str()),
                     spec);
}

// The kind whose presets live in configs/<category>/ (memory -> hbm_stack, ...).
const ComponentKind* kindForCategory(const std::string& category) {
  for (const auto& k : componentKinds())
    if (!k.presetCategory.empty() && k.presetCategory == category) return &k;
  return nullptr;
}

}  // namespace

void validateFile(const std::string& path, std::ostream& os) {
  const config::Node root = config::loadFile(path);
  if (!root.isMap()) root.expected("a map of key: value at the top of the file");
  if (root.get("instances") || isPartitionPlatform(root)) {
    const PlatformSpec spec = loadPlatform(path);
    checkNetlist(spec);
    os << path << ": platform '" << spec.name << "' OK\n";
    if (isPartitionPlatform(root)) {
      PartitionPlan plan;
      expandPartition(root, &plan);
      os << "  partition (derived package)\n";
      Summary s;
      plan.describe(s);
      printSummary(os, s, "    ");
    }
    printInstanceSummaries(os, summarise(spec));
    if (const auto cost = platformPackageCost(spec)) {
      os << "  package cost (per good package)\n";
      Summary s;
      cost->describe(s);
      printSummary(os, s, "    ");
    }
    return;
  }
  if (root.get("axes") || root.get("variants")) {
    // Each point on its own: a point the design cannot build (a die above the reticle, HBM
    // on a technology without sites) is a finding the sweep records, not a broken file; a
    // sweep none of whose points loads is.
    const SweepSpec sweep = decodeSweep(root, path);
    std::vector<std::string> lines;
    std::size_t refused = 0;
    for (const auto& p : sweep.points) {
      SweepSpec one = sweep;
      one.points = {p};
      try {
        checkSweepPoints(one);
        lines.push_back("  " + p.name);
      } catch (const ConfigError& e) {
        ++refused;
        lines.push_back("  " + p.name + "  (refused: " + e.what() + ")");
        if (refused == sweep.points.size()) throw;
      }
    }
    os << path << ": sweep '" << sweep.name << "' OK, " << sweep.points.size() << " points";
    if (refused) os << " (" << refused << " refused by their configs; they fail alone when run)";
    os << "\n";
    for (const auto& l : lines) os << l << "\n";
    return;
  }
  if (root.get("platforms") && root.get("workload")) {
    CompareOptions c;
    loadComparison(path, c);
    loadWorkload(c.workload);
    for (const auto& p : c.platforms) loadPlatform(p);
    os << path << ": comparison OK, " << c.platforms.size() << " platforms on " << c.workload
       << "\n";
    for (const auto& p : c.platforms) os << "  " << p << "\n";
    return;
  }
  if (root.get("kind") &&
      findWorkloadKind(root.get("kind")->isScalar() ? root.get("kind")->text() : "")) {
    const LoadedWorkload w = loadWorkload(path);
    os << path << ": workload '" << w.name << "' (" << w.kind << ") OK\n";
    Summary s;
    w.spec->describe(s);
    printSummary(os, s, "  ");
    return;
  }
  const std::string category = std::filesystem::path(path).parent_path().filename().string();
  if (category == "packaging") {
    const PackagingTech tech = decodePackagingTech(root);
    os << path << ": packaging '" << tech.name << "' OK\n";
    Summary s;
    tech.describe(s);
    printSummary(os, s, "  ");
    return;
  }
  if (category == "cost") {
    const HbmPrices prices = decodeHbmPrices(root);
    os << path << ": HBM prices OK\n";
    Summary s;
    for (const auto& [gen, price] : prices.perGib) s.add(gen + "_per_gib", price.si(), "$");
    printSummary(os, s, "  ");
    return;
  }
  if (category == "process") {
    Summary s;
    if (root.get("wafer_cost")) {
      const ProcessNode node = decodeProcessNode(root);
      os << path << ": process node '" << node.name << "' OK\n";
      for (double mm2 : {100.0, 200.0, 400.0, 800.0}) {
        const DieCost c = shippedCostModel().dieCost(node, squareMillimetres(mm2));
        const std::string die = std::to_string(static_cast<int>(mm2)) + "mm2";
        s.add(die + "_die_yield", c.yield, "1");
        s.add(die + "_kgd_cost", c.kgdCost.si(), "$");
      }
    } else {
      decodeAssemblyParams(root);
      os << path << ": package assembly parameters OK\n";
    }
    printSummary(os, s, "  ");
    return;
  }
  if (const ComponentKind* kind = kindForCategory(category)) {
    const config::Node merged = withPreset(root, category);
    auto spec = kind->decode(merged);
    os << path << ": " << kind->name << " preset OK\n";
    Summary s;
    spec->describe(s);
    printSummary(os, s, "  ");
    return;
  }
  if (root.get("kind")) {
    loadWorkload(path);  // reports the unknown kind with the list of valid ones
  }
  root.fail(
      "cannot tell what this file is: expected a platform (with 'instances'), a workload (with "
      "'kind'), a sweep (with 'axes' or 'variants') or a preset inside configs/<category>/");
}

}  // namespace chipletsim
