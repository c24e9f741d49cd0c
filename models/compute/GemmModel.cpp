#include "compute/GemmModel.h"

#include <algorithm>
#include <cmath>

#include "common/Errors.h"

namespace chipletsim {

namespace {

std::int64_t ceilDiv(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

constexpr double kAccumulatorBytes = 4.0;  // fp32 accumulation
constexpr int kMaxTileEdge = 512;
constexpr int kSliceDepths[] = {32, 64, 128, 256};

}  // namespace

double GemmShape::minBytes() const {
  const double e = bytesPerElement(dtype);
  return static_cast<double>(batch) *
         ((m * k + k * n) * e + static_cast<double>(m * n) * bytesPerElement(outDtype));
}

GemmModel::GemmModel(const ComputeSpec& spec, MemoryPath path)
    : m_spec(spec), m_path(path), m_bandwidth(spec.effectiveBandwidth(path)) {
  m_spec.validate();
  if (m_bandwidth.si() <= 0.0) throw SpecError("GEMM model: memory bandwidth must be positive");
}

bool GemmModel::fits(GemmTile t, Dtype dtype) const {
  const double e = bytesPerElement(dtype);
  const double operands = 2.0 * (t.m + t.n) * static_cast<double>(t.k) * e;  // double buffered
  const double acc = static_cast<double>(t.m) * t.n * kAccumulatorBytes;
  if (m_spec.accumulatorPerEngine.si() > 0.0)
    return operands <= m_spec.sramPerEngine.si() && acc <= m_spec.accumulatorPerEngine.si();
  return operands + acc <= m_spec.sramPerEngine.si();
}

std::vector<GemmTile> GemmModel::candidateTiles(Dtype dtype) const {
  std::vector<GemmTile> out;
  for (int tm = m_spec.tensorTileEdge; tm <= std::max(kMaxTileEdge, m_spec.tensorTileEdge); tm *= 2)
    for (int tn = m_spec.tensorTileEdge; tn <= std::max(kMaxTileEdge, m_spec.tensorTileEdge);
         tn *= 2)
      for (int tk : kSliceDepths) {
        GemmTile t{tm, tn, tk};
        if (fits(t, dtype)) out.push_back(t);
      }
  return out;
}

GemmEstimate GemmModel::estimate(const GemmShape& shape) const {
  const auto tiles = candidateTiles(shape.dtype);
  if (tiles.empty())
    throw SpecError("GEMM model: no tile of " + dtypeName(shape.dtype) +
                    " operands fits the engine SRAM");
  GemmEstimate best = estimateWithTile(shape, tiles.front());
  for (std::size_t i = 1; i < tiles.size(); ++i) {
    GemmEstimate e = estimateWithTile(shape, tiles[i]);
    if (e.time < best.time) best = e;
  }
  return best;
}

GemmEstimate GemmModel::estimateWithTile(const GemmShape& s, GemmTile t) const {
  if (s.m < 1 || s.n < 1 || s.k < 1 || s.batch < 1)
    throw SpecError("GEMM model: dimensions must be at least 1");
  const double flopPerCycle =
      m_spec.tensorFlopsPerCycle[static_cast<std::size_t>(dtypeIndex(s.dtype))];
  if (flopPerCycle <= 0.0)
    throw SpecError("GEMM model: tensor engines do not support " + dtypeName(s.dtype));
  if (!fits(t, s.dtype)) throw SpecError("GEMM model: tile does not fit the engine SRAM");

  const double e = bytesPerElement(s.dtype);
  const double eo = bytesPerElement(s.outDtype);
  const double bw = m_bandwidth.si();
  const std::int64_t engines = m_spec.tensorEngines;

  const std::int64_t mt = ceilDiv(s.m, t.m);
  const std::int64_t nt = ceilDiv(s.n, t.n);
  const std::int64_t perMatrix = mt * nt;
  const std::int64_t tiles = s.batch * perMatrix;
  const std::int64_t waves = ceilDiv(tiles, engines);
  const std::int64_t kPadded = ceilDiv(s.k, t.k) * t.k;
  const double rowsPerPanel = static_cast<double>(s.m) / mt;  // data rows of one A panel
  const double colsPerPanel = static_cast<double>(s.n) / nt;  // data columns of one B panel
  const double kd = static_cast<double>(s.k);

  // One engine on one tile: math at the padded native shape, or its SRAM read port.
  const double em = std::max(t.m, m_spec.tensorTileEdge);
  const double en = std::max(t.n, m_spec.tensorTileEdge);
  const double tileMath = 2.0 * em * en * kPadded * m_spec.tensorSecondsPerFlop(s.dtype);
  const double tileSram =
      (t.m + t.n) * static_cast<double>(kPadded) * e / m_spec.sramBandwidthPerEngine.si();
  const double tileTime = std::max(tileMath, tileSram);

  // Operands that fit the shared SRAM whole are read from memory once in all.
  const double shared = m_spec.sharedSram.si();
  const double totalA = static_cast<double>(s.batch) * s.m * kd * e;
  const double totalB = static_cast<double>(s.batch) * kd * s.n * e;
  bool residentA = false;
  bool residentB = false;
  if (shared > 0.0) {
    if (totalA + totalB <= shared / 2.0) {
      residentA = residentB = true;
    } else if (std::min(totalA, totalB) <= shared / 2.0) {
      (totalA <= totalB ? residentA : residentB) = true;
    }
  }

  // Memory reads of a wave of `a` concurrent tiles. The wave covers a block of gr x gc
  // tiles; with shared SRAM its tiles share A row panels and B column panels.
  auto waveReads = [&](std::int64_t a) {
    double panelsA = 0.0;
    double panelsB = 0.0;
    if (a >= perMatrix) {
      const double mats = static_cast<double>(a) / perMatrix;
      panelsA = mats * mt;
      panelsB = mats * nt;
    } else {
      std::int64_t gr = std::min<std::int64_t>(
          mt, static_cast<std::int64_t>(std::ceil(std::sqrt(static_cast<double>(a)))));
      const std::int64_t gc = std::min<std::int64_t>(nt, ceilDiv(a, gr));
      gr = std::min<std::int64_t>(mt, ceilDiv(a, gc));
      panelsA = static_cast<double>(gr);
      panelsB = static_cast<double>(gc);
    }
    const bool reuse =
        shared > 0.0 && 2.0 * (panelsA * rowsPerPanel + panelsB * colsPerPanel) * t.k * e <= shared;
    if (!reuse) {
      panelsA = static_cast<double>(a);
      panelsB = static_cast<double>(a);
    }
    const double share = static_cast<double>(a) / tiles;
    const double readA = residentA ? totalA * share : panelsA * rowsPerPanel * kd * e;
    const double readB = residentB ? totalB * share : panelsB * colsPerPanel * kd * e;
    return readA + readB;
  };
  auto waveWrites = [&](std::int64_t a) { return a * rowsPerPanel * colsPerPanel * eo; };
  auto waveShared = [&](std::int64_t a) {
    if (shared <= 0.0) return 0.0;
    return a * (rowsPerPanel + colsPerPanel) * kd * e / m_spec.sharedSramBandwidth.si();
  };

  const std::int64_t first = std::min(tiles, engines);
  const std::int64_t last = tiles - (waves - 1) * engines;

  GemmEstimate r;
  r.tile = t;
  r.tiles = tiles;
  r.waves = waves;
  r.flops = s.flops();
  r.executedFlops = static_cast<double>(tiles) * 2.0 * em * en * kPadded;

  // Double buffering: wave i's reads and wave i-1's writes overlap wave i's math.
  double total = 0.0;
  double memory = 0.0;
  double reads = 0.0;
  for (int phase = 0; phase < 3; ++phase) {
    std::int64_t count = 0;
    std::int64_t a = engines;
    double prevWrites = waveWrites(engines);
    if (phase == 0) {
      count = 1;
      a = first;
      prevWrites = 0.0;
    } else if (phase == 1) {
      count = std::max<std::int64_t>(0, waves - 2);
    } else {
      count = waves > 1 ? 1 : 0;
      a = last;
    }
    if (count == 0) continue;
    const double rd = waveReads(a);
    const double mem = (rd + prevWrites) / bw;
    total += count * std::max({tileTime, mem, waveShared(a)});
    memory += count * mem;
    reads += count * rd;
  }
  // Fill: the first operand slices must arrive before any math; drain: the last outputs
  // leave after the last math.
  const double fill = m_path.latency.si() + first * (rowsPerPanel + colsPerPanel) * t.k * e / bw;
  const double drain = m_path.latency.si() + waveWrites(last) / bw;
  memory += waveWrites(last) / bw;

  r.bytesRead = reads;
  r.bytesWritten = static_cast<double>(s.batch) * s.m * s.n * eo;
  r.mathTime = Duration(static_cast<double>(waves) * tileTime);
  r.memoryTime = Duration(memory);
  r.fillTime = Duration(fill + drain);
  r.time = Duration(total + fill + drain);
  r.memoryBound = memory > r.mathTime.si();
  r.efficiency = r.flops / (r.time.si() * m_spec.peakTensorFlops(s.dtype).si());
  return r;
}

}  // namespace chipletsim
