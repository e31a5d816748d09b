#include "inspect/artifacts.h"

#include <cstdlib>

#include "inspect/inspector.h"
#include "sql/ddl.h"
#include "sql/inspect_queries.h"

namespace shadowalter {
namespace {

std::vector<std::string> TriggerNames(const ArtifactNames& names) {
  return {names.insert_trigger, names.update_trigger, names.delete_trigger};
}

}  // namespace

StatusOr<ArtifactsFound> FindArtifacts(Session& s, const std::string& schema,
                                       const std::string& table, const ArtifactNames& names) {
  ArtifactsFound f;
  const std::pair<bool*, const std::string*> tables[] = {
      {&f.original, &table},
      {&f.new_table, &names.shadow_table},
      {&f.old_table, &names.old_table},
      {&f.heartbeat_table, &names.heartbeat_table},
      {&f.refusals_table, &names.refusals_table},
      {&f.trigger_check_table, &names.trigger_check_table},
      {&f.checkpoint_table, &names.checkpoint_table},
      {&f.reverse_refusals_table, &names.reverse_refusals_table},
  };
  for (const auto& [found, name] : tables) {
    SA_ASSIGN_OR_RETURN(*found, TableExists(s, schema, *name));
  }
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(TriggerTablesQuery(schema, TriggerNames(names))));
  for (const auto& row : rs.rows) {
    f.triggers.push_back(row[0].value_or(""));
    f.triggers_on = row[1].value_or("");
  }
  SA_ASSIGN_OR_RETURN(ResultSet reverse,
                      s.Query(TriggerTablesQuery(
                          schema, {names.reverse_insert_trigger, names.reverse_update_trigger,
                                   names.reverse_delete_trigger})));
  for (const auto& row : reverse.rows) f.reverse_triggers.push_back(row[0].value_or(""));
  SA_ASSIGN_OR_RETURN(
      ResultSet fences,
      s.Query(TriggerTablesQuery(schema, {names.fence_insert_trigger, names.fence_update_trigger,
                                          names.fence_delete_trigger})));
  for (const auto& row : fences.rows) f.fence_triggers.push_back(row[0].value_or(""));
  SA_ASSIGN_OR_RETURN(ResultSet lock, s.Query(NamedLockHolder(RunLockName(schema, table))));
  if (std::optional<std::string> id = lock.Scalar()) {
    f.run_lock_holder = std::strtoull(id->c_str(), nullptr, 10);
  }
  return f;
}

StatusOr<std::string> CreateTableText(Session& s, const std::string& schema,
                                      const std::string& table) {
  const std::string show = ShowCreateTable(schema, table);
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(show));
  if (rs.empty() || rs.rows[0].size() < 2) return InternalError(show + " returned nothing");
  return rs.rows[0][1].value_or("");
}

std::string TriggersCreatedText(Session& s, const std::string& schema, const ArtifactNames& names) {
  StatusOr<ResultSet> rs = s.Query(TriggersCreatedQuery(schema, TriggerNames(names)));
  return rs.ok() ? rs->Scalar().value_or("") : "";
}

StatusOr<std::string> TriggerDefinitionsText(Session& s, const std::string& schema,
                                             const ArtifactNames& names) {
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(TriggerDefinitionsQuery(schema, TriggerNames(names))));
  std::string text;
  for (const auto& row : rs.rows) {
    for (const auto& v : row) text += v.value_or("") + '\n';
  }
  return text;
}

}  // namespace shadowalter
