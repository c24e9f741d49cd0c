#pragma once
// Timeline traces in the Chrome trace-event format (JSON that chrome://tracing and Perfetto
// open): {"traceEvents":[...],"displayTimeUnit":"ns"}.
//
// A TraceRecorder collects two things while a simulation runs:
//  - slices: complete ("X") events on a track (a trace "thread" of a trace "process"), e.g.
//    the ops a compute die runs. The caller guarantees that the slices of one track nest:
//    two slices either do not overlap or one lies inside the other. `depth` (0 outermost)
//    orders a parent before a child that starts and ends at the same time.
//  - counters ("C" events): one series per name in a process, e.g. the utilisation of one
//    HBM pseudo-channel. A sample that repeats the previous value of its series is dropped,
//    so an idle or steadily loaded resource costs nothing per sample interval.
// A UtilisationSampler turns cumulative counters of the models (bytes moved, seconds busy)
// into utilisation samples at fixed intervals, so models need no trace code to be traced.
//
// Models get an optional pointer to a recorder: when none is attached, tracing costs nothing.
// Times are integer ticks (picoseconds); the file gives them in microseconds with six
// decimals, and counter values with three, so the same run gives a byte-identical file.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/Units.h"

namespace chipletsim {

/// How fine the slices of a trace are; each level includes the coarser ones.
enum class TraceDetail {
  kStep,   // the step and its simulated segments (forward pass, backward pass, tail)
  kLayer,  // + one slice per layer and, inside it, per phase (forward, backward, ...)
  kOp,     // + one slice per op and per collective step
};

/// "step", "layer" or "op".
const char* traceDetailName(TraceDetail d);
/// Parses "step" | "layer" | "op"; false for anything else.
bool parseTraceDetail(const std::string& text, TraceDetail& out);

struct TraceOptions {
  TraceDetail detail = TraceDetail::kOp;
  /// Interval of the utilisation counters, ticks (ps), > 0.
  Tick sampleInterval = 100 * 1000 * kTicksPerNs;
  /// Size budget of the written file, bytes (0: none). When the counters would not fit
  /// beside the slices, write() averages them over windows of 2, 4, 8, ... sample intervals
  /// (time-weighted, so the mean utilisation of any window is kept) until they do.
  std::uint64_t maxBytes = 100ull * 1000 * 1000;
};

/// Arguments of a slice ("args" of the event), in insertion order.
class TraceArgs {
 public:
  TraceArgs& add(const std::string& key, double value);
  TraceArgs& add(const std::string& key, const std::string& text);
  /// The JSON object, "{}" when empty.
  const std::string& json() const;

 private:
  std::string m_body;
  mutable std::string m_json;
};

class TraceRecorder {
 public:
  explicit TraceRecorder(TraceOptions options = {});

  const TraceOptions& options() const { return m_options; }
  /// True when slices of `level` are recorded.
  bool wants(TraceDetail level) const { return level <= m_options.detail; }

  /// The track `thread` of process `process`, created on first use. Processes and threads
  /// are numbered in order of creation (pid from 1, tid from 0 within the process).
  int track(const std::string& process, const std::string& thread);
  /// A complete slice [start, end] on `track` (end >= start, else InternalError).
  void slice(int track, Tick start, Tick end, int depth, const std::string& name,
             const std::string& category, const TraceArgs& args = {});

  /// The counter series `name` of process `process`, created on first use.
  int counter(const std::string& process, const std::string& name);
  /// The value of `counter` from `time` on (rounded to 1e-3). Times of one counter must not
  /// decrease (InternalError). Repeats of the current value are dropped.
  void sample(int counter, Tick time, double value);

  std::size_t sliceCount() const { return m_slices.size(); }
  std::size_t sampleCount() const;

  /// Writes the whole trace: metadata (process and thread names), then the slices of each
  /// track sorted by start (parents first), then each counter's samples in time order,
  /// averaged over wider windows when needed to stay within options().maxBytes (the window
  /// used is otherData.counter_window_ns). Slices are never dropped.
  void write(std::ostream& out) const;

 private:
  struct Track {
    int pid;
    int tid;
    std::string name;
  };
  struct Slice {
    int track;
    Tick start;
    Tick end;
    int depth;
    std::string name;
    std::string category;
    std::string args;
  };
  struct Counter {
    int pid;
    std::string name;
    std::vector<std::pair<Tick, std::int64_t>> samples;  // (time, value x 1000)
  };

  int process(const std::string& name);
  /// The counter events for samples averaged over windows of `window` ticks (the samples as
  /// recorded when `window` is the sample interval), one event per line.
  std::string counterEvents(Tick window) const;

  TraceOptions m_options;
  std::vector<std::string> m_processes;  // index + 1 = pid
  std::map<std::string, int> m_processIds;
  std::vector<Track> m_tracks;
  std::map<std::pair<int, std::string>, int> m_trackIds;
  std::vector<int> m_threadsPerProcess;
  std::vector<Slice> m_slices;
  std::vector<Counter> m_counters;
  std::map<std::pair<int, std::string>, int> m_counterIds;
};

/// Samples cumulative quantities (bytes moved, seconds busy) of the models every interval and
/// records their rate over the interval as a fraction of a capacity: utilisation counters.
/// Plain C++: the caller advances simulated time and calls sample().
class UtilisationSampler {
 public:
  /// One series: its counter name and the rate at 100% (bytes per second for bytes, 1 for
  /// seconds busy), > 0.
  struct Series {
    std::string name;
    double capacity;
  };
  /// Fills `values` (sized like the source's series) with cumulative values, non-decreasing.
  using Reader = std::function<void(std::vector<double>& values)>;

  explicit UtilisationSampler(TraceRecorder& trace) : m_trace(trace) {}

  /// Series of process `process` read together by `read` (one stats query per component).
  void addSource(const std::string& process, std::vector<Series> series, Reader read);
  /// Reads every source at `now` and records the utilisation of the interval since the last
  /// call (the first call only sets the baseline) at the interval's start.
  void sample(Tick now);
  /// A last sample at `now`, then every series back to 0 there (the trace ends).
  void finish(Tick now);

  /// "process/name" of every series, in the order of latest().
  const std::vector<std::string>& seriesNames() const { return m_names; }
  /// The utilisation of every series over the last interval sampled (0 before the second
  /// sample): what a waveform (VCD) of the counters shows.
  const std::vector<double>& latest() const { return m_latest; }

 private:
  struct Source {
    std::vector<int> counters;
    std::vector<double> capacity;
    std::vector<double> last;
    Reader read;
  };
  TraceRecorder& m_trace;
  std::vector<Source> m_sources;
  std::vector<std::string> m_names;
  std::vector<double> m_latest;
  std::vector<double> m_scratch;
  Tick m_last = 0;
  bool m_started = false;
};

}  // namespace chipletsim
