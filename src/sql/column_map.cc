#include "sql/column_map.h"

#include "db/quote.h"

namespace shadowalter {
namespace {

const ColumnRename* FindRename(const AlterAnalysis& alter, const std::string& column) {
  for (const ColumnRename& r : alter.renames) {
    if (SameColumnName(r.from, column)) return &r;
  }
  return nullptr;
}

bool IsDropped(const AlterAnalysis& alter, const std::string& column) {
  for (const std::string& d : alter.dropped_columns) {
    if (SameColumnName(d, column)) return true;
  }
  return false;
}

std::string KindProblem(const Column& c) {
  switch (c.kind) {
    case ValueKind::kFloat:
      return "is approximate (" + c.data_type + ")";
    case ValueKind::kEnumSet:
      return "sorts by position, not by text (" + c.data_type + ")";
    case ValueKind::kOther:
      return "has a type that can't be walked in order (" + c.data_type + ")";
    default:
      return "";
  }
}

}  // namespace

StatusOr<std::vector<ColumnPair>> MapColumns(const TableInfo& source, const TableInfo& shadow,
                                             const AlterAnalysis& alter) {
  std::vector<ColumnPair> out;
  for (const Column& c : source.columns) {
    // Dropped first: a column of the same name may be added again (DROP c, ADD c ...), or a
    // rename may take its name; either way the old values must not flow into it.
    if (IsDropped(alter, c.name)) continue;
    const ColumnRename* rename = FindRename(alter, c.name);
    const std::string target_name = rename ? rename->to : c.name;
    const Column* target = shadow.FindColumn(target_name);
    if (target == nullptr) {
      return RefusedError("column " + QuoteIdentifier(c.name) +
                          " of the original has no counterpart in the new table and was not "
                          "dropped with DROP COLUMN: to rename a column use CHANGE COLUMN or "
                          "RENAME COLUMN, never DROP + ADD (its data would be lost)");
    }
    if (target->generated) continue;
    out.push_back(ColumnPair{c.name, target->name, ZoneShiftFor(c, *target)});
  }
  if (out.empty()) return RefusedError("the new table shares no column with the original");
  return out;
}

StatusOr<ChunkKey> ChooseChunkKey(const TableInfo& source, const TableInfo& shadow,
                                  const std::vector<ColumnPair>& columns) {
  const Index* chosen = nullptr;
  for (const Index& idx : source.indexes) {
    if (!idx.IdentifiesRowsByColumns()) continue;
    bool all_not_null = true;
    for (const std::string& col : idx.columns) {
      const Column* c = source.FindColumn(col);
      if (c == nullptr || c->nullable) all_not_null = false;
    }
    if (!all_not_null) continue;
    if (idx.primary || chosen == nullptr) chosen = &idx;
    if (idx.primary) break;
  }
  if (chosen == nullptr) {
    return RefusedError("table " + QualifiedName(source.schema, source.name) +
                        " has no primary key and no unique key on NOT NULL columns to walk: add "
                        "one first (a table without one can't be copied exactly)");
  }

  ChunkKey key;
  key.index_name = chosen->name;
  for (const std::string& col : chosen->columns) {
    const Column* c = source.FindColumn(col);
    std::string problem = KindProblem(*c);
    if (!problem.empty()) {
      return RefusedError("key " + QuoteIdentifier(chosen->name) + " column " +
                          QuoteIdentifier(c->name) + " " + problem +
                          ": shadowalter can't walk it in chunks safely");
    }
    const ColumnPair* pair = nullptr;
    for (const ColumnPair& p : columns) {
      if (SameColumnName(p.source, c->name)) pair = &p;
    }
    if (pair == nullptr) {
      return RefusedError("column " + QuoteIdentifier(c->name) + " of key " +
                          QuoteIdentifier(chosen->name) +
                          " is dropped or becomes a generated column in the new table; the copy "
                          "and the triggers need it to match rows");
    }
    if (pair->zone != ZoneShift::kNone) {
      return RefusedError("column " + QuoteIdentifier(c->name) + " of key " +
                          QuoteIdentifier(chosen->name) +
                          " changes between TIMESTAMP and another type: its values would be "
                          "compared in different time zones in the two tables; change it with a "
                          "native ALTER, or walk another unique key");
    }
    key.columns.push_back(*c);
    key.target_names.push_back(pair->target);
  }

  // The new table must identify rows by the same columns, or the triggers can't find them.
  for (const Index& idx : shadow.indexes) {
    if (!idx.IdentifiesRowsByColumns() || idx.columns.size() != key.target_names.size()) {
      continue;
    }
    bool same = true;
    for (size_t i = 0; i < idx.columns.size(); ++i) {
      if (!SameColumnName(idx.columns[i], key.target_names[i])) same = false;
    }
    if (same) {
      key.shadow_index_name = idx.name;
      return key;
    }
  }
  return RefusedError("after the ALTER the new table has no unique key on the columns of key " +
                      QuoteIdentifier(chosen->name) +
                      " of the original; keep that key (changing the primary key needs the old key "
                      "to stay unique)");
}

}  // namespace shadowalter
