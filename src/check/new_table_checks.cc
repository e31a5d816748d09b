#include "check/new_table_checks.h"

#include <algorithm>

#include "db/quote.h"
#include "inspect/inspector.h"
#include "report/log.h"
#include "sql/cutover.h"
#include "sql/ddl.h"
#include "sql/shadow_match.h"
#include "sql/time_zones.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

// The original's column the new table's `target` is copied from, if any.
std::optional<std::string> SourceOf(const std::vector<ColumnPair>& columns,
                                    const std::string& target) {
  for (const ColumnPair& p : columns) {
    if (SameColumnName(p.target, target)) return p.source;
  }
  return std::nullopt;
}

// Whether an old unique key of `original` lies within `alike_columns` (columns of a new key that
// compare as before): two rows equal on the new key are then equal on the old one, so the data
// can hold no duplicate of it (PRIMARY KEY (id) -> (id, k)).
bool HoldsOldUniqueKey(const TableInfo& original, const std::vector<std::string>& alike_columns) {
  for (const Index& old : original.indexes) {
    // A unique prefix proves the whole column unique; an expression proves nothing about it.
    if (!old.unique || old.functional || old.columns.empty()) continue;
    if (std::all_of(old.columns.begin(), old.columns.end(), [&](const std::string& o) {
          return std::any_of(alike_columns.begin(), alike_columns.end(),
                             [&](const std::string& c) { return SameColumnName(o, c); });
        })) {
      return true;
    }
  }
  return false;
}

}  // namespace

Status NewTableCanBeMirrored(const TableInfo& original, const TableInfo& new_table) {
  if (AsciiLower(new_table.create_statement).find("without overlaps") != std::string::npos) {
    return RefusedError(
        "the ALTER gives the table a WITHOUT OVERLAPS key, on which the mirror triggers' INSERT "
        "... ON DUPLICATE KEY UPDATE is not allowed (every UPDATE of the application would "
        "fail): add that key with a plain ALTER TABLE");
  }
  for (const ForeignKeyRef& fk : new_table.foreign_keys) {
    if (fk.referenced_schema == original.schema && fk.referenced_table == original.name) {
      return RefusedError(
          "the ALTER adds foreign key " + QuoteIdentifier(fk.constraint_name) +
          " referencing the table itself: on the new table it would reference the original "
          "(whose DELETEs it would then refuse) and, after the swap, the old table; add it with "
          "a plain ALTER TABLE once the run is done");
    }
  }
  return Status::Ok();
}

Status CheckDefaultZone(PreflightContext& ctx) {
  std::vector<std::string> crossing;
  for (const ColumnPair& p : *ctx.columns) {
    if (p.zone != ZoneShift::kNone) crossing.push_back(QuoteIdentifier(p.source));
  }
  if (crossing.empty()) return Status::Ok();
  const std::string which = (crossing.size() == 1 ? "column " : "columns ") + Join(crossing, ", ") +
                            (crossing.size() == 1 ? " changes" : " change");
  SA_ASSIGN_OR_RETURN(ResultSet r, ctx.session.Query(DefaultZoneCheck()));
  if (r.Scalar() != "1") {
    return RefusedError(which +
                        " between TIMESTAMP and another type, which converts in the "
                        "server's global time_zone, and the server can't convert out of it "
                        "(CONVERT_TZ gives NULL: load the time zone tables)");
  }
  LogInfo(which +
          " between TIMESTAMP and another type: converted in the server's global "
          "time_zone, as a native ALTER in a default session converts it");
  return Status::Ok();
}

