#include "Validate.h"

#include <filesystem>

#include "ConfigPaths.h"
#include "CostModel.h"
#include "Loading.h"
#include "PackagingTech.h"
#include "Simulation.h"
#include "Sweep.h"
#include "TextReport.h"
#include "config/Loader.h"

namespace chipletsim {

namespace {

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
  if (root.get("instances")) {
    const PlatformSpec spec = loadPlatform(path);
    os << path << ": platform '" << spec.name << "' OK\n";
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
    const SweepSpec sweep = decodeSweep(root, path);
    checkSweepPoints(sweep);
    os << path << ": sweep '" << sweep.name << "' OK, " << sweep.points.size() << " points\n";
    for (const auto& p : sweep.points) os << "  " << p.name << "\n";
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
  if (category == "process") {
    Summary s;
    if (root.get("wafer_cost")) {
      const ProcessNode node = decodeProcessNode(root);
      os << path << ": process node '" << node.name << "' OK\n";
      for (double mm2 : {100.0, 200.0, 400.0, 800.0}) {
        const DieCost c = CostModel(loadAssemblyParams()).dieCost(node, squareMillimetres(mm2));
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
