#include "Plot.h"

#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "SweepTable.h"
#include "common/Errors.h"

extern char** environ;

#ifndef CHIPLETSIM_PLOT_DIR
#define CHIPLETSIM_PLOT_DIR ""
#endif

namespace chipletsim {

namespace fs = std::filesystem;

namespace {

// Tools/plot: $CHIPLETSIM_PLOT_DIR, beside an installed executable, or the source tree.
std::string plotScriptDir() {
  if (const char* env = std::getenv("CHIPLETSIM_PLOT_DIR"); env && *env) return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "chipletsim" / "plot";
    if (fs::is_directory(installed, ec)) return installed.string();
  }
  return CHIPLETSIM_PLOT_DIR;
}

std::string gnuplotString(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}

void runGnuplot(const std::string& script,
                const std::vector<std::pair<std::string, std::string>>& vars) {
  std::string setup;
  for (const auto& [k, v] : vars) setup += k + "=" + v + "; ";
  std::vector<std::string> args = {"gnuplot", "-e", setup, script};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, "gnuplot", nullptr, nullptr, argv.data(), environ);
  if (rc != 0)
    throw ConfigError("cannot run gnuplot (" + std::string(std::strerror(rc)) +
                      "): install it with tools/setup.sh (Debian package gnuplot-nox)");
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
    throw InternalError("gnuplot failed on " + script + " (see its messages above)");
}

double number(const std::string& s) {
  if (s.empty()) return std::nan("");
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  return end && *end == '\0' ? v : std::nan("");
}

// A label per row: the values of the varied columns that differ between rows, else the name.
std::vector<std::string> rowLabels(const CsvTable& t, const std::vector<std::size_t>& rows) {
  const int name = t.column("name"), status = t.column("status");
  std::vector<int> varying;
  for (int c = name + 1; c < status; ++c) {
    for (std::size_t r : rows)
      if (t.rows[r][c] != t.rows[rows.front()][c]) {
        varying.push_back(c);
        break;
      }
  }
  std::vector<std::string> labels;
  for (std::size_t r : rows) {
    // A variant's own name says it best; grid points are named key=value,...
    const std::string& own = t.rows[r][name];
    if (own.find('=') == std::string::npos) {
      labels.push_back(own);
      continue;
    }
    // Zip axes repeat one value over several keys: show each value once. A bare number
    // says little alone: it gets its key's last part ("dies=4").
    std::vector<std::string> seen;
    std::string l;
    for (int c : varying) {
      const std::string& v = t.rows[r][c];
      if (std::find(seen.begin(), seen.end(), v) != seen.end()) continue;
      seen.push_back(v);
      std::string shown = v;
      if (!std::isnan(number(v))) {
        const std::string& key = t.header[static_cast<std::size_t>(c)];
        shown = key.substr(key.find_last_of('.') + 1) + "=" + v;
      }
      l += (l.empty() ? "" : " ") + shown;
    }
    labels.push_back(l.empty() ? own : l);
  }
  return labels;
}

// Seconds shown in the unit that keeps the numbers readable.
std::pair<double, std::string> timeScale(double maxSeconds) {
  if (maxSeconds >= 1.0) return {1.0, "s"};
  if (maxSeconds >= 1e-3) return {1e3, "ms"};
  if (maxSeconds >= 1e-6) return {1e6, "us"};
  return {1e9, "ns"};
}

struct Series {
  std::string title;  // plot title
  std::string valueLabel;
  std::vector<double> value;
  std::string stackLabel;
  std::vector<std::string> stackNames;
  std::vector<std::vector<double>> stack;  // [row][component]
};

}  // namespace

int CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

CsvTable parseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        records.back().back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        records.back().back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      records.back().emplace_back();
    } else if (c == '\n') {
      records.emplace_back(1);
    } else if (c != '\r') {
      records.back().back() += c;
    }
  }
  while (!records.empty() && records.back().size() == 1 && records.back()[0].empty())
    records.pop_back();
  CsvTable t;
  if (records.empty()) return t;
  t.header = records.front();
  for (std::size_t i = 1; i < records.size(); ++i) {
    if (records[i].size() != t.header.size())
      throw ConfigError("CSV line " + std::to_string(i + 1) + " has " +
                        std::to_string(records[i].size()) + " fields, the header " +
                        std::to_string(t.header.size()));
    t.rows.push_back(std::move(records[i]));
  }
  return t;
}

