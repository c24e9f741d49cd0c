#pragma once
// An HBM3 6.4 Gb/s stack built in C++ (no YAML) for the tests. Numbers are those of
// configs/memory/hbm3.yaml: shared/reference/hbm.md section 3.3 "Ramulator2 HBM3, preset
// HBM3_6400Mbps" (cycles x 0.625 ns), 3.1 (organisation) and 3.2 (4 x 4 banks, BL8).

#include "hbm/HbmSpec.h"

namespace chipletsim::hbm::test {

inline Duration ck(double cycles) {
  return nanoseconds(cycles * 0.625);
}

inline HbmSpec hbm3Spec() {
  HbmSpec s;
  s.name = "hbm3-test";
  s.org.channels = 16;
  s.org.pseudoChannelsPerChannel = 2;
  s.org.bankGroups = 4;
  s.org.banksPerGroup = 4;
  s.org.burstLength = 8;
  s.org.interfaceWidthBits = 1024;
  s.org.pinRate = gigabitsPerSecond(6.4);
  s.org.capacity = DataSize(16.0 * 1024 * 1024 * 1024);  // 8-Hi of 16 Gb layers
  s.org.pageSize = DataSize(1024);
  HbmTiming& t = s.timing;
  t.tRCDRD = ck(31);
  t.tRCDWR = ck(15);
  t.tRP = ck(26);
  t.tRAS = ck(45);
  t.tRC = ck(72);
  t.tCL = ck(20);
  t.tWL = ck(10);
  t.tCCDS = ck(2);
  t.tCCDL = ck(4);
  t.tRRDS = ck(4);
  t.tRRDL = ck(5);
  t.tFAW = ck(24);
  t.tWTRS = ck(7);
  t.tWTRL = ck(10);
  t.tRTW = ck(20);
  t.tWR = ck(33);
  t.tRTP = ck(9);
  t.tRFCab = nanoseconds(350);  // 8 Gb per channel (JESD238 Table 84)
  t.tRFCpb = ck(320);
  t.tREFI = nanoseconds(3900);
  t.tRREFD = nanoseconds(8);
  // As configs/memory/hbm3.yaml: HBM2 IDD-derived figures scaled to 1.1 V.
  s.energy.activate = Energy(696e-12);
  s.energy.read = picojoulesPerBit(1.32);
  s.energy.write = picojoulesPerBit(1.75);
  s.energy.io = picojoulesPerBit(0.95);
  s.energy.refreshAllBank = Energy(25.56e-9);
  s.controller.frontendLatency = nanoseconds(5);
  return s;
}

}  // namespace chipletsim::hbm::test
