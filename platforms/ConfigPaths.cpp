#include "ConfigPaths.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "config/Reader.h"

namespace fs = std::filesystem;

namespace chipletsim {

namespace {
std::string executableDir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}
}  // namespace

std::string configRoot() {
  if (const char* env = std::getenv("CHIPLETSIM_CONFIG_DIR"); env && *env) return env;
  const std::string exeDir = executableDir();
  if (!exeDir.empty()) {
    const fs::path installed = fs::path(exeDir) / ".." / "share" / "chipletsim" / "configs";
    std::error_code ec;
    if (fs::is_directory(installed, ec)) return installed.lexically_normal().string();
  }
#ifdef CHIPLETSIM_CONFIG_DIR
  return CHIPLETSIM_CONFIG_DIR;
#else
  return "configs";
#endif
}

std::vector<std::string> listPresets(const std::string& category) {
  std::vector<std::string> out;
  const fs::path dir = fs::path(configRoot()) / category;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file() || it->path().extension() != ".yaml") continue;
    fs::path rel = fs::relative(it->path(), dir, ec);
    out.push_back(rel.replace_extension("").generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string resolvePreset(const std::string& category, const config::Node& at) {
  if (!at.isScalar()) at.expected("a preset name");
  const std::string& name = at.text();
  if (name.empty()) at.expected("a preset name");
  const bool isPath = name.find('/') != std::string::npos ||
                      (name.size() > 5 && name.rfind(".yaml") == name.size() - 5);
  std::error_code ec;
  if (isPath) {
    const fs::path p = (fs::path(at.loc().file).parent_path() / name).lexically_normal();
    if (!fs::is_regular_file(p, ec)) at.fail("preset file '" + p.string() + "' does not exist");
    return p.string();
  }
  const fs::path p = fs::path(configRoot()) / category / (name + ".yaml");
  if (fs::is_regular_file(p, ec)) return p.string();
  const auto known = listPresets(category);
  std::string msg = "no " + category + " preset '" + name + "'";
  const std::string guess = config::closestMatch(name, known);
  if (!guess.empty()) msg += " (did you mean '" + guess + "'?)";
  std::string list;
  for (std::size_t i = 0; i < known.size(); ++i) list += (i ? ", " : "") + known[i];
  msg += "; shipped presets in " + (fs::path(configRoot()) / category).string() + ": " +
         (list.empty() ? "none" : list);
  at.fail(msg);
}

}  // namespace chipletsim
