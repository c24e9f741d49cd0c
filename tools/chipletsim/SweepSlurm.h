#pragma once
// Sweeps split over batch jobs: `chipletsim sweep SWEEP.yaml --emit-slurm DIR` writes
//   DIR/manifest.tsv   one line per point: INDEX <tab> the `chipletsim run` arguments of the
//                      point, shell-quoted (after '#' header lines naming the sweep file)
//   DIR/sweep.sbatch   a Slurm job array; array task T runs points T*K .. T*K+K-1 with
//                      `chipletsim sweep SWEEP.yaml --out DIR --points A-B --resume`
//   DIR/points/, DIR/slurm/ (the tasks' Slurm logs)
// Every slice stores its points in DIR/points/ exactly as the local backend does (PointRun.h);
// `chipletsim sweep --collect DIR` then merges them into DIR/results.{csv,json}, the same rows
// as one local run of the whole sweep. Paths are made absolute so the jobs may start anywhere.

#include <cstddef>
#include <string>

#include "SweepRunner.h"

namespace chipletsim {

/// Writes the manifest and the job-array script for `sweepFile` into `dir`, `perTask`
/// points per array task (0: as few as keep the array within 1000 tasks).
int commandEmitSlurm(const std::string& sweepFile, const std::string& dir, std::size_t perTask);

/// Merges DIR/points/ into DIR/results.{csv,json}. The sweep file is `sweepFile`, or, when
/// empty, the one DIR/manifest.tsv names. Returns 0 when every point has a result, 1 when
/// some failed or have not run yet.
int commandCollect(const std::string& sweepFile, const std::string& dir);

/// "A-B" or "A" (point indices, inclusive) into options.first/last; ConfigError when not.
void parsePointRange(const std::string& text, SweepOptions& options);

/// `text` as one word for a POSIX shell (in single quotes unless it needs none).
std::string shellQuote(const std::string& text);

}  // namespace chipletsim
