#pragma once
// The partition generator: a platform file may describe its package by a silicon budget cut
// into N compute dies instead of a hand-written netlist.
//
//   name: budget-4die-cowos-s
//   partition:
//     budget:                        # the whole package's silicon, split evenly over the dies
//       compute: gh100               # configs/compute/ preset of the engines
//       engines: 128                 # tensor engines (SMs) in the budget
//       logic_area: "669.6 mm2"      # the engines with their local SRAM
//       shared_sram: "48 MiB"        # last-level SRAM and its bandwidth, split over the dies
//       shared_sram_bandwidth: "8714 GB/s"
//       shared_sram_area: "22.6 mm2"
//       process_node: n5             # configs/process/ (defect density, wafer cost, reticle)
//       dma_chunk: "4 MiB"           # optional compute_chiplet keys pass through
//     dies: 4
//     packaging: cowos-s             # configs/packaging/
//     hbm: {preset: hbm3, stacks: 8, fidelity: fast, phy_area: "16.6 mm2", phy_shoreline: "11 mm"}
//     d2d: {shoreline: "8 mm", flit_format: 68b, ...}   # each die's D2D edge, split over its links
//     noc: {clock: ..., flit_size: ..., ...}           # each die's crossbar
//     networks: {nvlink: {kind: network, ...}}          # scale-up/scale-out ports, as instances
//
// expands to the ordinary netlist (dies die<i>, crossbars noc<i>, stacks hbm<k> spread over
// the dies, all-to-all links d2d_<i>_<j>, the networks, and top-level `packaging:`), so
// sweeps vary `platform.partition.dies`, `.packaging` or `.hbm.stacks` as ordinary key paths.
// Each die's area is its share of logic and SRAM plus the PHYs on its edge: its D2D modules
// (module width x depth of the technology) and its HBM stacks' PHYs. A die larger than the
// process node's reticle, or whose PHYs need more edge than a square die of that area has,
// is a ConfigError at the partition key that asked for it; the technology's HBM-site and
// interposer limits are checked by the platform loader at `partition.packaging`.

#include <string>
#include <vector>

#include "Component.h"
#include "common/Units.h"
#include "config/Node.h"

namespace chipletsim {

/// One die of a partition, as derived.
struct PartitionDie {
  int engines = 0;
  int hbmStacks = 0;  // stacks attached to this die
  int d2dLinks = 0;   // links to the other dies
  int modulesPerLink = 0;
  Area logicArea;       // its share of the budget's logic and shared SRAM
  Area d2dPhyArea;      // D2D modules on its edge
  Area hbmPhyArea;      // HBM PHYs on its edge
  Area area;            // the sum: the die's area
  Length d2dShoreline;  // edge the D2D modules occupy
  Length hbmShoreline;  // edge the HBM PHYs occupy
  Length perimeter;     // of a square die of `area`
};

/// What the generator derived, for `chipletsim validate`.
struct PartitionPlan {
  std::string packaging;
  std::string processNode;
  int dies = 0;
  int hbmStacks = 0;
  std::vector<PartitionDie> perDie;
  Area reticle;             // largest die the process node exposes
  Area interposerArea;      // total die area x the technology's area factor
  Area interposerLimit;     // the technology's largest interposer/package
  int hbmSites = 0;         // the technology's HBM sites
  Bandwidth linkBandwidth;  // one link, one direction, raw (0 with one die)

  /// Rows for `chipletsim validate`.
  void describe(Summary& out) const;
};

/// True when a platform document describes its package with `partition:`.
bool isPartitionPlatform(const config::Node& root);

/// Expands `root` (a platform document with `partition:`) into the netlist form; `plan`, when
/// given, receives the derived package. ConfigError (file:line:column, key path) on bad input
/// or a die that breaks a limit.
config::Node expandPartition(const config::Node& root, PartitionPlan* plan = nullptr);

}  // namespace chipletsim
