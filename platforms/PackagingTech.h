#pragma once
// A packaging technology as data (configs/packaging/<name>.yaml): the die-to-die PHY it
// supports (bump pitch, module geometry, data rates, reach, energy, latency), how large an
// interposer or package it allows, whether and how many HBM stacks it can carry, and the
// cost and yield parameters of the comparison model. The check functions are what the
// platform builder of a package calls: each throws a ConfigError at the node that asked
// for what the technology cannot do.

#include <string>
#include <vector>

#include "Component.h"
#include "common/Units.h"
#include "config/Node.h"
#include "d2d/ModuleGeometry.h"

namespace chipletsim {

/// Modules, lanes and bandwidth a shoreline carries on a technology at one data rate.
struct ShorelineLink {
  int modules = 0;         // whole modules that fit the shoreline
  int lanesPerModule = 0;  // data lanes per direction
  Length shorelineUsed;    // modules x module width (<= the shoreline given)
  Bandwidth rawPerDirection;
};

struct PackagingTech {
  /// Energy per bit up to a data rate (UCIe quotes one figure up to 16 GT/s, one above).
  struct EnergyBand {
    BitRate maxRate;
    EnergyPerBit energy;
  };

  std::string name;
  std::string description;
  bool d2d = true;                    // false for monolithic: on-die NoC only
  Length bumpPitch;                   // D2D bump pitch
  int lanesPerModule = 0;             // data lanes per direction per module
  int redundantLanesPerModule = 0;    // spares for lane repair
  Length moduleWidth;                 // die edge one module occupies
  Length moduleDepth;                 // how far a module reaches into the die (0: not given);
                                      // module width x depth is its PHY area
  std::vector<BitRate> dataRates;     // supported per-lane rates, ascending
  Length reach;                       // longest channel
  std::vector<EnergyBand> energy;     // ascending maxRate
  Duration adapterPhyLatency;         // one end's adapter + PHY
  double dielectricConstant = 1.0;    // of the channel's dielectric
  Area reticleArea;                   // one reticle as the technology counts it
  double maxReticles = 0.0;           // largest interposer/package, in reticles
  Area maxArea;                       // the same in area (maxReticles x reticleArea)
  bool hbmAttach = false;             // HBM stacks can sit on this package
  int maxHbmSites = 0;                // HBM sites that fit at most
  DefectDensity defectDensity;        // of the interposer/RDL (0 when none)
  double yieldAlpha = 1.0;            // negative-binomial critical level of that layer
  double bondingYield = 1.0;          // per bonded die
  double interposerAreaFactor = 1.0;  // interposer (or package) area over total die area
  Money costPerMm2;                   // interposer/package cost per mm2 of its area

  d2d::ModuleGeometry geometry() const { return {lanesPerModule, moduleWidth}; }
  /// Derived figures for `chipletsim validate`: limits, and D2D density at each end of the
  /// supported rate range.
  void describe(Summary& out) const;
  /// Energy per bit at `rate` (the first band whose maxRate covers it).
  EnergyPerBit energyAt(BitRate rate) const;
  bool supports(BitRate rate) const;
  /// "4, 8, 16 GT/s": the supported rates for messages.
  std::string rateList() const;

  // Checks; `at` is the node that asked (its location goes into the error).
  /// Modules that `shoreline` holds at `rate`; fails on an unsupported rate, a technology
  /// without D2D links, a shoreline longer than `dieEdge` (when given, > 0) or too short
  /// for one module.
  ShorelineLink linkFromShoreline(Length shoreline, BitRate rate, Length dieEdge,
                                  const config::Node& at) const;
  void checkDataRate(BitRate rate, const config::Node& at) const;
  void checkReach(Length channel, const config::Node& at) const;
  void checkHbm(int stacks, const config::Node& at) const;
  void checkInterposerArea(Area area, const config::Node& at) const;
};

/// Decodes a packaging file's map (strict keys).
PackagingTech decodePackagingTech(const config::Node& n);
/// Loads configs/packaging/<name>.yaml (or a path) named at `at` and decodes it.
PackagingTech loadPackagingTech(const config::Node& at);

}  // namespace chipletsim
