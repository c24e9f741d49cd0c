#pragma once
// Published architectures as C++ specs for the unit tests (the shipped YAML presets in
// configs/workloads/ carry the same numbers and are checked separately).
// Sources: GPT-3 175B: Brown et al. 2020 (arXiv 2005.14165) table 2.1. Llama 2: Touvron et al.
// 2023 (arXiv 2307.09288) and the meta-llama/Llama-2-*-hf config.json. Llama 3: Dubey et al.
// 2024 (arXiv 2407.21783) table 3 and meta-llama/Meta-Llama-3*-hf config.json.

#include "workload/TransformerSpec.h"

namespace chipletsim::test {

inline TransformerSpec llama(const char* name, int layers, int hidden, int heads, int kvHeads,
                             int ffn, int vocab, int seq) {
  TransformerSpec s;
  s.name = name;
  s.layers = layers;
  s.hidden = hidden;
  s.heads = heads;
  s.kvHeads = kvHeads;
  s.ffn = ffn;
  s.mlp = MlpKind::kGatedSilu;
  s.norm = NormKind::kRmsNorm;
  s.position = PositionKind::kRotary;
  s.vocab = vocab;
  s.seqLen = seq;
  s.microBatch = 1;
  s.globalBatch = 8;
  s.parallel.dp = 8;
  s.parallel.packages = 8;
  return s;
}

inline TransformerSpec llama2_7b() {
  return llama("llama2-7b", 32, 4096, 32, 32, 11008, 32000, 4096);
}
inline TransformerSpec llama2_13b() {
  return llama("llama2-13b", 40, 5120, 40, 40, 13824, 32000, 4096);
}
inline TransformerSpec llama2_70b() {
  return llama("llama2-70b", 80, 8192, 64, 8, 28672, 32000, 4096);
}
inline TransformerSpec llama3_8b() {
  return llama("llama3-8b", 32, 4096, 32, 8, 14336, 128256, 8192);
}
inline TransformerSpec llama3_70b() {
  return llama("llama3-70b", 80, 8192, 64, 8, 28672, 128256, 8192);
}
inline TransformerSpec llama3_405b() {
  return llama("llama3-405b", 126, 16384, 128, 8, 53248, 128256, 8192);
}

inline TransformerSpec gpt3_175b() {
  TransformerSpec s = llama("gpt3-175b", 96, 12288, 96, 96, 4 * 12288, 50257, 2048);
  s.mlp = MlpKind::kPlain;
  s.norm = NormKind::kLayerNorm;
  s.position = PositionKind::kLearned;
  s.tiedEmbeddings = true;
  s.linearBias = true;
  return s;
}

}  // namespace chipletsim::test
