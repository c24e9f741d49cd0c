#include "Partition.h"

#include <cmath>
#include <cstdio>

#include "ConfigPaths.h"
#include "CostModel.h"
#include "Loading.h"
#include "PackagingTech.h"
#include "config/Loader.h"
#include "config/Reader.h"

namespace chipletsim {

using config::Limits;
using config::MapReader;
using config::Node;

namespace {

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

std::string fmt(double v, const char* unit) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g %s", v, unit);
  return buf;
}

// A generated scalar that points at the partition key it was derived from.
Node scalarAt(const std::string& text, const Node& from) {
  return Node::scalar(text, from.loc(), from.path());
}

Node mapAt(const Node& from) {
  return Node::map(from.loc(), from.path());
}

// Engines of a preset scaled to a die's share: vector and DMA engines keep the preset's
// ratio to tensor engines.
int scaled(int presetCount, int presetEngines, int dieEngines) {
  return std::max(1, static_cast<int>(std::lround(static_cast<double>(presetCount) * dieEngines /
                                                  presetEngines)));
}

int presetInt(const Node& preset, const char* key) {
  const Node* n = preset.get(key);
  if (!n) preset.fail(std::string("the compute preset gives no '") + key + "'");
  int v = 0;
  config::decode(*n, v);
  return v;
}

struct Inputs {
  // budget
  const Node* budget = nullptr;
  std::string computePreset;
  int engines = 0;
  Area logicArea;
  DataSize sharedSram;
  Bandwidth sharedSramBandwidth;
  Area sharedSramArea;
  std::string processNode;
  Node computeExtra;  // other compute_chiplet keys, passed through
  // package
  const Node* diesNode = nullptr;
  int dies = 1;
  const Node* packagingNode = nullptr;
  PackagingTech tech;
  // hbm
  const Node* hbmNode = nullptr;
  int stacks = 0;
  Area hbmPhyArea;
  Length hbmPhyShoreline;
  Node hbmInstance;  // what each hbm_stack instance gets
  DataSize stackCapacity;
  // d2d
  const Node* d2dNode = nullptr;
  const Node* d2dShorelineNode = nullptr;
  Length d2dShoreline;
  BitRate d2dRate;
  Node d2dInstance;  // keys every link gets (without shoreline)
  // noc, networks
  Node noc;
  const Node* networks = nullptr;
};

Inputs readInputs(const Node& partition) {
  Inputs in;
  MapReader r(partition);
  // The budget.
  const Node& budget = r.requiredChild("budget");
  in.budget = &budget;
  {
    MapReader b(budget);
    const Node& compute = b.requiredChild("compute");
    if (!compute.isScalar()) compute.expected("a compute preset name (configs/compute/)");
    in.computePreset = compute.text();
    in.engines = b.required<int>("engines", Limits::atLeast(1));
    in.logicArea = b.required<Area>("logic_area", Limits::positive());
    in.sharedSram = b.optional<DataSize>("shared_sram", DataSize(0.0), Limits::nonNegative());
    in.sharedSramBandwidth =
        b.optional<Bandwidth>("shared_sram_bandwidth", Bandwidth(0.0), Limits::nonNegative());
    in.sharedSramArea = b.optional<Area>("shared_sram_area", Area(0.0), Limits::nonNegative());
    const Node& node = b.requiredChild("process_node");
    if (!node.isScalar()) node.expected("a process node name (configs/process/)");
    in.processNode = node.text();
    in.computeExtra = mapAt(budget);
    for (const char* k : {"dma_chunk", "prefetch_chunks", "dma_max_outstanding",
                          "dma_transaction_size", "energy_per_flop", "clock"})
      if (const Node* n = b.child(k)) in.computeExtra.set(k, *n);
    b.finish();
  }
  in.diesNode = &r.requiredChild("dies");
  in.dies = r.required<int>("dies", Limits::between(1, 64));
  in.packagingNode = &r.requiredChild("packaging");
  in.tech = loadPackagingTech(*in.packagingNode);
  if (in.engines % in.dies != 0)
    in.diesNode->fail(std::to_string(in.engines) +
                      " engines of the budget do not split evenly over " + std::to_string(in.dies) +
                      " dies");
  if (in.dies > 1 && !in.tech.d2d)
    in.diesNode->fail("packaging '" + in.tech.name +
                      "' has no die-to-die links: it takes one die, not " +
                      std::to_string(in.dies));
  // HBM.
  const Node& hbm = r.requiredChild("hbm");
  in.hbmNode = &hbm;
  {
    MapReader h(hbm);
    in.stacks = h.required<int>("stacks", Limits::atLeast(1));
    if (in.stacks < in.dies)
      h.requiredChild("stacks").fail(std::to_string(in.stacks) + " HBM stacks for " +
                                     std::to_string(in.dies) +
                                     " dies: every die needs at least one stack of its own");
    in.hbmPhyArea = h.required<Area>("phy_area", Limits::nonNegative());
    in.hbmPhyShoreline = h.required<Length>("phy_shoreline", Limits::nonNegative());
    h.requiredChild("preset");
    in.hbmInstance = hbm;
    for (const char* k : {"stacks", "phy_area", "phy_shoreline"}) in.hbmInstance.erase(k);
    in.hbmInstance.set("kind", scalarAt("hbm_stack", hbm));
    const Node merged = withPreset(in.hbmInstance, "memory");
    const Node* org = merged.get("organisation");
    const Node* cap = org ? org->get("capacity") : nullptr;
    if (!cap) hbm.fail("the HBM preset gives no organisation.capacity");
    config::decode(*cap, in.stackCapacity);
    // Remaining keys are the hbm_stack decoder's to judge.
  }
  // D2D.
  if (const Node* d2d = r.child("d2d")) {
    in.d2dNode = d2d;
    MapReader d(*d2d);
    in.d2dShorelineNode = &d.requiredChild("shoreline");
    in.d2dShoreline = d.required<Length>("shoreline", Limits::positive());
    in.d2dInstance = *d2d;
    in.d2dInstance.erase("shoreline");
    in.d2dInstance.set("kind", scalarAt("d2d_link", *d2d));
    if (!d2d->get("packaging")) in.d2dInstance.set("packaging", *in.packagingNode);
    if (in.tech.d2d) {
      if (const Node* rate = d2d->get("data_rate")) {
        config::decode(*rate, in.d2dRate);
      } else {
        in.d2dRate = in.tech.dataRates.back();
        in.d2dInstance.set("data_rate", scalarAt(num(in.d2dRate.si() * 1e-9) + " GT/s", *d2d));
      }
      if (!d2d->get("channel_length"))
        in.d2dInstance.set("channel_length", scalarAt(num(toMm(in.tech.reach)) + " mm", *d2d));
    }
  } else if (in.dies > 1) {
    r.requiredChild("d2d");  // "missing required key" naming partition.d2d
  }
  in.noc = r.requiredChild("noc");
  in.networks = r.child("networks");
  if (in.networks && !in.networks->isMap())
    in.networks->expected("a map of instance name: {kind: network, ...}");
  r.finish();
  return in;
}

PartitionPlan derive(const Inputs& in, const ProcessNode& node) {
  PartitionPlan p;
  p.packaging = in.tech.name;
  p.processNode = node.name;
  p.dies = in.dies;
  p.hbmStacks = in.stacks;
  p.reticle = node.maxDieArea;
  p.interposerLimit = in.tech.maxArea;
  p.hbmSites = in.tech.hbmAttach ? in.tech.maxHbmSites : 0;
  const d2d::ModuleGeometry g = in.tech.geometry();
  const int links = in.dies - 1;
  int modules = 0;
  if (links > 0) {
    const Length perLink = in.d2dShoreline / static_cast<double>(links);
    modules = g.modulesIn(perLink);
    if (modules < 1)
      in.d2dShorelineNode->fail(fmt(toMm(in.d2dShoreline), "mm") + " of D2D edge split over " +
                                std::to_string(links) + " links leaves " +
                                fmt(toMm(perLink), "mm") + " per link, less than one module of '" +
                                in.tech.name + "' (" + fmt(toMm(in.tech.moduleWidth), "mm") + ")");
    if (!(in.tech.moduleDepth.si() > 0.0))
      in.packagingNode->fail("packaging '" + in.tech.name +
                             "' gives no module_depth: the D2D PHY area of a die is unknown");
    p.linkBandwidth = g.moduleBandwidth(in.d2dRate) * modules;
  }
  const Area moduleArea = squareMillimetres(toMm(in.tech.moduleWidth) * toMm(in.tech.moduleDepth));
  for (int i = 0; i < in.dies; ++i) {
    PartitionDie d;
    d.engines = in.engines / in.dies;
    d.hbmStacks = in.stacks / in.dies + (i < in.stacks % in.dies ? 1 : 0);
    d.d2dLinks = links;
    d.modulesPerLink = modules;
    d.logicArea = (in.logicArea + in.sharedSramArea) / static_cast<double>(in.dies);
    // In double: a saturated module count (ModuleGeometry::modulesIn) times links overflows int.
    d.d2dPhyArea = moduleArea * (static_cast<double>(links) * modules);
    d.hbmPhyArea = in.hbmPhyArea * static_cast<double>(d.hbmStacks);
    d.area = d.logicArea + d.d2dPhyArea + d.hbmPhyArea;
    d.d2dShoreline = in.tech.moduleWidth * (static_cast<double>(links) * modules);
    d.hbmShoreline = in.hbmPhyShoreline * static_cast<double>(d.hbmStacks);
    d.perimeter = millimetres(4.0 * std::sqrt(toMm2(d.area)));
    p.interposerArea += d.area * in.tech.interposerAreaFactor;
    p.perDie.push_back(d);
  }
  // Limits, each at the key that asked for what does not fit.
  const PartitionDie& big = p.perDie.front();  // die 0 carries the most stacks
  if (big.area.si() > p.reticle.si() * (1 + 1e-9))
    in.diesNode->fail("a die of " + fmt(toMm2(big.area), "mm2") + " (" + std::to_string(in.dies) +
                      " dies of the budget) exceeds the reticle of process node '" + node.name +
                      "' (" + fmt(toMm2(p.reticle), "mm2") + "); cut the budget into more dies");
  if ((big.d2dShoreline + big.hbmShoreline).si() > big.perimeter.si() * (1 + 1e-9)) {
    const Node& at =
        big.hbmShoreline.si() > 0.0 ? *in.hbmNode->get("stacks") : *in.d2dShorelineNode;
    at.fail("die 0 needs " + fmt(toMm(big.d2dShoreline), "mm") + " of edge for D2D and " +
            fmt(toMm(big.hbmShoreline), "mm") + " for " + std::to_string(big.hbmStacks) +
            " HBM PHYs, more than the " + fmt(toMm(big.perimeter), "mm") +
            " perimeter of a square " + fmt(toMm2(big.area), "mm2") + " die");
  }
  return p;
}

std::string endpoint(const std::string& name, const std::string& role, double base = -1,
                     double size = 0) {
  std::string s = "{name: " + name + ", role: " + role + ", router: 0";
  if (base >= 0)
    s += ", address_base: \"" + num(base) + " B\", address_size: \"" + num(size) + " B\"";
  return s + "}";
}

Node parseAt(const std::string& yaml, const Node& at) {
  Node n = config::parseYaml(yaml, at.loc().file, at.path());
  n.relocate(at.loc());
  return n;
}

}  // namespace

