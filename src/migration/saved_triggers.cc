#include "migration/saved_triggers.h"

#include <algorithm>

#include "inspect/inspector.h"
#include "sql/cutover.h"

namespace shadowalter {

SavedTriggers::SavedTriggers(std::string schema, std::string table, const ArtifactNames& names,
                             std::vector<Trigger> saved) {
  restore_.schema = std::move(schema);
  restore_.table = std::move(table);
  restore_.run_tables = {names.shadow_table, names.old_table};
  restore_.saved = std::move(saved);
}

StatusOr<std::vector<TriggerPlace>> SavedTriggers::Locate(Session& s) const {
  std::vector<std::string> names;
  for (const Trigger& t : restore_.saved) names.push_back(t.name);
  return LocateTriggers(s, restore_.schema, names);
}

std::vector<std::string> SavedTriggers::MissingFrom(const std::vector<TriggerPlace>& now) const {
  std::vector<std::string> out;
  for (const Trigger& t : restore_.saved) {
    const bool on_table = std::any_of(now.begin(), now.end(), [&](const TriggerPlace& p) {
      return p.name == t.name && p.table == restore_.table;
    });
    if (!on_table) out.push_back(t.name);
  }
  return out;
}

StatusOr<std::vector<std::string>> SavedTriggers::PlanRestore(Session& s) const {
  SA_ASSIGN_OR_RETURN(std::vector<TriggerPlace> now, Locate(s));
  if (MissingFrom(now).empty()) return std::vector<std::string>();
  SA_ASSIGN_OR_RETURN(ResultSet ctx, s.Query(SessionContextQuery()));
  if (ctx.empty() || ctx.rows[0].size() < 3) return InternalError("no session context returned");
  const auto& row = ctx.rows[0];
  OwnTriggerRestore r = restore_;
  r.restore_context = RestoreSessionContext(row[0].value_or(""), row[1].value_or("utf8mb4"),
                                            row[2].value_or("utf8mb4_general_ci"));
  return PlanOwnTriggerRestore(r, now);
}

std::vector<std::string> SavedTriggers::ByHand() const { return OwnTriggerRestoreByHand(restore_); }

}  // namespace shadowalter
