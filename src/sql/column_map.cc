#include "sql/column_map.h"

#include "db/quote.h"
#include "sql/shadow_match.h"

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

// The original's column that feeds `target` of the new table, if any.
const ColumnPair* FeedingPair(const std::vector<ColumnPair>& columns, const std::string& target) {
  for (const ColumnPair& p : columns) {
    if (SameColumnName(p.target, target)) return &p;
  }
  return nullptr;
}

// A unique key of the new table that identifies each row by values copied from the original.
bool FindsRowsByCopiedColumns(const Index& idx, const TableInfo& shadow,
                              const std::vector<ColumnPair>& columns) {
  if (!idx.IdentifiesRowsByColumns()) return false;
  for (const std::string& name : idx.columns) {
    const Column* c = shadow.FindColumn(name);
    if (c == nullptr || c->nullable || FeedingPair(columns, name) == nullptr) return false;
    if (c->kind == ValueKind::kFloat || c->kind == ValueKind::kOther) return false;
  }
  return true;
}

// The key with `unique` (an index of the new table) as the way its rows are found: its columns,
// then the walked key's other columns, each with the original's column that feeds it.
StatusOr<ChunkKey> MatchRowByRow(const TableInfo& source, const TableInfo& shadow,
                                 const std::vector<ColumnPair>& columns, const Index& unique,
                                 ChunkKey key) {
  if (!FindsRowsByCopiedColumns(unique, shadow, columns)) {
    return RefusedError("key " + QuoteIdentifier(unique.name) +
                        " of the new table, which must find the rows of key " +
                        QuoteIdentifier(key.index_name) +
                        " of the original, has a column that may be NULL or can't be compared "
                        "exactly; declare its columns NOT NULL");
  }
  auto add = [&](const std::string& target_name) {
    for (const KeyPair& p : key.match) {
      if (SameColumnName(p.target.name, target_name)) return;
    }
    const ColumnPair* pair = FeedingPair(columns, target_name);
    key.match.push_back(KeyPair{*source.FindColumn(pair->source), *shadow.FindColumn(target_name)});
  };
  for (const std::string& name : unique.columns) {
    key.shadow_key.push_back(*shadow.FindColumn(name));
    add(name);
  }
  for (const std::string& name : key.target_names) add(name);
  return key;
}

// The original's key to walk: its primary key, else its first unique key whose columns are all
// NOT NULL (NULLs could not be walked past in order); nullptr when it has neither.
const Index* WalkableKey(const TableInfo& source) {
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
  return chosen;
}

// The key `chosen` walks, with the new table's column each of its columns is copied into; refused
// when a column can't be walked in order or doesn't reach the new table unchanged.
StatusOr<ChunkKey> WalkedKey(const TableInfo& source, const Index& chosen,
                             const std::vector<ColumnPair>& columns) {
  ChunkKey key;
  key.index_name = chosen.name;
  for (const std::string& col : chosen.columns) {
    const Column* c = source.FindColumn(col);
    std::string problem = KindProblem(*c);
    if (!problem.empty()) {
      return RefusedError("key " + QuoteIdentifier(chosen.name) + " column " +
                          QuoteIdentifier(c->name) + " " + problem +
                          ": shadowalter can't walk it in chunks safely");
    }
    const ColumnPair* pair = nullptr;
    for (const ColumnPair& p : columns) {
      if (SameColumnName(p.source, c->name)) pair = &p;
    }
    if (pair == nullptr) {
      return RefusedError("column " + QuoteIdentifier(c->name) + " of key " +
                          QuoteIdentifier(chosen.name) +
                          " is dropped or becomes a generated column in the new table; the copy "
                          "and the triggers need it to match rows");
    }
    if (pair->zone != ZoneShift::kNone) {
      return RefusedError("column " + QuoteIdentifier(c->name) + " of key " +
                          QuoteIdentifier(chosen.name) +
                          " changes between TIMESTAMP and another type: its values would be "
                          "compared in different time zones in the two tables; change it with a "
                          "native ALTER, or walk another unique key");
    }
    key.columns.push_back(*c);
    key.target_names.push_back(pair->target);
  }
  return key;
}