bool isPartitionPlatform(const Node& root) {
  return root.isMap() && root.get("partition") != nullptr;
}

Node expandPartition(const Node& root, PartitionPlan* planOut) {
  const Node& partition = *root.get("partition");
  if (root.get("instances"))
    root.get("instances")->fail("give either `partition:` or `instances:`, not both");
  if (root.get("connections"))
    root.get("connections")->fail("a partition generates its connections");
  if (root.get("packaging"))
    root.get("packaging")->fail("a partition names its packaging in partition.packaging");
  const Inputs in = readInputs(partition);
  ProcessNode node;
  try {
    node = loadProcessNode(in.processNode);
  } catch (const ConfigError& e) {
    std::string why = e.what();
    if (why.rfind("error: ", 0) == 0) why = why.substr(7);
    in.budget->get("process_node")->fail(why);
  }
  const PartitionPlan plan = derive(in, node);
  if (planOut) *planOut = plan;

  const Node& computeNode = *in.budget->get("compute");
  Node computePreset = mapAt(computeNode);
  computePreset.set("preset", computeNode);
  const Node preset = withPreset(computePreset, "compute");
  const int presetEngines = presetInt(preset, "tensor_engines");
  if (presetEngines < 1) computeNode.fail("the compute preset has no tensor engines to scale");

  Node out = root;
  out.erase("partition");
  Node instances = mapAt(partition);
  Node connections = Node::sequence(partition.loc(), partition.path());
  auto connect = [&](const std::string& from, const std::string& to) {
    connections.append(parseAt("{from: " + from + ", to: " + to + "}", partition));
  };
  const double cap = in.stackCapacity.si();
  const int n = in.dies;
  // Dies.
  for (int i = 0; i < n; ++i) {
    const PartitionDie& d = plan.perDie[static_cast<std::size_t>(i)];
    Node die = in.computeExtra;
    die.set("kind", scalarAt("compute_chiplet", *in.budget));
    die.set("preset", computeNode);
    die.set("tensor_engines", scalarAt(std::to_string(d.engines), *in.diesNode));
    die.set("vector_engines", scalarAt(std::to_string(scaled(presetInt(preset, "vector_engines"),
                                                             presetEngines, d.engines)),
                                       *in.diesNode));
    die.set(
        "dma_engines",
        scalarAt(std::to_string(scaled(presetInt(preset, "dma_engines"), presetEngines, d.engines)),
                 *in.diesNode));
    if (in.sharedSram.si() > 0.0) {
      // Whole bytes per die (sizes are byte counts): 50 MiB over 3 dies is 17476266 B each.
      die.set("shared_sram", scalarAt(num(std::floor(in.sharedSram.si() / n)) + " B", *in.budget));
      die.set("shared_sram_bandwidth",
              scalarAt(num(in.sharedSramBandwidth.si() / n * 1e-9) + " GB/s", *in.budget));
    }
    die.set("die_area", scalarAt(num(toMm2(d.area)) + " mm2", *in.diesNode));
    die.set("process_node", *in.budget->get("process_node"));
    instances.set("die" + std::to_string(i), die);
  }
  // Crossbars: engines, the die's own stacks, then one port per other die.
  int firstStack = 0;
  std::vector<int> stackStart;
  for (int i = 0; i < n; ++i) {
    stackStart.push_back(firstStack);
    firstStack += plan.perDie[static_cast<std::size_t>(i)].hbmStacks;
  }
  for (int i = 0; i < n; ++i) {
    const PartitionDie& d = plan.perDie[static_cast<std::size_t>(i)];
    Node noc = in.noc;
    noc.set("kind", scalarAt("noc", in.noc));
    noc.set("topology", scalarAt("crossbar", in.noc));
    noc.set("ports", scalarAt(std::to_string(1 + d.hbmStacks + (n - 1)), *in.diesNode));
    std::string eps = "[" + endpoint("engines", "compute");
    double base = 0;
    for (int s = 0; s < d.hbmStacks; ++s, base += cap)
      eps += ", " + endpoint("hbm" + std::to_string(s), "memory", base, cap);
    for (int j = 0; j < n; ++j) {
      if (j == i) continue;
      const double size = cap * plan.perDie[static_cast<std::size_t>(j)].hbmStacks;
      eps += ", " + endpoint("to" + std::to_string(j), "d2d", base, size);
      base += size;
    }
    noc.set("endpoints", parseAt(eps + "]", in.noc));
    instances.set("noc" + std::to_string(i), noc);
    connect("die" + std::to_string(i) + ".mem", "noc" + std::to_string(i) + ".engines_in");
    for (int s = 0; s < d.hbmStacks; ++s)
      connect("noc" + std::to_string(i) + ".hbm" + std::to_string(s) + "_out",
              "hbm" + std::to_string(stackStart[static_cast<std::size_t>(i)] + s) + ".in");
  }
  for (int k = 0; k < in.stacks; ++k) instances.set("hbm" + std::to_string(k), in.hbmInstance);
  // All-to-all links: requests for die j's stacks leave noc i at to<j> and enter noc j at to<i>.
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      const std::string link = "d2d_" + std::to_string(i) + "_" + std::to_string(j);
      Node l = in.d2dInstance;
      l.set("shoreline",
            scalarAt(num(toMm(in.d2dShoreline) / (n - 1)) + " mm", *in.d2dShorelineNode));
      instances.set(link, l);
      const std::string ni = "noc" + std::to_string(i), nj = "noc" + std::to_string(j);
      const std::string ti = "to" + std::to_string(i), tj = "to" + std::to_string(j);
      connect(ni + "." + tj + "_out", link + ".a_in");
      connect(link + ".b_out", nj + "." + ti + "_in");
      connect(nj + "." + ti + "_out", link + ".b_in");
      connect(link + ".a_out", ni + "." + tj + "_in");
    }
  }
  if (in.networks)
    for (const auto& [name, decl] : in.networks->entries()) instances.set(name, decl);
  out.set("instances", instances);
  out.set("connections", connections);
  out.set("packaging", *in.packagingNode);
  return out;
}

