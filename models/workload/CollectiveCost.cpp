#include "workload/CollectiveCost.h"

#include <cmath>

#include "common/Errors.h"

namespace chipletsim {

namespace {

int ceilLog2(int n) {
  int steps = 0;
  while ((1 << steps) < n) ++steps;
  return steps;
}

}  // namespace

Duration CollectiveCost::time(Bandwidth linkBandwidth, Duration alpha) const {
  if (steps == 0) return Duration(0.0);
  return Duration(steps * alpha.si() + bandwidthBytes / linkBandwidth.si());
}

Duration HierarchicalCost::time(Bandwidth insideBandwidth, Duration insideAlpha,
                                Bandwidth acrossBandwidth, Duration acrossAlpha) const {
  return insideFirst.time(insideBandwidth, insideAlpha) +
         across.time(acrossBandwidth, acrossAlpha) + insideLast.time(insideBandwidth, insideAlpha);
}

HierarchicalCost hierarchicalCollective(CollectiveKind kind, CollectiveAlgorithm across,
                                        int perPackage, int packages, double bytes) {
  if (perPackage < 1 || packages < 1) throw SpecError("collective: group sizes must be >= 1");
  const CollectiveAlgorithm ring = CollectiveAlgorithm::kRing;
  const double shard = bytes / perPackage;
  HierarchicalCost h;
  switch (kind) {
    case CollectiveKind::kAllReduce:
      h.insideFirst = collectiveCost(CollectiveKind::kReduceScatter, ring, perPackage, bytes);
      h.across = collectiveCost(CollectiveKind::kAllReduce, across, packages, shard);
      h.insideLast = collectiveCost(CollectiveKind::kAllGather, ring, perPackage, bytes);
      break;
    case CollectiveKind::kReduceScatter:
      h.insideFirst = collectiveCost(CollectiveKind::kReduceScatter, ring, perPackage, bytes);
      h.across = collectiveCost(CollectiveKind::kReduceScatter, across, packages, shard);
      break;
    case CollectiveKind::kAllGather:
      h.across = collectiveCost(CollectiveKind::kAllGather, across, packages, shard);
      h.insideLast = collectiveCost(CollectiveKind::kAllGather, ring, perPackage, bytes);
      break;
    case CollectiveKind::kSendRecv:
      h.across = collectiveCost(CollectiveKind::kSendRecv, across, 2, bytes);
      break;
  }
  return h;
}

double busBandwidthFactor(CollectiveKind kind, int ranks) {
  const double n = ranks;
  switch (kind) {
    case CollectiveKind::kAllReduce:
      return 2.0 * (n - 1) / n;
    case CollectiveKind::kReduceScatter:
    case CollectiveKind::kAllGather:
      return (n - 1) / n;
    case CollectiveKind::kSendRecv:
      return 1.0;
  }
  return 1.0;
}

CollectiveCost collectiveCost(CollectiveKind kind, CollectiveAlgorithm algorithm, int ranks,
                              double bytes) {
  if (ranks < 1) throw SpecError("collective: ranks must be at least 1");
  if (bytes < 0) throw SpecError("collective: bytes must not be negative");
  CollectiveCost c;
  if (kind == CollectiveKind::kSendRecv) {
    c.steps = 1;
    c.bytesPerStep = c.bytesSentPerRank = c.bandwidthBytes = bytes;
    return c;
  }
  if (ranks == 1) return c;
  const double n = ranks;
  const bool allReduce = kind == CollectiveKind::kAllReduce;
  if (algorithm == CollectiveAlgorithm::kRing) {
    c.steps = (allReduce ? 2 : 1) * (ranks - 1);
    c.bytesPerStep = bytes / n;
    c.bytesSentPerRank = c.steps * c.bytesPerStep;
    c.bandwidthBytes = c.bytesSentPerRank;
    return c;
  }
  const int depth = ceilLog2(ranks);
  if (allReduce) {
    // Each rank sends its partial sum up once and the result down to each child once; with
    // two trees each carrying half, every rank sends S in each phase.
    c.steps = 2 * depth;
    c.bytesPerStep = bytes;
    c.bytesSentPerRank = 2.0 * bytes;
    c.bandwidthBytes = 2.0 * bytes;
  } else {
    c.steps = depth;
    c.bytesPerStep = bytes / 2.0;
    // S/2 + S/4 + ... over ceil(log2 n) steps.
    c.bytesSentPerRank = bytes * (1.0 - std::pow(0.5, depth));
    c.bandwidthBytes = c.bytesSentPerRank;
  }
  return c;
}

}  // namespace chipletsim
