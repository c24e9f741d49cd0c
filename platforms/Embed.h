#pragma once
// Building chipletsim models from YAML fragments, for virtual platforms that embed them
// (the installed package's entry point besides the spec structs). Every model is also
// constructible without YAML from its C++ spec: `hbm::HbmStack(name, hbm::HbmSpec)`,
// `d2d::D2dLink(name, d2d::D2dLinkSpec)`, `d2d::TrafficSink(name, Duration)`,
// `noc::NocModule(name, noc::NocSpec)`.
//
//   auto spec = chipletsim::decodeInstance("hbm_stack", "{preset: hbm3, fidelity: fast}");
//   std::unique_ptr<chipletsim::Component> hbm = spec->build("hbm0");   // before sc_start
//   cpu.socket.bind(*hbm->targetPort("in"));
//
// A fragment is one YAML map with the keys of an instance in a platform file (see the kind's
// decoder header, e.g. HbmConfig.h); `preset: NAME` loads configs/<category>/NAME.yaml from
// configRoot() ($CHIPLETSIM_CONFIG_DIR, else <exe>/../share/chipletsim/configs, else the
// source tree). Errors are ConfigErrors naming the fragment's line and column and key path.

#include <memory>
#include <string>

#include "Component.h"
#include "hbm/HbmSpec.h"
#include "noc/NocSpec.h"

namespace chipletsim {

/// Decodes `yamlText` (one map) as an instance of registered kind `kind` ("hbm_stack",
/// "d2d_link", "traffic_sink", "noc", "compute_chiplet", ...). A `kind:` key in the text, if
/// any, must agree. ConfigError on unknown kinds and bad input.
std::unique_ptr<InstanceSpec> decodeInstance(const std::string& kind, const std::string& yamlText);

/// The HbmSpec of an `hbm_stack` fragment, for `hbm::HbmStack(name, spec)`.
hbm::HbmSpec hbmSpecFromYaml(const std::string& yamlText);

/// The NocSpec of a `noc` fragment, for `noc::NocModule(name, spec)`.
noc::NocSpec nocSpecFromYaml(const std::string& yamlText);

}  // namespace chipletsim