Status CheckNewUniqueKeys(PreflightContext& ctx) {
  const TableInfo& original = ctx.table;
  const TableInfo& shadow = *ctx.new_table;
  for (const Index& idx : shadow.indexes) {
    if (!idx.IdentifiesRowsByColumns()) continue;
    std::vector<std::string> columns, compare_as, alike_columns;
    bool compares_alike = true;  // each column compares its values as in the original
    for (const std::string& c : idx.columns) {
      std::optional<std::string> s = SourceOf(*ctx.columns, c);
      if (!s) continue;
      columns.push_back(*s);
      const Column* from = original.FindColumn(*s);
      const Column* to = shadow.FindColumn(c);
      const bool alike = from == nullptr || to == nullptr || ComparesAlike(*from, *to);
      compare_as.push_back(alike ? "" : ShadowValue(*from, *to, QuoteIdentifier(*s)));
      if (alike) alike_columns.push_back(*s);
      compares_alike &= alike;
    }
    if (columns.size() != idx.columns.size()) continue;  // new columns: the copy checks them
    // A key whose columns the ALTER converts (_bin -> _ci: 'abc' = 'ABC') proves nothing in the
    // original: checked like a new one.
    if (HoldsOldUniqueKey(original, alike_columns)) continue;
    LogInfo("checking that the original has no duplicates for new unique key " +
            QuoteIdentifier(idx.name) + " (reads the whole table)");
    SA_ASSIGN_OR_RETURN(ResultSet dup,
                        ctx.session.Query(FindDuplicate(
                            ctx.config.conn.database, ctx.config.conn.table, columns, compare_as)));
    if (dup.empty()) continue;
    std::vector<std::string> values;
    for (size_t i = 0; i < columns.size(); ++i) values.push_back(dup.rows[0][i].value_or("NULL"));
    const std::string times = ") " + dup.rows[0].back().value_or("?") + " times";
    if (!compares_alike) {
      return RefusedError("the new table's unique key " + QuoteIdentifier(idx.name) + " on (" +
                          Join(columns, ", ") +
                          ") compares values differently after the ALTER, and the original "
                          "holds (" +
                          Join(values, ", ") + times +
                          " as equal under the new definition; remove the duplicates first");
    }
    return RefusedError("the ALTER adds unique key " + QuoteIdentifier(idx.name) + " on (" +
                        Join(columns, ", ") + "), but the original holds (" + Join(values, ", ") +
                        times + "; remove the duplicates first");
  }
  return Status::Ok();
}

Status CheckOwnTriggersRecreatable(PreflightContext& ctx) {
  const std::vector<Trigger>& triggers = ctx.table.triggers;
  if (triggers.empty()) return Status::Ok();
  const std::string& schema = ctx.config.conn.database;
  const std::string& scratch = ctx.names.trigger_check_table;
  if (ctx.will_create_table) ctx.will_create_table(scratch);
  SA_RETURN_IF_ERROR(ctx.session.Execute(CreateTableLike(schema, scratch, ctx.names.shadow_table)));
  SA_ASSIGN_OR_RETURN(ResultSet context, ctx.session.Query(SessionContextQuery()));
  const auto& row = context.rows.at(0);
  const std::string restore =
      RestoreSessionContext(row.at(0).value_or(""), row.at(1).value_or(""), row.at(2).value_or(""));
  for (size_t i = 0; i < triggers.size(); ++i) {
    Trigger probe = triggers[i];
    probe.name = TriggerCheckName(ctx.config.conn.table, i + 1);
    SA_RETURN_IF_ERROR(ctx.session.Execute(TriggerContext(probe)));
    Status created = ctx.session.Execute(CreateTriggerOn(schema, scratch, probe));
    SA_RETURN_IF_ERROR(ctx.session.Execute(restore));
    if (!created.ok()) {
      return RefusedError("trigger " + QuoteIdentifier(triggers[i].name) +
                          " can't be recreated on the new table: " + created.message() +
                          " (does the ALTER drop or rename a column it uses?); change the "
                          "trigger first, or drop it and create it again after the run");
    }
  }
  SA_RETURN_IF_ERROR(ctx.session.Execute(DropTableStatement(schema, scratch)));
  LogInfo("all " + std::to_string(triggers.size()) +
          " of the table's own triggers can be recreated on the new table");
  return Status::Ok();
}

Status CheckNewTableExists(PreflightContext& ctx) {
  const std::string& schema = ctx.config.conn.database;
  SA_ASSIGN_OR_RETURN(bool exists, TableExists(ctx.session, schema, ctx.names.shadow_table));
  if (!exists) {
    return RefusedError("there is no new table " + QualifiedName(schema, ctx.names.shadow_table) +
                        " to compare with: verify checks a stopped run's leftovers");
  }
  SA_ASSIGN_OR_RETURN(std::vector<std::string> triggers,
                      ExistingTriggers(ctx.session, schema,
                                       {ctx.names.insert_trigger, ctx.names.update_trigger,
                                        ctx.names.delete_trigger}));
  if (triggers.size() != 3) {
    LogWarning("only " + std::to_string(triggers.size()) +
               " of the 3 triggers exist: writes since they went missing are not in the new "
               "table, so differences are expected");
  }
  return Status::Ok();
}

}  // namespace shadowalter
