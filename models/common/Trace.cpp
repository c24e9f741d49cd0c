#include "common/Trace.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <ostream>

#include "common/Errors.h"

namespace chipletsim {

namespace {

void appendEscaped(std::string& out, const std::string& s) {
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  out += '"';
}

void appendNumber(std::string& out, double v) {
  if (!std::isfinite(v)) v = 0.0;  // JSON has no inf or nan
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  out += buf;
}

/// Ticks (ps) as microseconds with six decimals: exact, no floating point.
void appendMicros(std::string& out, Tick t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%" PRIu64 ".%06" PRIu64, t / 1000000, t % 1000000);
  out += buf;
}

/// Thousandths as a decimal with three places.
void appendMillis(std::string& out, std::int64_t v) {
  char buf[32];
  const std::uint64_t a = static_cast<std::uint64_t>(v < 0 ? -v : v);
  std::snprintf(buf, sizeof buf, "%s%" PRIu64 ".%03" PRIu64, v < 0 ? "-" : "", a / 1000, a % 1000);
  out += buf;
}

}  // namespace

const char* traceDetailName(TraceDetail d) {
  switch (d) {
    case TraceDetail::kStep:
      return "step";
    case TraceDetail::kLayer:
      return "layer";
    case TraceDetail::kOp:
      return "op";
  }
  return "?";
}

bool parseTraceDetail(const std::string& text, TraceDetail& out) {
  for (TraceDetail d : {TraceDetail::kStep, TraceDetail::kLayer, TraceDetail::kOp}) {
    if (text == traceDetailName(d)) {
      out = d;
      return true;
    }
  }
  return false;
}

TraceArgs& TraceArgs::add(const std::string& key, double value) {
  if (!m_body.empty()) m_body += ',';
  appendEscaped(m_body, key);
  m_body += ':';
  appendNumber(m_body, value);
  return *this;
}

TraceArgs& TraceArgs::add(const std::string& key, const std::string& text) {
  if (!m_body.empty()) m_body += ',';
  appendEscaped(m_body, key);
  m_body += ':';
  appendEscaped(m_body, text);
  return *this;
}

const std::string& TraceArgs::json() const {
  m_json = "{" + m_body + "}";
  return m_json;
}

TraceRecorder::TraceRecorder(TraceOptions options) : m_options(options) {
  if (m_options.sampleInterval == 0)
    throw InternalError("trace: the sample interval must be positive");
}

int TraceRecorder::process(const std::string& name) {
  const auto it = m_processIds.find(name);
  if (it != m_processIds.end()) return it->second;
  m_processes.push_back(name);
  m_threadsPerProcess.push_back(0);
  const int pid = static_cast<int>(m_processes.size());
  m_processIds.emplace(name, pid);
  return pid;
}

int TraceRecorder::track(const std::string& processName, const std::string& thread) {
  const int pid = process(processName);
  const auto key = std::make_pair(pid, thread);
  const auto it = m_trackIds.find(key);
  if (it != m_trackIds.end()) return it->second;
  const int tid = m_threadsPerProcess[static_cast<std::size_t>(pid - 1)]++;
  m_tracks.push_back(Track{pid, tid, thread});
  const int id = static_cast<int>(m_tracks.size()) - 1;
  m_trackIds.emplace(key, id);
  return id;
}

void TraceRecorder::slice(int track, Tick start, Tick end, int depth, const std::string& name,
                          const std::string& category, const TraceArgs& args) {
  if (track < 0 || track >= static_cast<int>(m_tracks.size()))
    throw InternalError("trace: slice on an unknown track");
  if (end < start) throw InternalError("trace: slice '" + name + "' ends before it starts");
  m_slices.push_back(Slice{track, start, end, depth, name, category, args.json()});
}

int TraceRecorder::counter(const std::string& processName, const std::string& name) {
  const int pid = process(processName);
  const auto key = std::make_pair(pid, name);
  const auto it = m_counterIds.find(key);
  if (it != m_counterIds.end()) return it->second;
  m_counters.push_back(Counter{pid, name, {}});
  const int id = static_cast<int>(m_counters.size()) - 1;
  m_counterIds.emplace(key, id);
  return id;
}

void TraceRecorder::sample(int counter, Tick time, double value) {
  if (counter < 0 || counter >= static_cast<int>(m_counters.size()))
    throw InternalError("trace: sample of an unknown counter");
  Counter& c = m_counters[static_cast<std::size_t>(counter)];
  if (!std::isfinite(value)) value = 0.0;
  const auto v = static_cast<std::int64_t>(std::llround(value * 1000.0));
  if (!c.samples.empty()) {
    if (time < c.samples.back().first)
      throw InternalError("trace: counter '" + c.name + "' sampled back in time");
    if (c.samples.back().second == v) return;
    if (c.samples.back().first == time) {
      c.samples.back().second = v;  // a later value at the same time replaces the earlier
      return;
    }
  }
  c.samples.emplace_back(time, v);
}

std::size_t TraceRecorder::sampleCount() const {
  std::size_t n = 0;
  for (const Counter& c : m_counters) n += c.samples.size();
  return n;
}

namespace {

using Samples = std::vector<std::pair<Tick, std::int64_t>>;

/// Time-weighted means of a piecewise-constant series (each value holds from its time to the
/// next; 0 before the first) over windows [k w, (k + 1) w), repeats dropped.
Samples coarsen(const Samples& s, Tick w) {
  Samples out;
  if (s.empty()) return out;
  std::size_t j = 0;  // first sample that may overlap the window
  Tick a = s.front().first / w * w;
  for (; a <= s.back().first; a += w) {
    const Tick b = a + w;
    while (j + 1 < s.size() && s[j + 1].first <= a) ++j;
    long double area = 0.0L;
    for (std::size_t i = j; i < s.size() && s[i].first < b; ++i) {
      const Tick from = std::max(a, s[i].first);
      const Tick to = i + 1 < s.size() ? std::min(b, s[i + 1].first) : b;
      if (to > from)
        area += static_cast<long double>(s[i].second) * static_cast<long double>(to - from);
    }
    const auto v = static_cast<std::int64_t>(std::llround(area / static_cast<long double>(w)));
    if (out.empty() || out.back().second != v) out.emplace_back(a, v);
  }
  // After the last sample its value holds on (0: the end of the trace).
  if (out.back().second != s.back().second) out.emplace_back(a, s.back().second);
  return out;
}

}  // namespace

std::string TraceRecorder::counterEvents(Tick window) const {
  std::string text;
  for (const Counter& c : m_counters) {
    std::string head = "{\"ph\":\"C\",\"pid\":" + std::to_string(c.pid) + ",\"tid\":0,\"name\":";
    appendEscaped(head, c.name);
    head += ",\"ts\":";
    const Samples coarse =
        window == m_options.sampleInterval ? Samples{} : coarsen(c.samples, window);
    for (const auto& [time, value] : window == m_options.sampleInterval ? c.samples : coarse) {
      text += head;
      appendMicros(text, time);
      text += ",\"args\":{\"value\":";
      appendMillis(text, value);
      text += "}},\n";
    }
  }
  return text;
}

void TraceRecorder::write(std::ostream& out) const {
  // Metadata and slices first, so that the counters can be fitted into what is left.
  std::string body;
  std::string line;
  auto emit = [&] {
    body += line;
    body += ",\n";
    line.clear();
  };
  for (std::size_t p = 0; p < m_processes.size(); ++p) {
    const std::string pid = std::to_string(p + 1);
    line =
        "{\"ph\":\"M\",\"pid\":" + pid + ",\"tid\":0,\"name\":\"process_name\",\"args\":{\"name\":";
    appendEscaped(line, m_processes[p]);
    line += "}}";
    emit();
    line = "{\"ph\":\"M\",\"pid\":" + pid +
           ",\"tid\":0,\"name\":\"process_sort_index\",\"args\":{\"sort_index\":" + pid + "}}";
    emit();
  }
  for (const Track& t : m_tracks) {
    const std::string ids =
        "\"pid\":" + std::to_string(t.pid) + ",\"tid\":" + std::to_string(t.tid);
    line = "{\"ph\":\"M\"," + ids + ",\"name\":\"thread_name\",\"args\":{\"name\":";
    appendEscaped(line, t.name);
    line += "}}";
    emit();
    line = "{\"ph\":\"M\"," + ids +
           ",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":" + std::to_string(t.tid) +
           "}}";
    emit();
  }
  // Slices track by track; on a track by start, the longer (outer) first, then by depth.
  std::vector<std::size_t> order(m_slices.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Slice& x = m_slices[a];
    const Slice& y = m_slices[b];
    if (x.track != y.track) return x.track < y.track;
    if (x.start != y.start) return x.start < y.start;
    if (x.end != y.end) return x.end > y.end;
    return x.depth < y.depth;
  });
  for (const std::size_t i : order) {
    const Slice& s = m_slices[i];
    const Track& t = m_tracks[static_cast<std::size_t>(s.track)];
    line = "{\"ph\":\"X\",\"pid\":" + std::to_string(t.pid) + ",\"tid\":" + std::to_string(t.tid) +
           ",\"ts\":";
    appendMicros(line, s.start);
    line += ",\"dur\":";
    appendMicros(line, s.end - s.start);
    line += ",\"name\":";
    appendEscaped(line, s.name);
    line += ",\"cat\":";
    appendEscaped(line, s.category);
    line += ",\"args\":" + s.args + "}";
    emit();
  }
  // Counters at the recorded interval, or averaged over wider windows until they fit.
  constexpr std::size_t kHeadRoom = 512;  // the header and the closing brackets
  Tick window = m_options.sampleInterval;
  std::string counters = counterEvents(window);
  while (m_options.maxBytes > 0 && body.size() + counters.size() + kHeadRoom > m_options.maxBytes &&
         sampleCount() > 0 && window < (Tick{1} << 62)) {
    window *= 2;
    counters = counterEvents(window);
    if (counters.size() <= m_counters.size() * 96) break;  // about one value per series left
  }
  body += counters;
  if (body.size() >= 2) body.resize(body.size() - 2);  // the last ",\n"
  out << "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"chipletsim\",\"detail\":";
  out << '"' << traceDetailName(m_options.detail)
      << "\",\"sample_interval_ns\":" << m_options.sampleInterval / kTicksPerNs
      << ",\"counter_window_ns\":" << window / kTicksPerNs << "},\"traceEvents\":[\n"
      << body << "\n]}\n";
}

