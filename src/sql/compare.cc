#include "sql/compare.h"

#include <algorithm>

#include "db/quote.h"
#include "sql/shadow_match.h"
#include "sql/time_zones.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

std::string StripModifiers(std::string type) {
  for (const char* m : {" unsigned", " zerofill", " signed"}) {
    auto p = type.find(m);
    if (p != std::string::npos) type.erase(p, std::string(m).size());
  }
  return type;
}

std::string Precision(const std::string& column_type) {
  auto open = column_type.find('(');
  auto close = column_type.find(')');
  if (open == std::string::npos || close == std::string::npos) return "";
  return column_type.substr(open, close - open + 1);
}

std::string CharsetOf(const std::string& collation) {
  return collation.substr(0, collation.find('_'));
}

// The labels of an ENUM or SET column type, "enum('a','it''s')" -> {a, it's}.
std::vector<std::string> Labels(const std::string& column_type) {
  std::vector<std::string> labels;
  const size_t open = column_type.find('(');
  if (open == std::string::npos) return labels;
  std::string label;
  bool quoted = false;
  for (size_t i = open + 1; i < column_type.size(); ++i) {
    const char c = column_type[i];
    if (!quoted) {
      if (c == '\'') {
        quoted = true;
        label.clear();
      } else if (c == ')') {
        break;
      }
    } else if (c == '\'' && i + 1 < column_type.size() && column_type[i + 1] == '\'') {
      label += '\'';
      ++i;
    } else if (c == '\'') {
      quoted = false;
      labels.push_back(label);
    } else {
      label += c;
    }
  }
  return labels;
}

// Every label of `src` is a label of `dst`, byte for byte; for SET also in the same order.
bool LabelsKept(const Column& src, const Column& dst) {
  const std::vector<std::string> from = Labels(src.column_type);
  const std::vector<std::string> to = Labels(dst.column_type);
  if (from.empty()) return false;
  size_t at = 0;
  for (const std::string& label : from) {
    const auto found = std::find(to.begin(), to.end(), label);
    if (found == to.end()) return false;
    const size_t index = static_cast<size_t>(found - to.begin());
    if (src.data_type == "set" && index < at) return false;
    at = index;
  }
  return true;
}

bool SameType(const Column& a, const Column& b) {
  return a.column_type == b.column_type && a.collation == b.collation;
}

// How the original's value of `src` (named with `prefix`, e.g. "o.") is brought to the form the
// new column `dst` holds, or "" when no faithful server-side conversion is known.
std::string ConvertedSource(const Column& src, const Column& dst, const std::string& prefix = "") {
  if (SameType(src, dst)) return prefix + QuoteIdentifier(src.name);
  // Across TIMESTAMP, the expected value is the original's in the server's global zone, read in
  // this session's '+00:00' like the new table's side: a shift can't cancel out.
  const std::string col = InDefaultZone(prefix + QuoteIdentifier(src.name), ZoneShiftFor(src, dst));
  switch (dst.kind) {
    case ValueKind::kInteger:
      if (src.kind != ValueKind::kInteger && src.kind != ValueKind::kDecimal) return "";
      // YEAR stores 1..69 as 2001..2069 and 70..99 as 1970..1999: no cast says so.
      if (dst.data_type == "year" && src.data_type != "year") return "";
      return "CAST(" + col + " AS " +
             (dst.column_type.find("unsigned") != std::string::npos ? "UNSIGNED" : "SIGNED") + ")";
    case ValueKind::kDecimal:
      if (src.kind != ValueKind::kInteger && src.kind != ValueKind::kDecimal) return "";
      return "CAST(" + col + " AS " + StripModifiers(dst.column_type) + ")";
    case ValueKind::kTemporal: {
      if (src.kind != ValueKind::kTemporal) return "";
      // A TIME becomes a date and time on the day it is converted: the copy's day and the
      // verification's need not be the same.
      if (src.data_type == "time" && dst.data_type != "time") return "";
      std::string p = Precision(dst.column_type);
      if (dst.data_type == "date") return "CAST(" + col + " AS DATE)";
      if (dst.data_type == "time") return "CAST(" + col + " AS TIME" + p + ")";
      return "CAST(" + col + " AS DATETIME" + p + ")";
    }
    case ValueKind::kString: {
      if (src.kind == ValueKind::kOther) return "";
      // The text a native ALTER (and the copy: ColumnPair::float_as_text) gives a FLOAT.
      const std::string text = src.kind == ValueKind::kFloat
                                   ? "CAST(" + prefix + QuoteIdentifier(src.name) + " AS CHAR)"
                                   : col;
      // CHAR gives its values back without trailing spaces, whatever was stored.
      if (dst.data_type == "char" && src.data_type != "char") {
        return "TRIM(TRAILING ' ' FROM CONVERT(" + text + " USING " + CharsetOf(dst.collation) +
               "))";
      }
      return "CONVERT(" + text + " USING " + CharsetOf(dst.collation) + ")";
    }
    case ValueKind::kBinary:
      if (src.data_type == "bit" || dst.data_type == "bit") return "";
      if (src.kind != ValueKind::kBinary && src.kind != ValueKind::kString) return "";
      // BINARY(n) pads with 0x00 on insert and keeps the padding; CAST AS BINARY(n) pads alike.
      if (dst.data_type == "binary")
        return "CAST(" + col + " AS BINARY" + Precision(dst.column_type) + ")";
      return "CAST(" + col + " AS BINARY)";
    case ValueKind::kEnumSet:
      // The copy carries ENUM and SET values by their labels: the same text as long as every
      // label of the original is in the new definition as it was, and, for SET, whose text
      // lists its members in definition order, in the same order.
      if (src.data_type != dst.data_type || !LabelsKept(src, dst)) return "";
      if (dst.collation.empty()) return col;
      return "CONVERT(" + col + " USING " + CharsetOf(dst.collation) + ")";
    default:
      return "";
  }
}

