#include "config/Reader.h"

#include <algorithm>
#include <sstream>

namespace chipletsim::config {

void Limits::check(const Node& n, double v) const {
  std::ostringstream want;
  want.precision(10);
  bool bad = false;
  if (min) {
    if (minExclusive ? !(v > *min) : !(v >= *min)) bad = true;
  }
  if (max && !(v <= *max)) bad = true;
  if (!bad) return;
  if (min && max) {
    if (minExclusive)
      want << "a value > " << *min << " and <= " << *max;
    else
      want << "a value between " << *min << " and " << *max;
  } else if (min) {
    want << "a value " << (minExclusive ? "> " : ">= ") << *min;
  } else {
    want << "a value <= " << *max;
  }
  if (min && *min == 0.0 && minExclusive && !max) want.str("a positive value (> 0)");
  if (min && *min == 0.0 && !minExclusive && !max) want.str("a non-negative value");
  n.fail("value out of range: expected " + want.str() + " (SI units), got '" + n.text() + "'");
}

MapReader::MapReader(const Node& n) : m_node(&n) {
  if (n.isNull()) {
    m_empty = Node::map(n.loc(), n.path());
    m_node = &m_empty;
  } else if (!n.isMap()) {
    n.expected("a map of key: value");
  }
}

const Node* MapReader::child(const std::string& key) {
  m_read.insert(key);
  return m_node->get(key);
}

const Node& MapReader::requiredChild(const std::string& key) {
  m_read.insert(key);
  const Node* c = m_node->get(key);
  if (!c) {
    const std::string path = m_node->path().empty() ? key : m_node->path() + "." + key;
    throw ConfigError(m_node->loc(), path, "missing required key '" + key + "'");
  }
  return *c;
}

void MapReader::finish() const {
  std::vector<std::string> known(m_read.begin(), m_read.end());
  for (const auto& [key, value] : m_node->entries()) {
    if (m_read.count(key)) continue;
    std::string msg = "unknown key '" + key + "'";
    const std::string guess = closestMatch(key, known);
    if (!guess.empty()) msg += " (did you mean '" + guess + "'?)";
    std::string valid;
    for (std::size_t i = 0; i < known.size(); ++i) valid += (i ? ", " : "") + known[i];
    if (!valid.empty()) msg += "; valid keys here: " + valid;
    throw ConfigError(value.loc(), value.path(), msg);
  }
}

namespace {
std::size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub =
          prev[j - 1] + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

std::string closestMatch(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t bestD = std::string::npos;
  for (const auto& c : candidates) {
    const std::size_t d = editDistance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  // Close enough to be a typo: at most a third of the longer word.
  if (best.empty() || bestD > std::max<std::size_t>(2, std::max(word.size(), best.size()) / 3))
    return "";
  return best;
}

}  // namespace chipletsim::config
