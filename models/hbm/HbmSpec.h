#pragma once
// The typed description of one HBM stack: organisation, timing, energy, controller options,
// fidelity. Constructible in C++ without YAML (the config layer fills it from a preset).
// All durations are SI quantities; HbmTimingTicks holds the same set in integer picoseconds
// for the plain-C++ timing core.

#include <cstdint>
#include <string>

#include "common/Units.h"

namespace chipletsim::hbm {

/// Row-buffer management after a column access.
enum class PagePolicy { kOpen, kClosed };
/// Which model serves requests: bank-level controller or calibrated bandwidth servers.
enum class Fidelity { kBank, kFast };
/// Refresh scheme: all banks of a pseudo-channel at once, one bank at a time, or none.
enum class RefreshMode { kAllBank, kPerBank, kNone };
/// Order of the address fields inside a pseudo-channel, most significant first.
/// RowBankColumnGroup: consecutive 32 B bursts alternate bank groups (tCCD_S), columns of a
/// row next, then banks; RowColumnBankGroup spreads consecutive bursts over all banks;
/// RowBankGroupColumn keeps a whole row in one bank (consecutive bursts pay tCCD_L).
enum class AddressMapping { kRowBankColumnGroup, kRowColumnBankGroup, kRowBankGroupColumn };

struct HbmOrganisation {
  int channels = 0;                  // independent channels per stack
  int pseudoChannelsPerChannel = 0;  // pseudo-channels per channel
  int bankGroups = 0;                // per pseudo-channel
  int banksPerGroup = 0;             // per bank group
  int burstLength = 0;               // beats per column access
  int interfaceWidthBits = 0;        // DQ bits of the whole stack
  BitRate pinRate;                   // per DQ pin
  DataSize capacity;                 // bytes per stack
  DataSize pageSize;                 // bytes of one row in one pseudo-channel
};

struct HbmTiming {
  Duration tRCDRD, tRCDWR, tRP, tRAS, tRC;  // row commands
  Duration tCL, tWL;                        // read latency, write latency
  Duration tCCDS, tCCDL;                    // column to column, other / same bank group
  Duration tRRDS, tRRDL;                    // activate to activate, other / same bank group
  Duration tFAW;                            // window holding at most four activates
  Duration tWTRS, tWTRL;                    // end of write data to read, other / same group
  Duration tRTW;                            // read to write command
  Duration tWR, tRTP;                       // write recovery, read to precharge
  Duration tRFCab, tRFCpb, tREFI;           // refresh cycle all-bank / per-bank, interval
  Duration tRREFD;                          // per-bank refresh to refresh / activate
};

/// Energy per operation (joules) and per bit moved (joules per bit).
struct HbmEnergy {
  Energy activate;        // one ACT + its PRE
  EnergyPerBit read;      // array and on-die datapath per bit read
  EnergyPerBit write;     // array and on-die datapath per bit written
  EnergyPerBit io;        // interface per bit in either direction
  Energy refreshAllBank;  // one all-bank REF of a pseudo-channel
};

struct HbmControllerOptions {
  int queueDepth = 64;     // requests held per pseudo-channel scheduler (>= 1)
  int starvationCap = 64;  // times the oldest request may be bypassed (>= 0)
  PagePolicy pagePolicy = PagePolicy::kOpen;
  AddressMapping mapping = AddressMapping::kRowBankColumnGroup;
  DataSize interleave = DataSize(256);  // bytes per pseudo-channel before moving to the next
  int writeHighWatermark = 48;          // queued writes that force a switch to writes
  int writeLowWatermark = 16;           // queued writes at which writes yield to waiting reads
  RefreshMode refresh = RefreshMode::kAllBank;
  Duration frontendLatency = nanoseconds(0);  // controller pipeline, each way
};

struct HbmSpec {
  std::string name;  // preset name ("hbm3"), for reports and the calibration cache
  HbmOrganisation org;
  HbmTiming timing;
  HbmEnergy energy;
  HbmControllerOptions controller;
  Fidelity fidelity = Fidelity::kBank;
  bool functionalStorage = false;
  std::uint64_t baseAddress = 0;  // first byte of the stack in the initiator's address map

  int pseudoChannels() const { return org.channels * org.pseudoChannelsPerChannel; }
  int banksPerPseudoChannel() const { return org.bankGroups * org.banksPerGroup; }
  /// Pin rate x interface width / 8, bytes per second.
  Bandwidth peakBandwidth() const;
  Bandwidth peakPerPseudoChannel() const;
  /// Bytes moved by one column access of one pseudo-channel (width x burst length / 8).
  std::uint64_t accessBytes() const;
  /// Data-bus time of one column access (burst length / pin rate).
  Duration burstTime() const;
  std::uint64_t rowsPerBank() const;
  std::uint64_t columnsPerRow() const;  // column accesses per row
  /// Throws SpecError naming the first inconsistency.
  void validate() const;
  bool refreshNeeded() const;
  /// A string that identifies every timing-relevant field (calibration cache key).
  std::string timingKey() const;
};

/// The timing set in integer picoseconds, derived once from an HbmSpec.
struct HbmTimingTicks {
  Tick rcdRd, rcdWr, rp, ras, rc, cl, wl, ccdS, ccdL, rrdS, rrdL, faw, wtrS, wtrL, rtw, wr, rtp,
      rfcAb, rfcPb, refi, rrefd, burst;
  static HbmTimingTicks from(const HbmSpec& spec);
};

const char* toString(PagePolicy p);
const char* toString(Fidelity f);
const char* toString(RefreshMode r);
const char* toString(AddressMapping m);

}  // namespace chipletsim::hbm
