#pragma once
// Decoder of kind `hbm_stack` (presets in configs/memory/):
//
//   hbm0:
//     kind: hbm_stack
//     preset: hbm3                # organisation, timing, energy, controller defaults
//     fidelity: fast              # bank (default) | fast
//     functional_storage: false
//     base_address: 0
//     controller: { page_policy: closed }   # any preset key may be overridden
//
// The component has one target port, `in`, spanning the stack's capacity.

#include <memory>

#include "Component.h"
#include "config/Node.h"
#include "hbm/HbmSpec.h"

namespace chipletsim {

/// Decodes an hbm_stack map (preset merged) into an HbmSpec; ConfigError on bad input.
hbm::HbmSpec decodeHbmSpec(const config::Node& params);
/// Kind `hbm_stack`.
std::unique_ptr<InstanceSpec> decodeHbmStack(const config::Node& params);
/// Registry entry for ComponentKinds.cpp.
ComponentKind hbmStackKind();

}  // namespace chipletsim
