#pragma once
// `chipletsim compare WORKLOAD PLATFORM...`: runs the workload on each platform (one child
// process each, through the sweep runner) and prints the results side by side, one column
// per platform and one line per metric present in the results, the best value of each
// line marked with '*'.

#include <ostream>
#include <string>
#include <vector>

#include "SweepTable.h"

namespace chipletsim {

struct CompareOptions {
  std::string workload;
  std::vector<std::string> platforms;
  std::vector<std::string> sets;  // --set overrides applied to every run
  int jobs = 0;        // children at a time; 0: one per platform up to the machine's cores
  std::string outDir;  // keep points/ and results.{csv,json} here ("" : a temporary folder)
};

/// Which way a metric is better.
enum class Better { kHigher, kLower, kNeither };

/// One line of the comparison: a metric, how it is printed and which way is better.
struct CompareMetric {
  std::string metric;  // flattened metric name ("breakdown_s.compute")
  std::string label;   // what the table calls it
  std::string unit;    // for formatValue ("B/s", "s", "$", "1")
  Better better;
};

/// The metrics a comparison shows, in order (those absent from every result are skipped).
const std::vector<CompareMetric>& compareMetrics();

/// The side-by-side table of `table`'s rows (platforms as columns); best marked '*'.
void printComparison(std::ostream& os, const SweepTable& table);

/// The sweep a comparison runs: one variant per platform, named after the platform file.
SweepSpec compareSweep(const std::string& workload, const std::vector<std::string>& platforms,
                       const std::vector<std::string>& sets = {});

/// The comparison a file describes (configs/comparisons/): `workload:` and `platforms:`,
/// paths relative to the file.
///   workload: ../workloads/tiny-llama.yaml
///   platforms: [../platforms/h100-like.yaml, ../platforms/partition-4die-cowos-s.yaml]
void loadComparison(const std::string& path, CompareOptions& options);

/// configs/comparisons/default.yaml: what `chipletsim compare` runs without arguments.
std::string defaultComparisonFile();

/// Runs the comparison and prints it on stdout. With no workload it runs the default
/// comparison; with a workload argument that is a comparison file and no platforms, that
/// comparison. 0 when every platform ran, 1 when some
/// failed (their errors are printed under the table), 130 when interrupted.
int commandCompare(const CompareOptions& options);

}  // namespace chipletsim
