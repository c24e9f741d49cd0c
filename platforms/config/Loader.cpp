#include "config/Loader.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

namespace chipletsim::config {

namespace {

SourceLoc locOf(const std::string& file, const YAML::Mark& m) {
  SourceLoc loc{file, 0, 0};
  if (m.line >= 0) loc.line = m.line + 1;
  if (m.column >= 0) loc.column = m.column + 1;
  return loc;
}

// Counts the nodes a document expands to, aliases included, before anything is built.
class ExpansionCounter : public YAML::EventHandler {
 public:
  ExpansionCounter(const std::string& file, const LoadLimits& limits)
      : m_file(file), m_limits(limits) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++m_documents > 1)
      throw ConfigError(locOf(m_file, mark), "", "expected one YAML document, found several");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = m_sizes.find(anchor);
    add(mark, it == m_sizes.end() ? 1 : it->second);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    leaf(mark, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapEnd() override { close(); }

  int documents() const { return m_documents; }

 private:
  struct Open {
    YAML::anchor_t anchor;
    std::size_t count;
  };
  void add(const YAML::Mark& mark, std::size_t n) {
    std::size_t& target = m_stack.empty() ? m_total : m_stack.back().count;
    target = std::min(target + n, m_limits.maxNodes + 1);
    std::size_t all = m_total;
    for (const auto& o : m_stack) all = std::min(all + o.count, m_limits.maxNodes + 1);
    if (all > m_limits.maxNodes)
      throw ConfigError(locOf(m_file, mark), "",
                        "document expands to more than " + std::to_string(m_limits.maxNodes) +
                            " nodes (alias bomb?); refusing to load it");
  }
  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor) m_sizes[anchor] = 1;
    add(mark, 1);
  }
  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (static_cast<int>(m_stack.size()) >= m_limits.maxDepth)
      throw ConfigError(locOf(m_file, mark), "",
                        "nesting deeper than " + std::to_string(m_limits.maxDepth) + " levels");
    m_stack.push_back({anchor, 1});
    m_marks.push_back(mark);
  }
  void close() {
    const Open o = m_stack.back();
    const YAML::Mark mark = m_marks.back();
    m_stack.pop_back();
    m_marks.pop_back();
    if (o.anchor) m_sizes[o.anchor] = o.count;
    add(mark, o.count);
  }

  std::string m_file;
  LoadLimits m_limits;
  std::vector<Open> m_stack;
  std::vector<YAML::Mark> m_marks;
  std::map<YAML::anchor_t, std::size_t> m_sizes;
  std::size_t m_total = 0;
  int m_documents = 0;
};

std::string childPath(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

Node convert(const YAML::Node& y, const std::string& file, const std::string& path,
             const SourceLoc& parentLoc, int depth) {
  SourceLoc loc = locOf(file, y.Mark());
  if (loc.line == 0) loc = parentLoc;
  switch (y.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return Node::null(loc, path);
    case YAML::NodeType::Scalar:
      return Node::scalar(y.Scalar(), loc, path);
    case YAML::NodeType::Sequence: {
      Node n = Node::sequence(loc, path);
      std::size_t i = 0;
      for (const auto& item : y) {
        n.append(convert(item, file, path + "[" + std::to_string(i) + "]", loc, depth + 1));
        ++i;
      }
      return n;
    }
    case YAML::NodeType::Map: {
      Node n = Node::map(loc, path);
      for (const auto& kv : y) {
        const SourceLoc keyLoc = locOf(file, kv.first.Mark());
        if (!kv.first.IsScalar()) throw ConfigError(keyLoc, path, "map keys must be plain strings");
        const std::string key = kv.first.Scalar();
        if (n.get(key))
          throw ConfigError(keyLoc, childPath(path, key), "duplicate key '" + key + "'");
        Node value = convert(kv.second, file, childPath(path, key), keyLoc, depth + 1);
        if (value.isNull()) value = Node::null(keyLoc, childPath(path, key));
        n.set(key, std::move(value));
      }
      return n;
    }
  }
  throw InternalError("unknown YAML node type");
}

bool looksBinary(const std::string& text) {
  if (text.find('\0') != std::string::npos) return true;
  // Valid UTF-8 or not: count bytes that cannot start or continue a sequence.
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80         ? 1
                      : (c >> 5) == 6  ? 2
                      : (c >> 4) == 14 ? 3
                      : (c >> 3) == 30 ? 4
                                       : 0;
    if (len == 0 || i + len > text.size()) return true;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 2) return true;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return true;
    i += len;
  }
  return false;
}

