#pragma once
// `chipletsim plot RESULTS.csv [--out DIR]`: from a sweep's (or comparison's) results.csv,
// writes with gnuplot (scripts in tools/plot/) as PNG and SVG:
//   throughput.{png,svg}  throughput per variant above, its breakdown stacked below
//                         (training: tokens/s and the step-time breakdown; traffic: achieved
//                         bandwidth and achieved + headroom to peak)
//   pareto.{png,svg}      throughput against package cost (training; energy per token when
//                         the results carry no cost), or against p99 latency (traffic), the
//                         Pareto front marked and labelled
// The data files the scripts read (*.dat) are left beside the images.

#include <string>
#include <vector>

namespace chipletsim {

/// A CSV file: a header and rows of text fields (RFC 4180 quoting, newlines in quotes).
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  /// Column index of `name`, or -1.
  int column(const std::string& name) const;
};

CsvTable parseCsv(const std::string& text);

/// One design point on a throughput-against-cost (or latency) plane.
struct ParetoPoint {
  double cost;        // lower is better
  double throughput;  // higher is better
};

/// Indices of the points no other point dominates (cost <= and throughput >=, one strictly),
/// sorted by cost; equal points are all on the front.
std::vector<std::size_t> paretoFront(const std::vector<ParetoPoint>& points);

/// Writes the plots of `csvFile` into `outDir` (default: the CSV's folder). Returns the
/// image files written. ConfigError for a CSV without plottable columns or no gnuplot.
std::vector<std::string> plotResults(const std::string& csvFile, const std::string& outDir);

/// `chipletsim plot`: plotResults, then lists the files on stdout.
int commandPlot(const std::string& csvFile, const std::string& outDir);

}  // namespace chipletsim
