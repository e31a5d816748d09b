#include "sql/chunk.h"

#include <cctype>

#include "db/quote.h"
#include "sql/shadow_match.h"
#include "sql/time_zones.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

// (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ... : the exact lexicographic comparison of a composite
// key, with `last_op` for the final column (">" after, "<=" through). A leading-column bound is
// added so the optimizer sees a plain range on the index.
std::string TupleCompare(const ChunkKey& key, const std::vector<std::string>& cols,
                         const KeyTuple& v, const std::string& strict_op,
                         const std::string& last_op, const std::string& lead_op) {
  const size_t n = key.columns.size();
  std::vector<std::string> lits;
  for (size_t i = 0; i < n; ++i) lits.push_back(KeyLiteral(key.columns[i], v.at(i)));
  if (n == 1) return cols[0] + " " + last_op + " " + lits[0];
  std::vector<std::string> disj;
  for (size_t i = 0; i < n; ++i) {
    std::vector<std::string> conj;
    for (size_t j = 0; j < i; ++j) conj.push_back(cols[j] + " = " + lits[j]);
    conj.push_back(cols[i] + " " + (i + 1 == n ? last_op : strict_op) + " " + lits[i]);
    disj.push_back("(" + Join(conj, " AND ") + ")");
  }
  return cols[0] + " " + lead_op + " " + lits[0] + " AND (" + Join(disj, " OR ") + ")";
}

std::string LockClause(ServerFlavor f) {
  // MariaDB spells it LOCK IN SHARE MODE NOWAIT; MySQL 8 only accepts NOWAIT after FOR SHARE.
  return f == ServerFlavor::kMariaDB ? " LOCK IN SHARE MODE NOWAIT" : " FOR SHARE NOWAIT";
}

std::string ForceIndex(const ChunkKey& key) {
  return " FORCE INDEX (" + QuoteIdentifier(key.index_name) + ")";
}

std::string OrderBy(const std::vector<std::string>& names) {
  std::vector<std::string> q;
  for (const auto& n : names) q.push_back(QuoteIdentifier(n));
  return " ORDER BY " + Join(q, ", ");
}

}  // namespace

std::vector<std::string> SourceKeyNames(const ChunkKey& key) {
  std::vector<std::string> out;
  for (const Column& c : key.columns) out.push_back(c.name);
  return out;
}

std::string KeyLiteral(const Column& c, const std::string& value) {
  switch (c.kind) {
    case ValueKind::kInteger:
    case ValueKind::kDecimal:
      // Digits stay digits: quoting them would compare as DOUBLE and lose BIGINT precision.
      if (IsPlainNumber(value)) return value;
      return HexLiteral(value);
    case ValueKind::kBinary:
      return HexLiteral(value);
    default:
      return QuoteString(value);
  }
}

std::string RangePredicate(const ChunkKey& key, const std::vector<std::string>& names,
                           const ChunkRange& range, const std::string& prefix) {
  std::vector<std::string> cols;
  for (const std::string& n : names) cols.push_back(prefix + QuoteIdentifier(n));
  std::vector<std::string> parts;
  if (range.after) parts.push_back(TupleCompare(key, cols, *range.after, ">", ">", ">="));
  if (range.through) parts.push_back(TupleCompare(key, cols, *range.through, "<", "<=", "<="));
  if (parts.empty()) return "1=1";
  return "(" + Join(parts, ") AND (") + ")";
}

std::string NthKeyAfter(const CopySpec& s, const std::optional<KeyTuple>& after, uint64_t n) {
  const auto names = SourceKeyNames(s.key);
  std::vector<std::string> cols;
  for (const auto& name : names) cols.push_back(QuoteIdentifier(name));
  return "SELECT " + Join(cols, ", ") + " FROM " + QualifiedName(s.schema, s.table) +
         ForceIndex(s.key) + " WHERE " + RangePredicate(s.key, names, ChunkRange{after, {}}) +
         OrderBy(names) + " LIMIT 1 OFFSET " + std::to_string(n - 1);
}

