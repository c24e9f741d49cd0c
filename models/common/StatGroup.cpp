#include "common/StatGroup.h"

namespace chipletsim {

StatGroup& StatGroup::child(const std::string& name) {
  for (auto& c : m_children)
    if (c->name() == name) return *c;
  m_children.push_back(std::make_unique<StatGroup>(name));
  return *m_children.back();
}

const StatGroup* StatGroup::find(const std::string& name) const {
  for (const auto& c : m_children)
    if (c->name() == name) return c.get();
  return nullptr;
}

void StatGroup::add(const std::string& name, double value, const std::string& unit,
                    const std::string& desc) {
  for (auto& v : m_values) {
    if (v.name == name) {
      v = StatValue{name, value, unit, desc};
      return;
    }
  }
  m_values.push_back(StatValue{name, value, unit, desc});
}

void StatGroup::addDistribution(const std::string& name, const Distribution& d,
                                const std::string& unit, const std::string& desc) {
  StatGroup& g = child(name);
  g.add("count", static_cast<double>(d.count()), "count", desc);
  g.add("mean", d.mean(), unit);
  g.add("p50", d.percentile(0.50), unit);
  g.add("p99", d.percentile(0.99), unit);
  g.add("min", d.min(), unit);
  g.add("max", d.max(), unit);
}

const StatValue* StatGroup::value(const std::string& name) const {
  for (const auto& v : m_values)
    if (v.name == name) return &v;
  return nullptr;
}

const StatValue* StatGroup::lookup(const std::string& path) const {
  const auto dot = path.find('.');
  if (dot == std::string::npos) return value(path);
  const StatGroup* c = find(path.substr(0, dot));
  return c ? c->lookup(path.substr(dot + 1)) : nullptr;
}

}  // namespace chipletsim
