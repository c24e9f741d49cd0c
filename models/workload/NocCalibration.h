#pragma once
// Derives the transaction fabric's link efficiency from the flit fabric (DESIGN.md
// principle 1: efficiencies come from the detailed model, never typed in). The flit fabric
// saturates below the channel-load bound because of allocation and flow-control losses
// (formulas.md 6.1, "DOR under uniform traffic"); the ratio of its peak accepted
// throughput to the bound is the share of link cycles that carry flits at saturation.
// A TransactionFabric with that efficiency saturates where the flit fabric does.

#include "noc/NocSpec.h"
#include "workload/NocTrafficSpec.h"

namespace chipletsim::workload {

struct NocCalibration {
  double bound = 0.0;           // channel-load bound of the traffic, flits/node/cycle
  double peakAccepted = 0.0;    // best accepted rate of the flit fabric, flits/node/cycle
  double linkEfficiency = 1.0;  // peakAccepted / bound, in (0, 1]
};

/// Runs the flit fabric on `traffic` (its pattern, packet size and seed; its own rate is
/// ignored) at offered loads of 0.70, 0.75, ..., 1.00 times the channel-load bound for
/// `cycles` measured cycles each, and keeps the peak accepted rate.
NocCalibration calibrateLinkEfficiency(const noc::NocSpec& spec, const NocTrafficSpec& traffic,
                                       std::uint64_t cycles = 3000);

}  // namespace chipletsim::workload