std::string NthKeyInRange(const CopySpec& s, const ChunkRange& range, uint64_t n) {
  const auto names = SourceKeyNames(s.key);
  std::vector<std::string> cols;
  for (const auto& name : names) cols.push_back(QuoteIdentifier(name));
  return "SELECT " + Join(cols, ", ") + " FROM " + QualifiedName(s.schema, s.table) +
         ForceIndex(s.key) + " WHERE " + RangePredicate(s.key, names, range) + OrderBy(names) +
         " LIMIT 1 OFFSET " + std::to_string(n - 1);
}

std::string LockNextChunk(const CopySpec& s, const std::optional<KeyTuple>& after, uint64_t rows) {
  return NthKeyAfter(s, after, rows) + LockClause(s.flavor);
}

std::string LockRange(const CopySpec& s, const ChunkRange& range) {
  return "SELECT COUNT(*) FROM " + QualifiedName(s.schema, s.table) + ForceIndex(s.key) +
         " WHERE " + RangePredicate(s.key, SourceKeyNames(s.key), range) + LockClause(s.flavor);
}

std::string ShadowKeysInRange(const CopySpec& s, const ChunkRange& range) {
  if (s.key.matches_row_by_row()) {
    // The mirrors of the range's original rows, found one by one through the new table's key.
    std::vector<std::string> cols;
    for (const Column& c : s.key.shadow_key) cols.push_back("s." + QuoteIdentifier(c.name));
    return "SELECT " + Join(cols, ", ") + " FROM " + QualifiedName(s.schema, s.table) + " AS o" +
           ForceIndex(s.key) + " STRAIGHT_JOIN " + QualifiedName(s.schema, s.shadow_table) +
           " AS s FORCE INDEX (" + QuoteIdentifier(s.key.shadow_index_name) + ") ON " +
           ShadowRowMatch(s.key, "s.",
                          [](const Column& c) { return "o." + QuoteIdentifier(c.name); }) +
           " WHERE " + RangePredicate(s.key, SourceKeyNames(s.key), range, "o.");
  }
  std::vector<std::string> cols;
  for (const auto& name : s.key.target_names) cols.push_back(QuoteIdentifier(name));
  return "SELECT " + Join(cols, ", ") + " FROM " + QualifiedName(s.schema, s.shadow_table) +
         " WHERE " + RangePredicate(s.key, s.key.target_names, range) + OrderBy(s.key.target_names);
}

namespace {

std::string KeyEquals(const ChunkKey& key, const std::vector<std::string>& names,
                      const KeyTuple& v) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < names.size(); ++i) {
    parts.push_back(QuoteIdentifier(names[i]) + " = " + KeyLiteral(key.columns[i], v.at(i)));
  }
  return Join(parts, " AND ");
}

// The new table's key `columns` equal `v` (values as the new table holds them).
std::string ShadowKeyEquals(const std::vector<Column>& columns, const KeyTuple& v) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < columns.size(); ++i) {
    parts.push_back(QuoteIdentifier(columns[i].name) + " = " + KeyLiteral(columns[i], v.at(i)));
  }
  return Join(parts, " AND ");
}

std::string InsertSelect(const CopySpec& s, const std::string& where) {
  const auto names = SourceKeyNames(s.key);
  std::vector<std::string> targets, sources;
  for (const ColumnPair& p : s.columns) {
    targets.push_back(QuoteIdentifier(p.target));
    sources.push_back(ValueForTarget(QuoteIdentifier(p.source), p));
  }
  for (const ImplicitFill& f : s.fills) {
    targets.push_back(QuoteIdentifier(f.target));
    sources.push_back(f.literal);
  }
  return "INSERT INTO " + QualifiedName(s.schema, s.shadow_table) + " (" + Join(targets, ", ") +
         ") SELECT " + Join(sources, ", ") + " FROM " + QualifiedName(s.schema, s.table) +
         ForceIndex(s.key) + " WHERE " + where + OrderBy(names) + " LOCK IN SHARE MODE";
}

}  // namespace