void PartitionPlan::describe(Summary& out) const {
  out.label("packaging", packaging);
  out.label("process_node", processNode);
  out.add("dies", dies, "count");
  out.add("hbm_stacks", hbmStacks, "count");
  // Identical neighbours share their rows ("die0-3.area").
  for (std::size_t i = 0; i < perDie.size();) {
    const PartitionDie& d = perDie[i];
    std::size_t last = i;
    while (last + 1 < perDie.size() && perDie[last + 1].hbmStacks == d.hbmStacks &&
           perDie[last + 1].engines == d.engines)
      ++last;
    const std::string p =
        "die" + std::to_string(i) + (last > i ? "-" + std::to_string(last) : std::string()) + ".";
    i = last + 1;
    out.add(p + "engines", d.engines, "count");
    out.add(p + "area", toMm2(d.area), "mm2");
    out.add(p + "logic_and_sram_area", toMm2(d.logicArea), "mm2");
    out.add(p + "d2d_phy_area", toMm2(d.d2dPhyArea), "mm2");
    out.add(p + "hbm_phy_area", toMm2(d.hbmPhyArea), "mm2");
    out.add(p + "hbm_stacks", d.hbmStacks, "count");
    out.add(p + "d2d_links", d.d2dLinks, "count");
    out.add(p + "modules_per_link", d.modulesPerLink, "count");
    out.add(p + "d2d_shoreline", toMm(d.d2dShoreline), "mm");
    out.add(p + "hbm_shoreline", toMm(d.hbmShoreline), "mm");
    out.add(p + "perimeter", toMm(d.perimeter), "mm");
    out.add(p + "shoreline_use", ((d.d2dShoreline + d.hbmShoreline) / d.perimeter), "1");
    out.add(p + "reticle_use", d.area / reticle, "1");
  }
  if (dies > 1) out.add("d2d_link_bandwidth_per_direction", linkBandwidth.si(), "B/s");
  out.add("reticle_area", toMm2(reticle), "mm2");
  out.add("interposer_area", toMm2(interposerArea), "mm2");
  out.add("interposer_limit", toMm2(interposerLimit), "mm2");
  out.add("interposer_use", interposerArea / interposerLimit, "1");
  out.add("hbm_sites", hbmSites, "count");
}

}  // namespace chipletsim
