#include "noc/FlitRouter.h"

#include <limits>

#include "common/Errors.h"

namespace chipletsim::noc {

namespace {
// Ejection ports never run out of credit: the endpoint sinks one flit per cycle, which is
// all one output port can deliver.
constexpr std::int32_t kUnbounded = std::numeric_limits<std::int32_t>::max() / 2;
}  // namespace

FlitRouter::FlitRouter(RouterId id, int netPorts, int localPorts, int vcs, int depth)
    : m_id(id), m_ports(netPorts + localPorts), m_vcs(vcs), m_depth(depth) {
  require(m_ports <= 64, "FlitRouter: at most 64 ports");
  const std::size_t n = static_cast<std::size_t>(m_ports * m_vcs);
  m_ivc.assign(n, InputVc{});
  m_buf.assign(n * static_cast<std::size_t>(depth), Flit{});
  m_credits.assign(n, depth);
  for (int p = netPorts; p < m_ports; ++p)
    for (int v = 0; v < vcs; ++v) m_credits[static_cast<std::size_t>(p * vcs + v)] = kUnbounded;
  m_outBusy.assign(n, 0);
  m_rrIn.assign(static_cast<std::size_t>(m_ports), 0);
  m_rrOut.assign(static_cast<std::size_t>(m_ports), 0);
  m_rrVc.assign(static_cast<std::size_t>(m_ports), 0);
  m_req.assign(static_cast<std::size_t>(m_ports), 0);
  m_chosenVc.assign(static_cast<std::size_t>(m_ports), -1);
}

void FlitRouter::push(int port, int vc, const Flit& f) {
  InputVc& iv = vcAt(port, vc);
  require(static_cast<int>(iv.count) < m_depth, "FlitRouter: buffer overflow (credit bug)");
  const std::size_t idx = static_cast<std::size_t>(port * m_vcs + vc);
  m_buf[idx * static_cast<std::size_t>(m_depth) + (iv.head + iv.count) % m_depth] = f;
  ++iv.count;
  ++m_flits;
  // A head behind another packet's flits waits until that packet's tail has left.
  if (f.index == 0 && iv.state == VcState::kIdle) iv.state = VcState::kRouting;
}

void FlitRouter::addCredit(int port, int vc) {
  ++m_credits[static_cast<std::size_t>(port * m_vcs + vc)];
}

int FlitRouter::claimInjectionVc(int port) {
  for (int v = 0; v < m_vcs; ++v) {
    InputVc& iv = vcAt(port, v);
    if (iv.state == VcState::kIdle && iv.count == 0) {
      iv.state = VcState::kRouting;
      return v;
    }
  }
  return -1;
}

void FlitRouter::allocateVcs(std::uint64_t now, Host& host) {
  const int n = m_ports * m_vcs;
  for (int k = 0; k < n; ++k) {
    const int idx = (m_rrVa + k) % n;
    InputVc& iv = m_ivc[static_cast<std::size_t>(idx)];
    if (iv.state != VcState::kRouting || iv.count == 0) continue;
    if (front(idx).index != 0) throw InternalError("FlitRouter: body flit without a route");
    if (!iv.routed) {
      int outPort = 0, lo = 0, hi = 0;
      host.routeHead(m_id, front(idx).slot, outPort, lo, hi);
      iv.outPort = static_cast<std::int16_t>(outPort);
      iv.vcLo = static_cast<std::int16_t>(lo);
      iv.vcHi = static_cast<std::int16_t>(hi);
      iv.routed = true;
    }
    const int span = iv.vcHi - iv.vcLo;
    const int base = iv.outPort * m_vcs;
    int& rr = m_rrVc[static_cast<std::size_t>(iv.outPort)];
    for (int j = 0; j < span; ++j) {
      const int w = iv.vcLo + (rr + j) % span;
      if (!m_outBusy[static_cast<std::size_t>(base + w)]) {
        m_outBusy[static_cast<std::size_t>(base + w)] = 1;
        iv.outVc = static_cast<std::int16_t>(w);
        iv.state = VcState::kActive;
        rr = (rr + j + 1) % span;
        break;
      }
    }
  }
  (void)now;
  m_rrVa = (m_rrVa + 1) % n;
}

int FlitRouter::step(std::uint64_t now, Host& host) {
  if (m_flits == 0) return 0;
  allocateVcs(now, host);

  // Switch allocation, input stage: each input port bids with one ready VC.
  int ready = 0;
  std::uint64_t outputs = 0;
  for (int p = 0; p < m_ports; ++p) {
    m_chosenVc[static_cast<std::size_t>(p)] = -1;
    for (int k = 0; k < m_vcs; ++k) {
      const int v = (m_rrIn[static_cast<std::size_t>(p)] + k) % m_vcs;
      const int idx = p * m_vcs + v;
      const InputVc& iv = m_ivc[static_cast<std::size_t>(idx)];
      if (iv.count == 0 || front(idx).ready > now) continue;
      ++ready;
      if (m_chosenVc[static_cast<std::size_t>(p)] >= 0 || iv.state != VcState::kActive) continue;
      if (m_credits[static_cast<std::size_t>(iv.outPort * m_vcs + iv.outVc)] <= 0) continue;
      m_chosenVc[static_cast<std::size_t>(p)] = v;
      m_req[static_cast<std::size_t>(iv.outPort)] |= std::uint64_t{1} << p;
      outputs |= std::uint64_t{1} << iv.outPort;
    }
  }

  // Output stage: each requested output grants one input, round robin; then traversal.
  int moved = 0;
  while (outputs) {
    const int o = __builtin_ctzll(outputs);
    outputs &= outputs - 1;
    std::uint64_t& mask = m_req[static_cast<std::size_t>(o)];
    const int start = m_rrOut[static_cast<std::size_t>(o)];
    const std::uint64_t rotated = start ? ((mask >> start) | (mask << (64 - start))) : mask;
    const int p = (__builtin_ctzll(rotated) + start) % 64;
    mask = 0;

    const int v = m_chosenVc[static_cast<std::size_t>(p)];
    const int idx = p * m_vcs + v;
    InputVc& iv = m_ivc[static_cast<std::size_t>(idx)];
    const Flit f = front(idx);
    iv.head = (iv.head + 1) % static_cast<std::uint32_t>(m_depth);
    --iv.count;
    --m_flits;
    const int outVc = iv.outVc;
    --m_credits[static_cast<std::size_t>(o * m_vcs + outVc)];
    const bool tail = host.isTail(f);
    // Arbiters move on after a tail, so a packet keeps the input and the output it won
    // while it has flits ready and credit (packets are not interleaved needlessly).
    m_rrIn[static_cast<std::size_t>(p)] = tail ? (v + 1) % m_vcs : v;
    m_rrOut[static_cast<std::size_t>(o)] = tail ? (p + 1) % m_ports : p;
    if (tail) {
      // Non-atomic VC allocation: the output VC may take a new packet as soon as this tail
      // has left; the next packet queues behind it downstream.
      m_outBusy[static_cast<std::size_t>(o * m_vcs + outVc)] = 0;
      iv.state = iv.count > 0 ? VcState::kRouting : VcState::kIdle;
      iv.routed = false;
      iv.outPort = -1;
      iv.outVc = -1;
    }
    host.sendFlit(m_id, o, outVc, f, now);
    host.sendCredit(m_id, p, v, now);
    ++moved;
  }
  m_stalls += static_cast<std::uint64_t>(ready - moved);
  return moved;
}

}  // namespace chipletsim::noc