void UtilisationSampler::addSource(const std::string& process, std::vector<Series> series,
                                   Reader read) {
  Source s;
  for (const Series& x : series) {
    if (!(x.capacity > 0.0))
      throw InternalError("trace: series '" + x.name + "' needs a positive capacity");
    s.counters.push_back(m_trace.counter(process, x.name));
    s.capacity.push_back(x.capacity);
    m_names.push_back(process + "/" + x.name);
    m_latest.push_back(0.0);
  }
  s.last.assign(series.size(), 0.0);
  s.read = std::move(read);
  m_sources.push_back(std::move(s));
}

void UtilisationSampler::sample(Tick now) {
  if (m_started && now <= m_last) return;
  const double seconds = static_cast<double>(now - m_last) / static_cast<double>(kTicksPerSecond);
  std::size_t k = 0;
  for (Source& s : m_sources) {
    m_scratch.assign(s.last.size(), 0.0);
    s.read(m_scratch);
    for (std::size_t i = 0; i < s.last.size(); ++i, ++k) {
      if (m_started) {
        m_latest[k] = (m_scratch[i] - s.last[i]) / (s.capacity[i] * seconds);
        m_trace.sample(s.counters[i], m_last, m_latest[k]);
      }
      s.last[i] = m_scratch[i];
    }
  }
  m_last = now;
  m_started = true;
}

void UtilisationSampler::finish(Tick now) {
  sample(now);
  for (const Source& s : m_sources)
    for (const int c : s.counters) m_trace.sample(c, m_last, 0.0);
}

}  // namespace chipletsim
