#include "sql/trigger_restore.h"

#include <algorithm>

#include "db/quote.h"
#include "sql/cutover.h"
#include "sql/triggers.h"

namespace shadowalter {
namespace {

const TriggerPlace* Find(const std::vector<TriggerPlace>& now, const std::string& name) {
  for (const TriggerPlace& p : now) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::vector<std::string> Create(const OwnTriggerRestore& r, const Trigger& t,
                                const std::string& precedes) {
  std::vector<std::string> out = {TriggerContext(t),
                                  CreateTriggerOn(r.schema, r.table, t, precedes)};
  if (!r.restore_context.empty()) out.push_back(r.restore_context);
  return out;
}

}  // namespace

StatusOr<std::vector<std::string>> PlanOwnTriggerRestore(const OwnTriggerRestore& r,
                                                         const std::vector<TriggerPlace>& now) {
  std::vector<std::string> out;
  auto on_table = [&](const std::string& name) {
    const TriggerPlace* p = Find(now, name);
    return p != nullptr && p->table == r.table;
  };
  for (const Trigger& t : r.saved) {
    const TriggerPlace* p = Find(now, t.name);
    if (p == nullptr || p->table == r.table) continue;
    if (std::find(r.run_tables.begin(), r.run_tables.end(), p->table) == r.run_tables.end()) {
      return RefusedError("the table's own trigger " + QuoteIdentifier(t.name) +
                          " can't be put back on " + QualifiedName(r.schema, r.table) +
                          ": a trigger of that name now belongs to " +
                          QualifiedName(r.schema, p->table));
    }
    out.push_back(DropTriggerStatement(r.schema, t.name));
  }
  for (size_t i = 0; i < r.saved.size(); ++i) {
    const Trigger& t = r.saved[i];
    if (on_table(t.name)) continue;
    std::string precedes;
    for (size_t j = i + 1; j < r.saved.size() && precedes.empty(); ++j) {
      const Trigger& later = r.saved[j];
      if (later.timing == t.timing && later.event == t.event && on_table(later.name)) {
        precedes = later.name;
      }
    }
    for (std::string& sql : Create(r, t, precedes)) out.push_back(std::move(sql));
  }
  return out;
}

std::vector<std::string> OwnTriggerRestoreByHand(const OwnTriggerRestore& r) {
  std::vector<std::string> out;
  for (auto it = r.saved.rbegin(); it != r.saved.rend(); ++it) {
    out.push_back(DropTriggerStatement(r.schema, it->name));
  }
  for (const Trigger& t : r.saved) {
    for (std::string& sql : Create(r, t, "")) out.push_back(std::move(sql));
  }
  return out;
}

std::string DescribeTrigger(const Trigger& t) {
  return QuoteIdentifier(t.name) + " " + t.timing + " " + t.event + " #" +
         std::to_string(t.action_order) + " (definer " + t.definer + ")";
}

}  // namespace shadowalter
