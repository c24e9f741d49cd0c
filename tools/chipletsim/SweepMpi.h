#pragma once
// The MPI backend of `chipletsim sweep`: `mpirun -np N chipletsim sweep SWEEP.yaml --backend
// mpi --out DIR`. Rank 0 loads the sweep, skips resumed points and hands the others out one
// at a time to whichever worker (ranks 1..N-1) asks next, so points of very different cost
// balance themselves. A worker runs each point in its own child process (PointProcess, in a
// scratch folder under $TMPDIR on its own node) and sends back the exit status, the results
// JSON and the log; rank 0 stores them in DIR/points/ the moment they arrive (the same
// files as the local backend, so --resume works across backends) and writes
// DIR/results.{csv,json} at the end. Workers need the sweep's config files at the same
// paths (a shared file system); only rank 0 writes DIR.
//
// What survives what, with Open MPI 4.1 (no fault tolerance in the MPI library):
// - a point's process killed (crash, OOM killer, kill -9 of the child): retried once on any
//   worker, then recorded as failed;
// - a worker rank sent SIGTERM or SIGINT: it stops its point, which rank 0 retries
//   elsewhere, and leaves; the sweep goes on with the others;
// - a worker rank killed outright (SIGKILL, node lost): mpirun aborts the whole job. Every
//   point finished before is already in DIR/points/, so `--resume` reruns only the points
//   that were in flight.
// - Ctrl-C of mpirun: mpirun signals every rank; finished points are kept (--resume).
//
// MPI stays out of the `chipletsim` executable (loading libmpi would slow every process
// start, points included): `chipletsim sweep --backend mpi` replaces itself (exec, same
// process, same arguments and MPI environment) with `chipletsim-mpi`, built beside it only
// when CMake finds MPI; without it --backend mpi is a bad-input error saying so.

#include <string>

#include "SweepRunner.h"

namespace chipletsim {

/// `chipletsim sweep --backend mpi` on every rank (in chipletsim-mpi). Rank 0 returns what
/// commandSweep would (0, 1 or 130); workers return 0.
int commandSweepMpi(const std::string& sweepFile, const SweepOptions& options);

/// In `chipletsim`: execs chipletsim-mpi beside this executable with this process's
/// arguments. Returns only by throwing: ConfigError when there is no chipletsim-mpi.
[[noreturn]] void execMpiBackend();

}  // namespace chipletsim