Node loadFileAt(const std::string& path, const LoadLimits& limits, int includeDepth,
                const SourceLoc& from);

void resolveIncludes(Node& root, const std::string& path, const LoadLimits& limits,
                     int includeDepth) {
  const Node* inc = root.get("include");
  if (!inc) return;
  std::vector<const Node*> names;
  if (inc->isScalar()) {
    names.push_back(inc);
  } else if (inc->isSequence()) {
    for (const auto& i : inc->items()) names.push_back(&i);
  } else {
    inc->expected("a file name or a list of file names");
  }
  const auto dir = std::filesystem::path(path).parent_path();
  Node base = Node::map(root.loc(), root.path());
  for (const Node* n : names) {
    if (!n->isScalar()) n->expected("a file name");
    if (includeDepth >= limits.maxIncludeDepth)
      n->fail("includes nested deeper than " + std::to_string(limits.maxIncludeDepth) +
              " levels (a cycle?)");
    const std::string target = (dir / n->text()).lexically_normal().string();
    Node included = loadFileAt(target, limits, includeDepth + 1, n->loc());
    if (!included.isMap()) included.expected("a map in an included file");
    base = merge(base, included);
  }
  root.erase("include");
  root = merge(base, root);
  root.rebase(root.path());
}

Node loadFileAt(const std::string& path, const LoadLimits& limits, int includeDepth,
                const SourceLoc& from) {
  const SourceLoc at{path, 0, 0};
  auto fail = [&](const std::string& what) -> Node {
    if (from.file.empty()) throw ConfigError(at, "", what);
    throw ConfigError(from, "include", path + ": " + what);
  };
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return fail("cannot read file: no such file");
  if (S_ISDIR(st.st_mode)) return fail("is a directory, expected a YAML file");
  if (!S_ISREG(st.st_mode)) return fail("is not a regular file");
  if (static_cast<std::size_t>(st.st_size) > limits.maxFileBytes)
    return fail("file is larger than " + std::to_string(limits.maxFileBytes) + " bytes");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot open file for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  Node root = parseYaml(ss.str(), path, "", limits);
  if (root.isMap()) resolveIncludes(root, path, limits, includeDepth);
  return root;
}

}  // namespace

Node parseYaml(const std::string& text, const std::string& file, const std::string& rootPath,
               const LoadLimits& limits) {
  const SourceLoc at{file, 0, 0};
  if (text.size() > limits.maxFileBytes)
    throw ConfigError(at, rootPath,
                      "input larger than " + std::to_string(limits.maxFileBytes) + " bytes");
  if (looksBinary(text))
    throw ConfigError(at, rootPath, "binary or non-UTF-8 content, expected a YAML text file");
  try {
    {
      std::istringstream in(text);
      YAML::Parser parser(in);
      ExpansionCounter counter(file, limits);
      while (parser.HandleNextDocument(counter)) {
      }
      if (counter.documents() == 0) {
        if (rootPath.empty()) throw ConfigError(at, rootPath, "empty file: expected a YAML map");
        return Node::null(at, rootPath);
      }
    }
    const YAML::Node y = YAML::Load(text);
    Node n = convert(y, file, rootPath, SourceLoc{file, 1, 1}, 0);
    if (rootPath.empty() && n.isNull())
      throw ConfigError(at, "", "empty file: expected a YAML map");
    return n;
  } catch (const YAML::Exception& e) {
    throw ConfigError(locOf(file, e.mark), rootPath, "YAML syntax error: " + e.msg);
  }
}