// The new table's unique key on exactly the columns `targets`: one in the same order if any
// (`same_order` set), else one on the same set of columns; nullptr when there is none.
const Index* SameColumnsKey(const TableInfo& shadow, const std::vector<std::string>& targets,
                            bool& same_order) {
  const Index* same_columns = nullptr;
  same_order = false;
  for (const Index& idx : shadow.indexes) {
    if (!idx.IdentifiesRowsByColumns() || idx.columns.size() != targets.size()) continue;
    bool in_order = true, as_set = true;
    for (size_t i = 0; i < idx.columns.size(); ++i) {
      if (!SameColumnName(idx.columns[i], targets[i])) in_order = false;
      bool found = false;
      for (const std::string& t : targets) found = found || SameColumnName(t, idx.columns[i]);
      as_set = as_set && found;
    }
    if (in_order && (same_columns == nullptr || !same_order)) {
      same_columns = &idx;
      same_order = true;
    } else if (as_set && same_columns == nullptr) {
      same_columns = &idx;
    }
  }
  return same_columns;
}

// A new primary key: the walked key's columns stay unique (the original proves it) as long as
// their values are not converted, and the new table's own unique key finds each row.
StatusOr<ChunkKey> MatchByNewUniqueKey(const TableInfo& source, const TableInfo& shadow,
                                       const std::vector<ColumnPair>& columns,
                                       const std::vector<Column>& targets, ChunkKey key) {
  for (size_t i = 0; i < key.columns.size(); ++i) {
    if (key.columns[i].column_type != targets[i].column_type ||
        key.columns[i].collation != targets[i].collation) {
      return RefusedError(
          "after the ALTER the new table has no unique key on the columns of key " +
          QuoteIdentifier(key.index_name) + " of the original, and its column " +
          QuoteIdentifier(key.columns[i].name) + " changes type (" + key.columns[i].column_type +
          " -> " + targets[i].column_type +
          "): keep a unique key on it, or keep its type, so the copy can match rows");
    }
  }
  const Index* unique = nullptr;
  for (const Index& idx : shadow.indexes) {
    if (!FindsRowsByCopiedColumns(idx, shadow, columns)) continue;
    if (idx.primary || unique == nullptr) unique = &idx;
    if (idx.primary) break;
  }
  if (unique == nullptr) {
    return RefusedError("after the ALTER the new table has no unique key on the columns of key " +
                        QuoteIdentifier(key.index_name) +
                        " of the original, and no primary key or unique key on NOT NULL columns "
                        "copied from the original to find rows by; keep one of them");
  }
  key.shadow_index_name = unique->name;
  return MatchRowByRow(source, shadow, columns, *unique, std::move(key));
}

}  // namespace

bool FloatBecomesText(const Column& source, const Column& target) {
  return source.kind == ValueKind::kFloat &&
         (target.kind == ValueKind::kString || target.kind == ValueKind::kBinary);
}

std::string ValueForTarget(const std::string& value, const ColumnPair& pair) {
  if (pair.float_as_text) return "CAST(" + value + " AS CHAR)";
  return InDefaultZone(value, pair.zone);
}

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
    out.push_back(
        ColumnPair{c.name, target->name, ZoneShiftFor(c, *target), FloatBecomesText(c, *target)});
  }
  if (out.empty()) return RefusedError("the new table shares no column with the original");
  return out;
}

StatusOr<ChunkKey> ChooseChunkKey(const TableInfo& source, const TableInfo& shadow,
                                  const std::vector<ColumnPair>& columns) {
  const Index* chosen = WalkableKey(source);
  if (chosen == nullptr) {
    return RefusedError("table " + QualifiedName(source.schema, source.name) +
                        " has no primary key and no unique key on NOT NULL columns to walk: add "
                        "one first (a table without one can't be copied exactly)");
  }
  SA_ASSIGN_OR_RETURN(ChunkKey key, WalkedKey(source, *chosen, columns));
  std::vector<Column> targets;
  for (const std::string& name : key.target_names) targets.push_back(*shadow.FindColumn(name));

  // Usually the new table has a unique key on the same columns: it finds rows by them.
  bool same_order = false;
  const Index* same_columns = SameColumnsKey(shadow, key.target_names, same_order);
  if (same_columns == nullptr) {
    return MatchByNewUniqueKey(source, shadow, columns, targets, std::move(key));
  }
  key.shadow_index_name = same_columns->name;
  bool alike = same_order;
  for (size_t i = 0; i < key.columns.size(); ++i) {
    alike = alike && ComparesAlike(key.columns[i], targets[i]);
  }
  if (alike) {
    return key;  // keys and ranges mean the same rows in both tables
  }
  return MatchRowByRow(source, shadow, columns, *same_columns, std::move(key));
}

}  // namespace shadowalter
