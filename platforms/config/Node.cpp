#include "config/Node.h"

namespace chipletsim::config {

Node Node::make(Kind kind, std::string text, SourceLoc loc, std::string path) {
  Node n;
  n.m_kind = kind;
  n.m_text = std::move(text);
  n.m_loc = std::move(loc);
  n.m_path = std::move(path);
  return n;
}

Node Node::scalar(std::string value, SourceLoc loc, std::string path) {
  return make(Kind::kScalar, std::move(value), std::move(loc), std::move(path));
}

Node Node::sequence(SourceLoc loc, std::string path) {
  return make(Kind::kSequence, "", std::move(loc), std::move(path));
}

Node Node::map(SourceLoc loc, std::string path) {
  return make(Kind::kMap, "", std::move(loc), std::move(path));
}

Node Node::null(SourceLoc loc, std::string path) {
  return make(Kind::kNull, "", std::move(loc), std::move(path));
}

const char* Node::kindName() const {
  switch (m_kind) {
    case Kind::kNull:
      return "nothing (null)";
    case Kind::kScalar:
      return "a scalar";
    case Kind::kSequence:
      return "a list";
    case Kind::kMap:
      return "a map";
  }
  return "?";
}

const std::string& Node::text() const {
  if (m_kind != Kind::kScalar) expected("a scalar value");
  return m_text;
}

const std::vector<Node>& Node::items() const {
  if (m_kind != Kind::kSequence) expected("a list");
  return m_items;
}

const std::vector<std::pair<std::string, Node>>& Node::entries() const {
  if (m_kind != Kind::kMap) expected("a map");
  return m_entries;
}

const Node* Node::get(const std::string& key) const {
  if (m_kind != Kind::kMap) return nullptr;
  for (const auto& [k, v] : m_entries)
    if (k == key) return &v;
  return nullptr;
}

void Node::append(Node item) {
  require(m_kind == Kind::kSequence, "Node::append on a non-sequence");
  m_items.push_back(std::move(item));
}

Node& Node::set(const std::string& key, Node value) {
  require(m_kind == Kind::kMap, "Node::set on a non-map");
  for (auto& [k, v] : m_entries) {
    if (k == key) {
      v = std::move(value);
      return v;
    }
  }
  m_entries.emplace_back(key, std::move(value));
  return m_entries.back().second;
}

bool Node::erase(const std::string& key) {
  for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
    if (it->first == key) {
      m_entries.erase(it);
      return true;
    }
  }
  return false;
}

void Node::rebase(const std::string& path) {
  m_path = path;
  for (std::size_t i = 0; i < m_items.size(); ++i)
    m_items[i].rebase(path + "[" + std::to_string(i) + "]");
  for (auto& [k, v] : m_entries) v.rebase(path.empty() ? k : path + "." + k);
}

void Node::relocate(const SourceLoc& loc) {
  m_loc = loc;
  for (auto& i : m_items) i.relocate(loc);
  for (auto& [k, v] : m_entries) v.relocate(loc);
}

void Node::fail(const std::string& message) const {
  throw ConfigError(m_loc, m_path, message);
}

void Node::expected(const std::string& what) const {
  std::string got = kindName();
  if (m_kind == Kind::kScalar) got = "'" + m_text + "'";
  fail("expected " + what + ", got " + got);
}

std::size_t Node::size() const {
  std::size_t n = 1;
  for (const auto& i : m_items) n += i.size();
  for (const auto& e : m_entries) n += e.second.size();
  return n;
}

Node merge(const Node& base, const Node& over) {
  if (!base.isMap() || !over.isMap()) return over;
  Node out = base;
  for (const auto& [k, v] : over.entries()) {
    const Node* b = out.get(k);
    if (b && b->isMap() && v.isMap()) {
      Node merged = merge(*b, v);
      out.set(k, std::move(merged));
    } else {
      out.set(k, v);
    }
  }
  return out;
}

}  // namespace chipletsim::config
