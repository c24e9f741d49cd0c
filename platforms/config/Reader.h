#pragma once
// Reads one YAML map into a typed struct, declaring each key once with its type, its
// default and its allowed range:
//
//   MapReader r(node);
//   spec.channels = r.required<int>("channels", Limits::atLeast(1));
//   spec.tRCD     = r.required<Duration>("tRCD", Limits::positive());
//   spec.policy   = r.optionalEnum("page_policy", kPagePolicies, PagePolicy::kOpen);
//   r.finish();   // any key not read above is an error, with "did you mean"
//
// Every failure is a ConfigError naming file:line:column, the key path and what was expected.

#include <optional>
#include <set>
#include <string>

#include "config/Decode.h"
#include "config/Node.h"

namespace chipletsim::config {

/// Allowed range of a numeric value or quantity (in SI units for quantities).
struct Limits {
  std::optional<double> min;
  std::optional<double> max;
  bool minExclusive = false;

  static Limits none() { return {}; }
  static Limits positive() { return {0.0, std::nullopt, true}; }
  static Limits nonNegative() { return {0.0, std::nullopt, false}; }
  static Limits atLeast(double lo) { return {lo, std::nullopt, false}; }
  static Limits between(double lo, double hi) { return {lo, hi, false}; }
  static Limits fraction() { return {0.0, 1.0, false}; }

  /// Throws at `n` when `v` lies outside.
  void check(const Node& n, double v) const;
};

class MapReader {
 public:
  /// `n` must be a map (an empty document or null is read as an empty map).
  explicit MapReader(const Node& n);

  const Node& node() const { return *m_node; }
  bool has(const std::string& key) const { return m_node->get(key) != nullptr; }

  template <class T>
  T required(const std::string& key, Limits limits = {}) {
    const Node& n = requiredChild(key);
    return read<T>(n, limits);
  }
  template <class T>
  T optional(const std::string& key, T fallback, Limits limits = {}) {
    const Node* n = child(key);
    return n ? read<T>(*n, limits) : fallback;
  }
  template <class T>
  std::optional<T> maybe(const std::string& key, Limits limits = {}) {
    const Node* n = child(key);
    if (!n) return std::nullopt;
    return read<T>(*n, limits);
  }
  template <class E>
  E requiredEnum(const std::string& key, const EnumTable<E>& table) {
    return table.decode(requiredChild(key));
  }
  template <class E>
  E optionalEnum(const std::string& key, const EnumTable<E>& table, E fallback) {
    const Node* n = child(key);
    return n ? table.decode(*n) : fallback;
  }

  /// The child `key`, marked as read; nullptr when absent.
  const Node* child(const std::string& key);
  /// The child `key`, marked as read; a "missing required key" error when absent.
  const Node& requiredChild(const std::string& key);
  /// Marks `key` as read without decoding it (handled elsewhere).
  void ignore(const std::string& key) { m_read.insert(key); }

  /// Fails on the first key that no call above read, suggesting the closest known key.
  void finish() const;

 private:
  template <class T>
  static T read(const Node& n, const Limits& limits) {
    T v{};
    decode(n, v);
    if constexpr (!std::is_same_v<T, bool> && !std::is_same_v<T, std::string>) {
      limits.check(n, numericValue(v));
    }
    return v;
  }

  const Node* m_node;
  Node m_empty;
  std::set<std::string> m_read;
};

/// Levenshtein-closest candidate to `word`, or "" when nothing is close.
std::string closestMatch(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace chipletsim::config