Node loadFile(const std::string& path, const LoadLimits& limits) {
  return loadFileAt(path, limits, 0, SourceLoc{});
}

SetOverride parseSetOverride(const std::string& arg) {
  const SourceLoc loc{"--set " + arg, 0, 0};
  const auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError(loc, "", "expected SCOPE.KEY.PATH=VALUE (scope platform or workload)");
  const std::string key = arg.substr(0, eq);
  SetOverride o;
  o.text = arg;
  std::vector<std::string> parts;
  std::size_t begin = 0;
  while (begin <= key.size()) {
    const auto dot = std::min(key.find('.', begin), key.size());
    const std::string seg = key.substr(begin, dot - begin);
    const auto bracket = std::min(seg.find('['), seg.size());
    const std::string name = seg.substr(0, bracket);
    if (name.empty()) throw ConfigError(loc, key, "empty key name in key path");
    parts.push_back(name);
    std::size_t i = bracket;
    while (i < seg.size()) {
      const auto close = seg.find(']', i);
      const std::string idx = close == std::string::npos ? "" : seg.substr(i + 1, close - i - 1);
      if (seg[i] != '[' || close == std::string::npos || idx.empty() || idx.size() > 6 ||
          !std::all_of(idx.begin(), idx.end(), [](char c) { return c >= '0' && c <= '9'; }))
        throw ConfigError(loc, key, "expected a list index like [2] in '" + seg + "'");
      parts.push_back("[" + idx + "]");
      i = close + 1;
    }
    begin = dot + 1;
  }
  if (parts.size() < 2 || (parts[0] != "platform" && parts[0] != "workload"))
    throw ConfigError(loc, key,
                      "expected a key path starting with 'platform.' or 'workload.' and naming a "
                      "key, e.g. platform.instances.hbm0.pin_rate=6.4 Gb/s");
  o.scope = parts[0];
  o.keyPath.assign(parts.begin() + 1, parts.end());
  std::string path;
  for (const auto& p : o.keyPath) path += (p[0] == '[' || path.empty()) ? p : "." + p;
  const std::string value = arg.substr(eq + 1);
  LoadLimits small;
  small.maxNodes = 10000;
  small.maxDepth = 16;
  Node v = parseYaml(value.empty() ? "~" : value, loc.file, path, small);
  if (value.empty()) v = Node::null(loc, path);
  v.relocate(loc);  // "--set ARG: error: ...", not a line and column of the one-line value
  o.value = std::move(v);
  return o;
}

void applyOverride(Node& root, const SetOverride& o) {
  const SourceLoc loc{"--set " + o.text, 0, 0};
  Node* cur = &root;
  std::string path;
  for (std::size_t i = 0; i < o.keyPath.size(); ++i) {
    const std::string& k = o.keyPath[i];
    const bool last = i + 1 == o.keyPath.size();
    if (k[0] == '[') {
      path += k;
      if (!cur->isSequence())
        throw ConfigError(loc, path, std::string("cannot index ") + cur->kindName() + " with " + k);
      const auto idx = std::stoul(k.substr(1, k.size() - 2));
      auto& items = const_cast<std::vector<Node>&>(cur->items());
      if (idx >= items.size())
        throw ConfigError(
            loc, path,
            "list index out of range: the list has " + std::to_string(items.size()) + " items");
      if (last) {
        items[idx] = o.value;
        items[idx].rebase(path);
        return;
      }
      cur = &items[idx];
    } else {
      path = path.empty() ? k : path + "." + k;
      if (cur->isNull()) *cur = Node::map(loc, cur->path());
      if (!cur->isMap())
        throw ConfigError(
            loc, path,
            std::string("cannot set a key under ") + cur->kindName() + " at '" + cur->path() + "'");
      if (last) {
        Node v = o.value;
        v.rebase(path);
        cur->set(k, std::move(v));
        return;
      }
      const Node* existing = cur->get(k);
      if (!existing) cur->set(k, Node::map(loc, path));
      cur = const_cast<Node*>(cur->get(k));
    }
  }
}

}  // namespace chipletsim::config
