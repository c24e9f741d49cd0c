#pragma once
// The statistics tree. Every model fills a StatGroup of its own on request
// (`void reportStats(StatGroup&) const`), children mirroring the SystemC hierarchy; the report
// layer turns the tree into JSON and text. Every value carries its unit. Insertion order is
// kept, so output is deterministic.

#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/Distribution.h"

namespace chipletsim {

struct StatValue {
  std::string name;
  double value = 0.0;
  std::string unit;  // "B", "B/s", "ns", "J", "1" (dimensionless ratio), "count", ...
  std::string desc;
};

class StatGroup {
 public:
  explicit StatGroup(std::string name = "") : m_name(std::move(name)) {}
  StatGroup(const StatGroup&) = delete;
  StatGroup& operator=(const StatGroup&) = delete;
  StatGroup(StatGroup&&) = default;
  StatGroup& operator=(StatGroup&&) = default;

  const std::string& name() const { return m_name; }

  /// The child group called `name`, created (at the end) if it does not exist.
  StatGroup& child(const std::string& name);
  const StatGroup* find(const std::string& name) const;

  /// Adds (or replaces) a scalar.
  void add(const std::string& name, double value, const std::string& unit,
           const std::string& desc = "");
  /// Adds a group `name` with count, mean, p50, p99, min and max of `d`, all in `unit`.
  void addDistribution(const std::string& name, const Distribution& d, const std::string& unit,
                       const std::string& desc = "");

  const std::deque<StatValue>& values() const { return m_values; }
  const std::vector<std::unique_ptr<StatGroup>>& children() const { return m_children; }
  /// The value called `name` in this group, or nullptr; stays valid while the group lives.
  const StatValue* value(const std::string& name) const;
  /// Looks up a value by dotted path ("hbm0.pc3.bytes_read"); nullptr when absent.
  const StatValue* lookup(const std::string& dottedPath) const;

 private:
  std::string m_name;
  std::deque<StatValue> m_values;  // a deque: value() pointers stay valid across add()
  std::vector<std::unique_ptr<StatGroup>> m_children;
};

}  // namespace chipletsim