// Whether two values of `target`'s kind are the same by value. Numbers and times compare
// exactly by value; everything else (text, binary, ENUM/SET labels, JSON, spatial) as bytes, so a
// collation can't call 'a' and 'A', or 'a' and 'a ', equal. NULL-safe.
std::string SameValue(const Column& target, const std::string& a, const std::string& b) {
  switch (target.kind) {
    case ValueKind::kInteger:
    case ValueKind::kDecimal:
    case ValueKind::kTemporal:
      return a + " <=> " + b;
    case ValueKind::kFloat:
      // By value, and by text too: -0 and 0 are equal values, but not the same value.
      return "(" + a + " <=> " + b + " AND CAST(" + a + " AS BINARY) <=> CAST(" + b +
             " AS BINARY))";
    default:
      // BIT arrives as bytes but compares as a number: by value too.
      if (target.data_type == "bit") return a + " <=> " + b;
      return "CAST(" + a + " AS BINARY) <=> CAST(" + b + " AS BINARY)";
  }
}

// Every compared column equal: o. is the original's row, s. its counterpart in the new table.
std::string RowsEqual(const ComparisonPlan& plan, const TableInfo& source,
                      const TableInfo& shadow) {
  std::vector<std::string> parts;
  for (const ColumnPair& p : plan.compared) {
    const Column& target = *shadow.FindColumn(p.target);
    const Column& from = *source.FindColumn(p.source);
    parts.push_back(
        SameValue(target, ConvertedSource(from, target, "o."), "s." + QuoteIdentifier(p.target)));
  }
  if (parts.empty()) return "TRUE";
  return Join(parts, " AND ");
}

// The original's rows in `range` (alias o), each with its counterpart in the new table (alias
// s) or NULLs where it has none.
std::string OriginalJoinedToShadow(const CopySpec& s, const ChunkRange& range) {
  std::string match;
  if (s.key.matches_row_by_row()) {
    match =
        ShadowRowMatch(s.key, "s.", [](const Column& c) { return "o." + QuoteIdentifier(c.name); });
  } else {
    std::vector<std::string> parts;
    const std::vector<std::string> names = SourceKeyNames(s.key);
    for (size_t i = 0; i < names.size(); ++i) {
      parts.push_back("s." + QuoteIdentifier(s.key.target_names[i]) + " = o." +
                      QuoteIdentifier(names[i]));
    }
    match = Join(parts, " AND ");
  }
  return " FROM " + QualifiedName(s.schema, s.table) + " AS o FORCE INDEX (" +
         QuoteIdentifier(s.key.index_name) + ") LEFT JOIN " +
         QualifiedName(s.schema, s.shadow_table) + " AS s FORCE INDEX (" +
         QuoteIdentifier(s.key.shadow_index_name) + ") ON " + match + " WHERE " +
         RangePredicate(s.key, SourceKeyNames(s.key), range, "o.");
}

