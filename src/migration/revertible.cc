#include "migration/revertible.h"

#include "cutover/refusal_log.h"
#include "db/quote.h"
#include "inspect/artifacts.h"
#include "inspect/inspector.h"
#include "sql/inspect_queries.h"
#include "sql/reverse_mirror.h"
#include "sql/triggers.h"
#include "state/checkpoint.h"
#include "state/run_identity.h"

namespace shadowalter {
namespace {

Status NotRevertible(const std::string& why) {
  return RefusedError("--revertible: " + why + "; run without --revertible");
}

}  // namespace

StatusOr<ReverseSide> PlanReverseSide(const std::string& schema, const ArtifactNames& names,
                                      const TableInfo& original, const TableInfo& shadow,
                                      const std::vector<ColumnPair>& forward) {
  // Foreign keys follow a RENAME (children's to the old table, the table's own keep their
  // toggled names): swapping back and forth would leave them pointing at the wrong table.
  if (!original.foreign_keys.empty() || !original.referenced_by.empty() ||
      !shadow.foreign_keys.empty()) {
    return NotRevertible(
        "a table with foreign keys (its own, other tables', or added by the "
        "ALTER) can't be swapped back");
  }
  // The table's own triggers would fire on the writes the reverse triggers make into the old
  // table, and would have to move twice.
  if (!original.triggers.empty()) {
    return NotRevertible("a table with triggers of its own can't be swapped back");
  }
  StatusOr<TriggerSpec> spec = ReverseMirror(schema, names, original, shadow, forward);
  if (!spec.ok()) return NotRevertible(spec.status().message());
  const TriggerStatements made = BuildTriggers(*spec);
  ReverseSide side;
  side.triggers = {{names.reverse_delete_trigger, made.create_delete},
                   {names.reverse_update_trigger, made.create_update},
                   {names.reverse_insert_trigger, made.create_insert}};
  side.refusal_log_create = RefusalLog(schema, names.reverse_refusals_table).CreateStatement();
  return side;
}

ArtifactNames ReverseTriggerNames(const ArtifactNames& names) {
  ArtifactNames reverse = names;
  reverse.insert_trigger = names.reverse_insert_trigger;
  reverse.update_trigger = names.reverse_update_trigger;
  reverse.delete_trigger = names.reverse_delete_trigger;
  return reverse;
}

StatusOr<std::string> ReverseTriggersFingerprint(Session& s, const std::string& schema,
                                                 const std::string& on_table,
                                                 const ArtifactNames& names) {
  const ArtifactNames reverse = ReverseTriggerNames(names);
  SA_ASSIGN_OR_RETURN(ResultSet on,
                      s.Query(TriggerTablesQuery(schema, {reverse.insert_trigger,
                                                          reverse.update_trigger,
                                                          reverse.delete_trigger})));
  size_t found = 0;
  for (const auto& row : on.rows) {
    if (row.size() > 1 && row[1].value_or("") == on_table) ++found;
  }
  if (found != 3) {
    return AbortedError("the reverse triggers (" + QuoteIdentifier(reverse.insert_trigger) + ", " +
                        QuoteIdentifier(reverse.update_trigger) + ", " +
                        QuoteIdentifier(reverse.delete_trigger) + ") are not all on " +
                        QualifiedName(schema, on_table) +
                        ": the old table may have missed writes since");
  }
  SA_ASSIGN_OR_RETURN(std::string definitions, TriggerDefinitionsText(s, schema, reverse));
  return Fingerprint(definitions + TriggersCreatedText(s, schema, reverse));
}

StatusOr<std::string> TableIdsFingerprint(Session& s, const std::string& schema,
                                          const std::string& table, const std::string& old_table) {
  const std::string ids = InnodbTableIds(s, schema, table);
  const std::string old_ids = InnodbTableIds(s, schema, old_table);
  if (ids.empty() || old_ids.empty()) {
    return RefusedError(
        "can't read the InnoDB table ids of " + QualifiedName(schema, table) + " and " +
        QualifiedName(schema, old_table) +
        " (information_schema.INNODB_SYS_TABLES or INNODB_TABLES: the PROCESS privilege, and "
        "names of letters, digits and _ only), which show a TRUNCATE the triggers never see");
  }
  return Fingerprint(ids + "\n" + old_ids);
}

StatusOr<std::string> DefinitionsFingerprint(Session& s, const std::string& schema,
                                             const std::string& table, const ArtifactNames& names) {
  SA_ASSIGN_OR_RETURN(std::string create, CreateTableText(s, schema, table));
  SA_ASSIGN_OR_RETURN(std::string old_create, CreateTableText(s, schema, names.old_table));
  return Fingerprint(DefinitionFingerprint(create) + DefinitionFingerprint(old_create));
}

bool IsRevertibleRun(const Checkpoint& c) {
  StatusOr<RunIdentity> identity = RunIdentity::Decode(c.identity);
  return identity.ok() && identity->revertible;
}

}  // namespace shadowalter
