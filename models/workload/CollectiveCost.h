#pragma once
// Cost of a collective among n ranks under the alpha-beta model: how many steps, how many
// bytes each rank puts on its link per step, and the time over links of bandwidth B and
// per-step latency alpha (formulas.md 5.7; nccl-tests PERFORMANCE.md for the bus factors).
//  - ring: all-reduce = reduce-scatter + all-gather, 2(n-1) steps of S/n bytes;
//          reduce-scatter or all-gather n-1 steps of S/n; send/recv 1 step of S.
//  - tree: all-reduce as reduce up and broadcast down a (double) binary tree,
//          2 ceil(log2 n) steps, pipelined so the bandwidth term is 2 S / B;
//          reduce-scatter / all-gather as recursive halving / doubling,
//          ceil(log2 n) steps of S/2, S/4, ... bytes.

#include "common/Units.h"

namespace chipletsim {

enum class CollectiveKind { kAllReduce, kReduceScatter, kAllGather, kSendRecv };
enum class CollectiveAlgorithm { kRing, kTree };

struct CollectiveCost {
  int steps = 0;                  // sequential communication steps
  double bytesPerStep = 0.0;      // bytes one rank sends on one link in its largest step
  double bytesSentPerRank = 0.0;  // bytes one rank sends in all
  double bandwidthBytes = 0.0;    // bytes that set the bandwidth term (time = this / B)

  /// Alpha-beta time: steps x alpha + bandwidthBytes / B.
  Duration time(Bandwidth linkBandwidth, Duration alpha) const;
};

/// `bytes` is the per-rank buffer: all-reduce its size, reduce-scatter its input, all-gather
/// its output, send/recv the message. One rank (n = 1) costs nothing.
CollectiveCost collectiveCost(CollectiveKind kind, CollectiveAlgorithm algorithm, int ranks,
                              double bytes);

/// A collective over a group whose members sit `perPackage` to a package (the dies of a
/// partitioned package) across `packages` packages, run in two levels so that the slow
/// links between packages carry 1/perPackage of the data: all-reduce = reduce-scatter
/// inside, all-reduce of the shard across, all-gather inside; reduce-scatter = inside then
/// across on the shard; all-gather = across on the shard then inside. Inside uses a ring.
struct HierarchicalCost {
  CollectiveCost insideFirst;  // over the in-package fabric (D2D), before `across`
  CollectiveCost across;       // between packages, on 1/perPackage of the bytes
  CollectiveCost insideLast;   // over the in-package fabric, after `across`

  /// Sum of the three phases' alpha-beta times on their own links.
  Duration time(Bandwidth insideBandwidth, Duration insideAlpha, Bandwidth acrossBandwidth,
                Duration acrossAlpha) const;
};

HierarchicalCost hierarchicalCollective(CollectiveKind kind, CollectiveAlgorithm across,
                                        int perPackage, int packages, double bytes);

/// nccl-tests bus-bandwidth factor: all-reduce 2(n-1)/n, reduce-scatter and all-gather
/// (n-1)/n, send/recv 1.
double busBandwidthFactor(CollectiveKind kind, int ranks);

}  // namespace chipletsim
