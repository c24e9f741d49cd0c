// sc_spawn needs dynamic processes, enabled before the first SystemC include.
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "compute/ComputeChiplet.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/Errors.h"
#include "common/TrafficExtension.h"

namespace chipletsim {

void ComputeChipletSpec::validate() const {
  compute.validate();
  if (!(dmaChunk.si() >= 1.0)) throw SpecError("compute chiplet: dma_chunk must be at least 1 B");
  if (prefetchChunks < 1) throw SpecError("compute chiplet: prefetch_chunks must be at least 1");
  if (compute.dmaEngines < 1) throw SpecError("compute chiplet: needs at least one DMA engine");
  if (energyPerFlop.si() < 0.0) throw SpecError("compute chiplet: energy_per_flop is negative");
}

ComputeChiplet::ComputeChiplet(sc_core::sc_module_name name, const ComputeChipletSpec& spec)
    : sc_core::sc_module(name), mem("mem"), m_spec(spec) {
  m_spec.validate();
  m_scratch.assign(static_cast<std::size_t>(std::ceil(m_spec.dmaChunk.si())), 0);
  m_dmaBusy.assign(static_cast<std::size_t>(m_spec.dmaSlots()), 0.0);
  m_dmaSince.assign(static_cast<std::size_t>(m_spec.dmaSlots()), -1.0);
  for (int i = 0; i < m_spec.dmaSlots(); ++i) {
    m_payloads.push_back(std::make_unique<tlm::tlm_generic_payload>());
    tlm::tlm_generic_payload* gp = m_payloads.back().get();
    gp->set_extension(new TrafficExtension());  // freed with the payload
    sc_core::sc_spawn([this, i, gp] { dmaEngine(i, *gp); }, sc_core::sc_gen_unique_name("dma"));
  }
}

void ComputeChiplet::issue(Chunk& c, bool write, double bytes,
                           const std::vector<MemoryRegion>& regions) {
  if (regions.empty()) throw InternalError(std::string(name()) + ": DMA without memory regions");
  const auto total = static_cast<std::uint64_t>(std::ceil(bytes));
  const std::uint64_t n = regions.size();
  // Stripes of at least 64 B: a tiny chunk goes to fewer regions.
  const std::uint64_t stripes = std::max<std::uint64_t>(1, std::min(n, total / 64));
  c.remaining = static_cast<int>(stripes);
  // Rotate the first region from chunk to chunk so small chunks spread over every stack.
  const std::uint64_t first = m_rotation++;
  for (std::uint64_t i = 0; i < stripes; ++i) {
    const std::uint64_t len = total / stripes + (i < total % stripes ? 1 : 0);
    const MemoryRegion& r = regions[(first + i) % n];
    auto it = std::find(m_cursorBase.begin(), m_cursorBase.end(), r.base);
    if (it == m_cursorBase.end()) {
      m_cursorBase.push_back(r.base);
      m_cursor.push_back(0);
      it = m_cursorBase.end() - 1;
    }
    std::uint64_t& off = m_cursor[static_cast<std::size_t>(it - m_cursorBase.begin())];
    if (off + len > r.size) off = 0;
    m_queue.push_back(Piece{&c, write, r.base + off, std::max<std::uint64_t>(len, 1), r.remote});
    off += len;
  }
  m_queued.notify(sc_core::SC_ZERO_TIME);
}

void ComputeChiplet::waitFor(Chunk& c) {
  while (c.remaining > 0) sc_core::wait(c.done);
}

void ComputeChiplet::dmaEngine(int engine, tlm::tlm_generic_payload& gp) {
  for (;;) {
    while (m_queue.empty()) sc_core::wait(m_queued);
    const Piece p = m_queue.front();
    m_queue.pop_front();
    gp.set_command(p.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp.set_address(p.address);
    const auto len = static_cast<unsigned>(std::min<std::uint64_t>(p.bytes, m_scratch.size()));
    gp.set_data_ptr(m_scratch.data());
    gp.set_data_length(len);
    gp.set_streaming_width(len);
    gp.set_byte_enable_ptr(nullptr);
    gp.set_byte_enable_length(0);
    gp.set_dmi_allowed(false);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    auto* ext = gp.get_extension<TrafficExtension>();
    ext->d2dTicks = 0;
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    const sc_core::sc_time start = sc_core::sc_time_stamp();
    m_dmaSince[static_cast<std::size_t>(engine)] = start.to_seconds();
    mem->b_transport(gp, delay);
    sc_core::wait(delay);
    m_dmaSince[static_cast<std::size_t>(engine)] = -1.0;
    if (gp.get_response_status() != tlm::TLM_OK_RESPONSE) {
      ++m_errors;
      throw InternalError(std::string(name()) + ": DMA " + (p.write ? "write" : "read") + " at " +
                          std::to_string(p.address) + " failed: " + gp.get_response_string());
    }
    ++m_transactions;
    (p.write ? m_bytesWritten : m_bytesRead) += len;
    if (p.remote) m_remoteBytes += len;
    const double inFlight = (sc_core::sc_time_stamp() - start).to_seconds();
    m_dmaBusy[static_cast<std::size_t>(engine)] += inFlight;
    m_latencyNs.add(inFlight * 1e9);
    p.chunk->lastLinkSeconds = static_cast<double>(ext->d2dTicks) * 1e-12;
    if (--p.chunk->remaining == 0) p.chunk->done.notify(sc_core::SC_ZERO_TIME);
  }
}

void ComputeChiplet::attributeWait(const Chunk& c, double waited, ExecuteTimes& out) {
  const double remote = std::min(waited, c.lastLinkSeconds);
  out.waitRemote += Duration(remote);
  out.waitLocal += Duration(waited - remote);
}

double ComputeChiplet::chunkFor(double bytes, std::size_t regions) const {
  // At least kMinChunksPerOp chunks per transfer, so that the pipeline fill (first chunk in)
  // and drain (last chunk out) stay a small part of the transfer, as with the fine-grained
  // tiles of the hardware; never above dma_chunk.
  constexpr double kMinChunksPerOp = 16.0;
  // kMinStripe keeps each TLM transaction large (simulation speed).
  constexpr double kMinStripe = 256.0 * 1024.0;
  const double minChunk = kMinStripe * static_cast<double>(std::max<std::size_t>(1, regions));
  return std::min(m_spec.dmaChunk.si(), std::max(minChunk, bytes / kMinChunksPerOp));
}

ExecuteTimes ComputeChiplet::execute(Duration computeTime, double bytesRead, double bytesWritten,
                                     double flops, const std::vector<MemoryRegion>& regions) {
  ExecuteTimes out;
  const double chunk = chunkFor(std::max(bytesRead, bytesWritten), regions.size());
  const auto reads = static_cast<std::size_t>(std::ceil(std::max(0.0, bytesRead) / chunk));
  const auto writes = static_cast<std::size_t>(std::ceil(std::max(0.0, bytesWritten) / chunk));
  const std::size_t steps = std::max<std::size_t>(1, reads);
  const double slice = computeTime.si() / static_cast<double>(steps);
  std::deque<Chunk> readChunks(reads);
  std::deque<Chunk> writeChunks(writes);
  const auto window = static_cast<std::size_t>(m_spec.prefetchChunks);
  std::size_t issued = 0, written = 0;
  for (std::size_t i = 0; i < steps; ++i) {
    while (issued < reads && issued < i + window) {
      const double b = std::min(chunk, bytesRead - chunk * static_cast<double>(issued));
      issue(readChunks[issued], false, b, regions);
      ++issued;
    }
    if (i < reads) {
      const sc_core::sc_time before = sc_core::sc_time_stamp();
      waitFor(readChunks[i]);
      attributeWait(readChunks[i], (sc_core::sc_time_stamp() - before).to_seconds(), out);
    }
    if (slice > 0.0) {
      m_sliceSince = sc_core::sc_time_stamp().to_seconds();
      sc_core::wait(sc_core::sc_time(slice, sc_core::SC_SEC));
      m_sliceSince = -1.0;
    }
    out.compute += Duration(slice);
    m_busyProgress += slice;
    // Results leave as they are produced: the writes due after this slice of the math.
    const std::size_t due = writes * (i + 1) / steps;
    for (; written < due; ++written) {
      const double b = std::min(chunk, bytesWritten - chunk * static_cast<double>(written));
      issue(writeChunks[written], true, b, regions);
    }
  }
  const sc_core::sc_time before = sc_core::sc_time_stamp();
  for (auto& c : writeChunks) waitFor(c);
  // The op is not done until its results are in memory; the engines wait on the writes.
  if (!writeChunks.empty())
    attributeWait(writeChunks.back(), (sc_core::sc_time_stamp() - before).to_seconds(), out);
  m_busy += computeTime.si();
  m_flops += flops;
  return out;
}

void ComputeChiplet::transfer(bool write, double bytes, const std::vector<MemoryRegion>& regions) {
  const double chunk = chunkFor(bytes, regions.size());
  const auto n = static_cast<std::size_t>(std::ceil(std::max(0.0, bytes) / chunk));
  std::deque<Chunk> chunks(n);
  const auto window = static_cast<std::size_t>(m_spec.prefetchChunks);
  std::size_t issued = 0;
  for (std::size_t i = 0; i < n; ++i) {
    while (issued < n && issued < i + window) {
      issue(chunks[issued], write, std::min(chunk, bytes - chunk * static_cast<double>(issued)),
            regions);
      ++issued;
    }
    waitFor(chunks[i]);
  }
}

double ComputeChiplet::busySecondsSoFar() const {
  const double now = sc_core::sc_time_stamp().to_seconds();
  return m_busyProgress + (m_sliceSince >= 0.0 ? now - m_sliceSince : 0.0);
}

double ComputeChiplet::dmaBusySeconds(int engine) const {
  const auto i = static_cast<std::size_t>(engine);
  const double since = m_dmaSince.at(i);
  return m_dmaBusy.at(i) + (since >= 0.0 ? sc_core::sc_time_stamp().to_seconds() - since : 0.0);
}

void ComputeChiplet::reportStats(StatGroup& g) const {
  const ComputeSpec& c = m_spec.compute;
  g.add("peak_bf16_flops", c.peakTensorFlops(Dtype::kBf16).si(), "FLOP/s");
  g.add("busy_s", m_busy, "s", "engines computing");
  g.add("executed_flops", m_flops, "FLOP");
  g.add("energy", energy().si(), "J", "executed FLOP x energy_per_flop");
  g.add("bytes_read", m_bytesRead, "B");
  g.add("bytes_written", m_bytesWritten, "B");
  g.add("remote_bytes", m_remoteBytes, "B", "through D2D links");
  g.add("transactions", static_cast<double>(m_transactions), "count");
  g.add("dma_engines", c.dmaEngines, "count");
  g.add("dma_chunk", m_spec.dmaChunk.si(), "B");
  g.addDistribution("dma_latency_ns", m_latencyNs, "ns", "one stripe, issue to done");
}

}  // namespace chipletsim
