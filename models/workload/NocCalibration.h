#pragma once
// Derives the transaction fabric's link efficiency from the flit fabric (DESIGN.md
// principle 1: efficiencies come from the detailed model, never typed in). The flit fabric
// saturates below the channel-load bound because of allocation and flow-control losses
// (formulas.md 6.1, "DOR under uniform traffic"). The transaction fabric models some of
// these itself (one flit per cycle through each input port, a VC per packet per hop, credit
// backpressure on long packets) but not the separable allocator's losses, so with ideal
// links it saturates a little higher; the ratio of the two fabrics' peak accepted
// throughputs is the share of link cycles the transaction fabric should give up. A
// TransactionFabric with that efficiency saturates where the flit fabric does.

#include "noc/NocSpec.h"
#include "workload/NocTrafficSpec.h"

namespace chipletsim::workload {

struct NocCalibration {
  double bound = 0.0;           // channel-load bound of the traffic, flits/node/cycle
  double peakAccepted = 0.0;    // best accepted rate of the flit fabric, flits/node/cycle
  double idealPeak = 0.0;       // best accepted rate of the ideal-link transaction fabric
  double linkEfficiency = 1.0;  // peakAccepted / idealPeak, in (0, 1]
};

/// Runs the flit fabric and the ideal-link transaction fabric on `traffic` (its pattern,
/// packet size and seed; its own rate is ignored) at offered loads of 0.70, 0.75, ..., 1.00
/// times the channel-load bound for `cycles` measured cycles each, and keeps each one's
/// peak accepted rate.
NocCalibration calibrateLinkEfficiency(const noc::NocSpec& spec, const NocTrafficSpec& traffic,
                                       std::uint64_t cycles = 3000);

}  // namespace chipletsim::workload