std::vector<std::size_t> paretoFront(const std::vector<ParetoPoint>& p) {
  std::vector<std::size_t> front;
  for (std::size_t i = 0; i < p.size(); ++i) {
    bool dominated = false;
    for (std::size_t j = 0; j < p.size() && !dominated; ++j)
      dominated = p[j].cost <= p[i].cost && p[j].throughput >= p[i].throughput &&
                  (p[j].cost < p[i].cost || p[j].throughput > p[i].throughput);
    if (!dominated) front.push_back(i);
  }
  std::stable_sort(front.begin(), front.end(),
                   [&](std::size_t a, std::size_t b) { return p[a].cost < p[b].cost; });
  return front;
}

std::vector<std::string> plotResults(const std::string& csvFile, const std::string& outDirArg) {
  std::ifstream in(csvFile, std::ios::binary);
  if (!in) throw ConfigError("cannot read '" + csvFile + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  const CsvTable t = parseCsv(ss.str());
  const int name = t.column("name"), status = t.column("status");
  if (name < 0 || status < 0)
    throw ConfigError("'" + csvFile + "' is not a chipletsim results.csv (no name/status columns)");
  std::vector<std::size_t> ok;
  for (std::size_t r = 0; r < t.rows.size(); ++r)
    if (t.rows[r][status] == "ok") ok.push_back(r);
  if (ok.empty()) throw ConfigError("'" + csvFile + "' has no successful points to plot");
  auto col = [&](const std::string& c, std::size_t r) {
    const int i = t.column(c);
    return i < 0 ? std::nan("") : number(t.rows[r][i]);
  };

  Series s;
  const bool training = t.column("tokens_per_s") >= 0;
  if (training) {
    s.title = "throughput and step-time breakdown";
    s.valueLabel = "tokens/s";
    std::vector<std::string> parts;
    double maxStep = 0.0;
    for (const auto& h : t.header)
      if (h.rfind("breakdown_s.", 0) == 0) parts.push_back(h);
    for (std::size_t r : ok) maxStep = std::max(maxStep, col("step_time_s", r));
    const auto [scale, unit] = timeScale(maxStep);
    s.stackLabel = "step time (" + unit + ")";
    for (const auto& p : parts) s.stackNames.push_back(p.substr(12));
    for (std::size_t r : ok) {
      s.value.push_back(col("tokens_per_s", r));
      std::vector<double> row;
      for (const auto& p : parts) row.push_back(col(p, r) * scale);
      s.stack.push_back(row);
    }
  } else if (t.column("achieved_bytes_per_s") >= 0) {
    s.title = "achieved bandwidth";
    s.valueLabel = "achieved (GB/s)";
    s.stackLabel = "bandwidth (GB/s)";
    s.stackNames = {"achieved", "headroom to peak"};
    for (std::size_t r : ok) {
      const double a = col("achieved_bytes_per_s", r) * 1e-9;
      const double peak = col("peak_bytes_per_s", r) * 1e-9;
      s.value.push_back(a);
      s.stack.push_back({a, std::isnan(peak) ? 0.0 : std::max(0.0, peak - a)});
    }
  } else {
    throw ConfigError("'" + csvFile +
                      "' has neither tokens_per_s nor achieved_bytes_per_s: nothing to plot");
  }
  const fs::path outDir =
      outDirArg.empty() ? fs::absolute(csvFile).parent_path() : fs::path(outDirArg);
  std::error_code ec;
  fs::create_directories(outDir, ec);
  if (ec) throw ConfigError("cannot create '" + outDir.string() + "': " + ec.message());
  const std::vector<std::string> labels = rowLabels(t, ok);
  // Points that failed are not plotted; the titles say how many (results.csv says why).
  const std::size_t failed = t.rows.size() - ok.size();
  const std::string failedNote = failed ? " (" + std::to_string(failed) + " of " +
                                              std::to_string(t.rows.size()) +
                                              " points failed, not shown)"
                                        : "";
  const std::string scripts = plotScriptDir();
  std::vector<std::string> written;

  // Throughput per variant, breakdown stacked.
  {
    const fs::path dat = outDir / "throughput.dat";
    std::ofstream d(dat);
    d << "label\t" << s.valueLabel;
    for (const auto& n : s.stackNames) d << "\t" << n;
    d << "\n";
    for (std::size_t i = 0; i < ok.size(); ++i) {
      d << labels[i] << "\t" << formatNumber(s.value[i]);
      for (double v : s.stack[i]) d << "\t" << formatNumber(std::isnan(v) ? 0.0 : v);
      d << "\n";
    }
    d.close();
    for (const char* term : {"png", "svg"}) {
      const fs::path out = outDir / (std::string("throughput.") + term);
      runGnuplot(scripts + "/throughput.gp", {{"datafile", gnuplotString(dat.string())},
                                              {"outfile", gnuplotString(out.string())},
                                              {"term", gnuplotString(term)},
                                              {"plottitle", gnuplotString(s.title + failedNote)},
                                              {"ylabel1", gnuplotString(s.valueLabel)},
                                              {"ylabel2", gnuplotString(s.stackLabel)},
                                              {"ncomp", std::to_string(s.stackNames.size())},
                                              {"npoints", std::to_string(ok.size())}});
      written.push_back(out.string());
    }
  }

  // Throughput against cost (or latency), Pareto front marked.
  std::string xcol, xlabel;
  if (training && t.column("cost.package_usd") >= 0) {
    xcol = "cost.package_usd";
    xlabel = "package cost ($)";
  } else if (training && t.column("energy_j_per_token") >= 0) {
    xcol = "energy_j_per_token";  // no cost in the results: the energy trade-off instead
    xlabel = "energy per token (J)";
  } else if (!training && t.column("latency_ns.p99") >= 0) {
    xcol = "latency_ns.p99";
    xlabel = "p99 latency (ns)";
  }
  if (!xcol.empty()) {
    std::vector<ParetoPoint> pts;
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < ok.size(); ++i) {
      const double x = col(xcol, ok[i]);
      if (std::isnan(x) || std::isnan(s.value[i])) continue;
      pts.push_back({x, s.value[i]});
      idx.push_back(i);
    }
    // A trade-off needs at least two different costs.
    const bool spread = std::any_of(
        pts.begin(), pts.end(), [&](const ParetoPoint& q) { return q.cost != pts.front().cost; });
    if (!spread) return written;
    const fs::path all = outDir / "pareto-points.dat", front = outDir / "pareto-front.dat";
    std::ofstream a(all), f(front);
    const std::vector<std::size_t> onFront = paretoFront(pts);
    auto isFront = [&](std::size_t k) {
      return std::find(onFront.begin(), onFront.end(), k) != onFront.end();
    };
    // Points that (nearly) coincide share one label instead of printing over each other.
    double x0 = pts.front().cost, x1 = x0, y0 = pts.front().throughput, y1 = y0;
    for (const auto& q : pts) {
      x0 = std::min(x0, q.cost), x1 = std::max(x1, q.cost);
      y0 = std::min(y0, q.throughput), y1 = std::max(y1, q.throughput);
    }
    std::vector<std::string> pointLabel(pts.size());
    for (std::size_t k = 0; k < pts.size(); ++k) {
      pointLabel[k] = labels[idx[k]];
      for (std::size_t m = 0; m < k; ++m) {
        if (isFront(m) || isFront(k) || pointLabel[m].empty()) continue;
        if (std::fabs(pts[m].cost - pts[k].cost) <= 0.03 * (x1 - x0) &&
            std::fabs(pts[m].throughput - pts[k].throughput) <= 0.02 * (y1 - y0 + 1e-300)) {
          pointLabel[m] += ", " + pointLabel[k];
          pointLabel[k].clear();
          break;
        }
      }
    }
    for (std::size_t k = 0; k < pts.size(); ++k)
      a << formatNumber(pts[k].cost) << "\t" << formatNumber(pts[k].throughput) << "\t"
        << (pointLabel[k].empty() ? " " : pointLabel[k]) << "\t" << (isFront(k) ? 1 : 0) << "\n";
    for (std::size_t k : onFront)
      f << formatNumber(pts[k].cost) << "\t" << formatNumber(pts[k].throughput) << "\t"
        << labels[idx[k]] << "\n";
    a.close();
    f.close();
    for (const char* term : {"png", "svg"}) {
      const fs::path out = outDir / (std::string("pareto.") + term);
      runGnuplot(scripts + "/pareto.gp",
                 {{"pointsfile", gnuplotString(all.string())},
                  {"frontfile", gnuplotString(front.string())},
                  {"outfile", gnuplotString(out.string())},
                  {"term", gnuplotString(term)},
                  {"plottitle", gnuplotString(s.valueLabel + " against " + xlabel + failedNote)},
                  {"xlabel", gnuplotString(xlabel)},
                  {"ylabel", gnuplotString(s.valueLabel)}});
      written.push_back(out.string());
    }
  }
  return written;
}

int commandPlot(const std::string& csvFile, const std::string& outDir) {
  const auto files = plotResults(csvFile, outDir);
  for (const auto& f : files) std::cout << f << "\n";
  if (files.size() < 4) std::cerr << "plot: no cost or latency column, so no Pareto plot\n";
  return 0;
}

}  // namespace chipletsim
