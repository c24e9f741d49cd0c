#pragma once
// A YAML value after loading: includes resolved, presets merged, --set overrides applied,
// aliases expanded under a budget. Every node knows where it came from (file:line:column)
// and its key path from the document root, so any later check can point at it. Only the
// config layer (platforms/) sees Nodes; models get typed specs.

#include <string>
#include <utility>
#include <vector>

#include "common/Errors.h"

namespace chipletsim::config {

class Node {
 public:
  enum class Kind { kNull, kScalar, kSequence, kMap };

  Node() = default;
  static Node scalar(std::string value, SourceLoc loc, std::string path);
  static Node sequence(SourceLoc loc, std::string path);
  static Node map(SourceLoc loc, std::string path);
  static Node null(SourceLoc loc, std::string path);

  Kind kind() const { return m_kind; }
  bool isNull() const { return m_kind == Kind::kNull; }
  bool isScalar() const { return m_kind == Kind::kScalar; }
  bool isSequence() const { return m_kind == Kind::kSequence; }
  bool isMap() const { return m_kind == Kind::kMap; }
  const char* kindName() const;

  const SourceLoc& loc() const { return m_loc; }
  /// Key path from the root of the document: "instances.hbm0.timing.tRCD", "links[2].a".
  const std::string& path() const { return m_path; }

  /// The text of a scalar (fails unless isScalar()).
  const std::string& text() const;
  /// Items of a sequence (fails unless isSequence()).
  const std::vector<Node>& items() const;
  /// Entries of a map in file order (fails unless isMap()).
  const std::vector<std::pair<std::string, Node>>& entries() const;
  /// The value of `key` in a map, or nullptr (also when this is not a map).
  const Node* get(const std::string& key) const;

  // Building (loader and merging only).
  void append(Node item);
  Node& set(const std::string& key, Node value);  // replaces an existing key in place
  bool erase(const std::string& key);
  /// Re-roots this subtree under `path` (after moving a preset under an instance).
  void rebase(const std::string& path);
  /// Gives this subtree one location (a value from the command line has no file position).
  void relocate(const SourceLoc& loc);

  /// Throws ConfigError at this node: "<loc>: error: key '<path>': <message>".
  [[noreturn]] void fail(const std::string& message) const;
  /// Throws "expected <expected>, got <what this node is>".
  [[noreturn]] void expected(const std::string& expected) const;

  /// Total number of nodes in this subtree (for budgets).
  std::size_t size() const;

 private:
  static Node make(Kind kind, std::string text, SourceLoc loc, std::string path);

  Kind m_kind = Kind::kNull;
  std::string m_text;
  std::vector<Node> m_items;
  std::vector<std::pair<std::string, Node>> m_entries;
  SourceLoc m_loc;
  std::string m_path;
};

/// Deep merge: maps merge key by key (override wins, new keys appended), anything else is
/// replaced by the override. Locations follow the value that wins.
Node merge(const Node& base, const Node& override);

}  // namespace chipletsim::config
