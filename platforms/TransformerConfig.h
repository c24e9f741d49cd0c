#pragma once
// YAML decoding of a training workload (`kind: training`) into a TransformerSpec. The file
// has four sections, each decoded strictly (unknown keys are errors):
//
//   model:    layers, hidden, heads, kv_heads, ffn, mlp (swiglu|gelu), norm (rmsnorm|layernorm),
//             position (rope|learned), tied_embeddings, linear_bias, vocab
//   batch:    seq_len, micro_batch, global_batch (sequences)
//   training: precision (bf16|fp8), optimizer (adam), recompute (none|selective|full),
//             flash_attention
//   parallel: tp, pp, vpp, dp, cp, sequence_parallel, schedule (1f1b|interleaved),
//             sharding (none|zero1|zero2|zero3|fsdp), packages
//
// The training driver's WorkloadKind decoder calls decodeTransformerSpec() on the workload
// map it receives, reads any keys of its own from the same MapReader, then calls finish().

#include <string>

#include "Component.h"
#include "config/Node.h"
#include "config/Reader.h"
#include "workload/TransformerSpec.h"

namespace chipletsim {

/// Reads the sections model, batch, training and parallel from `top` (without finishing
/// `top`) and validates the result; a spec the model cannot honour is a ConfigError at the
/// map. `name` becomes spec.name.
TransformerSpec decodeTransformerSpec(config::MapReader& top, const std::string& name);

/// Decodes a whole workload map that holds only those four sections.
TransformerSpec decodeTransformerSpec(const config::Node& root, const std::string& name);

/// Derived quantities for `chipletsim validate` and the results summary: parameters, model
/// and hardware FLOP per token, tokens and micro-batches per step, the schedule's analytic
/// pipeline bubble and the peak footprint per package (weights, gradients, optimizer state,
/// activations).
void describeTransformer(const TransformerSpec& spec, Summary& out);

}  // namespace chipletsim
