#pragma once
// One compute chiplet as an sc_module: tensor and vector engines, SRAM and a clock (the
// ComputeSpec), and a pool of DMA engines that move data as TLM-2.0 transactions through the
// initiator socket `mem` (towards the die's NoC, and behind it HBM stacks and D2D links).
//
// The driver hands it work from its own SC_THREADs:
//  - execute(): one compute op. Its pure compute time (from the tiling models with an
//    unlimited memory path) is split over the op's read chunks; the engines compute chunk i
//    once it has arrived while the DMA engines fetch up to `prefetchChunks` ahead (double
//    buffering) and write results back as they are produced. Time spent waiting for data is
//    measured, not assumed, so contention with other traffic in the fabric shows up here.
//  - transfer(): a plain DMA read or write of a buffer (collective and optimizer traffic).
// Every chunk is striped over the memory regions the job names (memory interleaved over the
// stacks); each stripe is one TLM transaction issued by one DMA engine, so at most
// `dmaEngines` transactions are in flight, shared by everything the chiplet runs.

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include "common/Distribution.h"
#include "common/StatGroup.h"
#include "common/Units.h"
#include "compute/ComputeSpec.h"

namespace chipletsim {

/// A range of addresses reachable through `mem`; `remote` when it lies behind a D2D link.
struct MemoryRegion {
  std::uint64_t base = 0;
  std::uint64_t size = 0;  // bytes, > 0
  bool remote = false;
};

/// Parameters of the chiplet beyond the engines.
struct ComputeChipletSpec {
  ComputeSpec compute;
  DataSize dmaChunk = DataSize(1024.0 * 1024.0);  // bytes per chunk (one stripe set), > 0
  int prefetchChunks = 2;                         // read chunks in flight ahead of the math, >= 1
  Energy energyPerFlop;                           // joules per executed FLOP, tensor and vector
  /// Throws SpecError on a broken invariant (and whatever compute.validate() throws).
  void validate() const;
  /// DMA transactions in flight at most: one per DMA engine.
  int dmaSlots() const { return compute.dmaEngines; }
};

/// Where the time of one executed op went, seconds.
/// A wait for data is remote for as long as the stripe that completed it spent on D2D links
/// (credits, wire, flight: what a faster link would have saved), local for the rest.
struct ExecuteTimes {
  Duration compute;     // engines busy
  Duration waitLocal;   // engines waiting for data from memory
  Duration waitRemote;  // engines waiting for data on a D2D link
};

class ComputeChiplet : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<ComputeChiplet> mem;

  SC_HAS_PROCESS(ComputeChiplet);
  /// `spec` must validate (SpecError otherwise).
  ComputeChiplet(sc_core::sc_module_name name, const ComputeChipletSpec& spec);

  const ComputeChipletSpec& spec() const { return m_spec; }

  /// Runs one op from the calling SC_THREAD: `computeTime` of engine time overlapped with
  /// reading `bytesRead` and writing `bytesWritten` striped over `regions` (non-empty when
  /// bytes are moved). `flops` is the executed FLOP count, for energy. Returns when the math
  /// is done and every write has been accepted.
  ExecuteTimes execute(Duration computeTime, double bytesRead, double bytesWritten, double flops,
                       const std::vector<MemoryRegion>& regions);
  /// Moves `bytes` to (write) or from (read) memory striped over `regions`, from the calling
  /// SC_THREAD, with at most `prefetchChunks` chunks in flight; returns when all are done.
  void transfer(bool write, double bytes, const std::vector<MemoryRegion>& regions);

  /// Bytes read and written through `mem`, to local and remote regions.
  double bytesRead() const { return m_bytesRead; }
  double bytesWritten() const { return m_bytesWritten; }
  double remoteBytes() const { return m_remoteBytes; }
  std::uint64_t transactions() const { return m_transactions; }
  /// Seconds the engines computed (credited when an op ends).
  double busySeconds() const { return m_busy; }
  /// Seconds the engines have computed up to the current simulated time, the op under way
  /// included: what a utilisation sampler reads (equals busySeconds() between ops).
  double busySecondsSoFar() const;
  /// Seconds DMA engine `engine` (0 <= engine < dmaSlots()) has had a transaction in flight
  /// up to the current simulated time.
  double dmaBusySeconds(int engine) const;
  /// Executed FLOP and their energy, joules.
  double flops() const { return m_flops; }
  Energy energy() const { return Energy(m_flops * m_spec.energyPerFlop.si()); }

  /// Stats: engine busy time, FLOP, energy, DMA bytes, transactions and latency.
  void reportStats(StatGroup& group) const;

 private:
  struct Chunk {
    int remaining = 0;             // stripes not yet done
    double lastLinkSeconds = 0.0;  // D2D link time of the stripe that completed it
    sc_core::sc_event done;
  };
  struct Piece {
    Chunk* chunk = nullptr;
    bool write = false;
    std::uint64_t address = 0;
    std::uint64_t bytes = 0;
    bool remote = false;
  };

  void dmaEngine(int engine, tlm::tlm_generic_payload& gp);
  /// Queues the stripes of one chunk of `bytes`.
  void issue(Chunk& c, bool write, double bytes, const std::vector<MemoryRegion>& regions);
  void waitFor(Chunk& c);
  /// Books a wait of `waited` seconds completed by chunk `c` (see ExecuteTimes).
  static void attributeWait(const Chunk& c, double waited, ExecuteTimes& out);
  /// Chunk size for a transfer of `bytes` over `regions` regions: dma_chunk, or less so
  /// that it has 16 chunks, but at least 256 KiB per region.
  double chunkFor(double bytes, std::size_t regions) const;

  ComputeChipletSpec m_spec;
  std::deque<Piece> m_queue;
  sc_core::sc_event m_queued;
  std::vector<std::uint64_t> m_cursor;  // next offset within each region (by region base)
  std::vector<std::uint64_t> m_cursorBase;
  std::uint64_t m_rotation = 0;          // first region of the next chunk
  std::vector<unsigned char> m_scratch;  // data buffer of the payloads (contents unused)
  // One payload per DMA engine, owned here: the engines' threads never return, so a payload
  // on their stacks would never be destroyed.
  std::vector<std::unique_ptr<tlm::tlm_generic_payload>> m_payloads;

  double m_bytesRead = 0.0, m_bytesWritten = 0.0, m_remoteBytes = 0.0;
  std::uint64_t m_transactions = 0, m_errors = 0;
  double m_busy = 0.0, m_flops = 0.0;
  // Busy time as of now, for utilisation samplers: completed compute slices and DMA
  // transactions, plus the one under way since the recorded start (seconds; < 0: none).
  double m_busyProgress = 0.0;
  double m_sliceSince = -1.0;
  std::vector<double> m_dmaBusy;
  std::vector<double> m_dmaSince;
  Distribution m_latencyNs;
};

}  // namespace chipletsim