std::string ClearRowInShadow(const CopySpec& s, const KeyTuple& key) {
  std::string where;
  if (s.key.matches_row_by_row()) {
    // The walked key's values, as the new table holds them (all of its columns are in match).
    ChunkKey walked = s.key;
    walked.match.clear();
    for (size_t i = 0; i < s.key.columns.size(); ++i) {
      for (const KeyPair& p : s.key.match) {
        if (SameColumnName(p.target.name, s.key.target_names[i])) walked.match.push_back(p);
      }
    }
    where = ShadowRowMatch(walked, "", [&](const Column& c) {
      for (size_t i = 0; i < s.key.columns.size(); ++i) {
        if (SameColumnName(s.key.columns[i].name, c.name)) {
          return KeyLiteral(s.key.columns[i], key.at(i));
        }
      }
      return std::string("NULL");
    });
  } else {
    where = KeyEquals(s.key, s.key.target_names, key);
  }
  return "DELETE FROM " + QualifiedName(s.schema, s.shadow_table) + " WHERE " + where;
}

std::string OriginalKeysInRange(const CopySpec& s, const ChunkRange& range) {
  const std::vector<std::string> names = SourceKeyNames(s.key);
  std::vector<std::string> cols;
  for (const std::string& n : names) cols.push_back(QuoteIdentifier(n));
  return "SELECT " + Join(cols, ", ") + " FROM " + QualifiedName(s.schema, s.table) +
         ForceIndex(s.key) + " WHERE " + RangePredicate(s.key, names, range) + OrderBy(names);
}

std::string ClearOrphansInShadow(const CopySpec& s, const std::vector<KeyTuple>& keys) {
  std::vector<std::string> rows;
  for (const KeyTuple& k : keys) {
    rows.push_back("(" + KeyEquals(s.key, s.key.target_names, k) +
                   " AND NOT EXISTS (SELECT 1 FROM " + QualifiedName(s.schema, s.table) +
                   " WHERE " + KeyEquals(s.key, SourceKeyNames(s.key), k) + "))");
  }
  return "DELETE FROM " + QualifiedName(s.schema, s.shadow_table) + " WHERE " + Join(rows, " OR ");
}

std::string ClearRowsInShadow(const CopySpec& s, const std::vector<KeyTuple>& keys) {
  if (s.key.matches_row_by_row()) {
    // `keys` are the new table's own key values (ShadowKeysInRange): each finds one row.
    std::vector<std::string> rows;
    for (const KeyTuple& k : keys) rows.push_back("(" + ShadowKeyEquals(s.key.shadow_key, k) + ")");
    return "DELETE FROM " + QualifiedName(s.schema, s.shadow_table) + " WHERE " +
           Join(rows, " OR ");
  }
  std::string where;
  if (s.key.columns.size() == 1) {
    std::vector<std::string> lits;
    for (const KeyTuple& k : keys) lits.push_back(KeyLiteral(s.key.columns[0], k.at(0)));
    where = QuoteIdentifier(s.key.target_names[0]) + " IN (" + Join(lits, ", ") + ")";
  } else {
    std::vector<std::string> rows;
    for (const KeyTuple& k : keys)
      rows.push_back("(" + KeyEquals(s.key, s.key.target_names, k) + ")");
    where = Join(rows, " OR ");
  }
  return "DELETE FROM " + QualifiedName(s.schema, s.shadow_table) + " WHERE " + where;
}

std::string CopyRow(const CopySpec& s, const KeyTuple& key) {
  return InsertSelect(s, KeyEquals(s.key, SourceKeyNames(s.key), key));
}

std::string CopyChunk(const CopySpec& s, const ChunkRange& range) {
  // The rows are already locked by LockNextChunk; reading them again takes no new waits.
  return InsertSelect(s, RangePredicate(s.key, SourceKeyNames(s.key), range));
}

}  // namespace shadowalter