// A column of the new table that is never NULL in a row that exists: NULL after the join means
// the original's row has no counterpart.
std::string ShadowRowPresent(const CopySpec& s) {
  const std::string column =
      s.key.matches_row_by_row() ? s.key.shadow_key.front().name : s.key.target_names.front();
  return "s." + QuoteIdentifier(column) + " IS NOT NULL";
}

std::vector<std::string> OriginalKeys(const CopySpec& s) {
  std::vector<std::string> keys;
  for (const auto& n : SourceKeyNames(s.key)) keys.push_back("o." + QuoteIdentifier(n));
  return keys;
}

}  // namespace

ComparisonPlan PlanComparison(const std::vector<ColumnPair>& columns, const TableInfo& source,
                              const TableInfo& shadow) {
  ComparisonPlan plan;
  for (const ColumnPair& p : columns) {
    const Column* src = source.FindColumn(p.source);
    const Column* dst = shadow.FindColumn(p.target);
    if (src == nullptr || dst == nullptr) continue;
    if (ConvertedSource(*src, *dst).empty()) {
      plan.skipped.push_back(p.source + " (" + src->column_type + " -> " + dst->column_type +
                             ": no exact comparison across this type change)");
    } else {
      plan.compared.push_back(p);
    }
  }
  return plan;
}

std::string CompareRangeQuery(const CopySpec& s, const ComparisonPlan& plan,
                              const TableInfo& source, const TableInfo& shadow,
                              const ChunkRange& range) {
  const std::string present = ShadowRowPresent(s);
  // Counted in the same statement, so in the same snapshot as the join.
  std::string shadow_rows = "NULL";
  if (!s.key.matches_row_by_row()) {
    shadow_rows = "(SELECT COUNT(*) FROM " + QualifiedName(s.schema, s.shadow_table) +
                  " FORCE INDEX (" + QuoteIdentifier(s.key.shadow_index_name) + ") WHERE " +
                  RangePredicate(s.key, s.key.target_names, range) + ")";
  }
  return "SELECT COUNT(*), COUNT(CASE WHEN " + present + " AND " + RowsEqual(plan, source, shadow) +
         " THEN 1 END), " + shadow_rows + OriginalJoinedToShadow(s, range);
}

std::string FirstDifferenceQuery(const CopySpec& s, const ComparisonPlan& plan,
                                 const TableInfo& source, const TableInfo& shadow,
                                 const ChunkRange& range) {
  const std::string present = ShadowRowPresent(s);
  const std::vector<std::string> keys = OriginalKeys(s);
  return "SELECT " + Join(keys, ", ") + ", " + present + OriginalJoinedToShadow(s, range) +
         " AND NOT (" + present + " AND " + RowsEqual(plan, source, shadow) + ") ORDER BY " +
         Join(keys, ", ") + " LIMIT 1";
}

std::string FirstExtraRowQuery(const CopySpec& s, const ChunkRange& range) {
  std::vector<std::string> keys, match;
  const std::vector<std::string> names = SourceKeyNames(s.key);
  for (size_t i = 0; i < names.size(); ++i) {
    keys.push_back("s." + QuoteIdentifier(s.key.target_names[i]));
    match.push_back("o." + QuoteIdentifier(names[i]) + " = " + keys.back());
  }
  return "SELECT " + Join(keys, ", ") + " FROM " + QualifiedName(s.schema, s.shadow_table) +
         " AS s FORCE INDEX (" + QuoteIdentifier(s.key.shadow_index_name) + ") LEFT JOIN " +
         QualifiedName(s.schema, s.table) + " AS o FORCE INDEX (" +
         QuoteIdentifier(s.key.index_name) + ") ON " + Join(match, " AND ") + " WHERE " +
         RangePredicate(s.key, s.key.target_names, range, "s.") + " AND o." +
         QuoteIdentifier(names.front()) + " IS NULL ORDER BY " + Join(keys, ", ") + " LIMIT 1";
}

std::string TableRowsQuery(const CopySpec& s, bool on_shadow) {
  return "SELECT COUNT(*) FROM " + QualifiedName(s.schema, on_shadow ? s.shadow_table : s.table);
}

}  // namespace shadowalter
