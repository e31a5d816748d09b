#include "sql/checksum.h"

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

bool SameType(const Column& a, const Column& b) {
  return a.column_type == b.column_type && a.collation == b.collation;
}

// How the original's value of `src` is brought to the form the new column `dst` holds, or "" when
// no faithful server-side conversion is known.
std::string ConvertedSource(const Column& src, const Column& dst) {
  if (SameType(src, dst)) return QuoteIdentifier(src.name);
  // Across TIMESTAMP, the expected value is the original's in the server's global zone, read in
  // this session's '+00:00' like the new table's side: a shift can't cancel out.
  const std::string col = InDefaultZone(QuoteIdentifier(src.name), ZoneShiftFor(src, dst));
  switch (dst.kind) {
    case ValueKind::kInteger:
      if (src.kind != ValueKind::kInteger && src.kind != ValueKind::kDecimal) return "";
      return "CAST(" + col + " AS " +
             (dst.column_type.find("unsigned") != std::string::npos ? "UNSIGNED" : "SIGNED") + ")";
    case ValueKind::kDecimal:
      if (src.kind != ValueKind::kInteger && src.kind != ValueKind::kDecimal) return "";
      return "CAST(" + col + " AS " + StripModifiers(dst.column_type) + ")";
    case ValueKind::kTemporal: {
      if (src.kind != ValueKind::kTemporal) return "";
      std::string p = Precision(dst.column_type);
      if (dst.data_type == "date") return "CAST(" + col + " AS DATE)";
      if (dst.data_type == "time") return "CAST(" + col + " AS TIME" + p + ")";
      return "CAST(" + col + " AS DATETIME" + p + ")";
    }
    case ValueKind::kString:
      if (src.kind == ValueKind::kFloat || src.kind == ValueKind::kOther) return "";
      return "CONVERT(" + col + " USING " + CharsetOf(dst.collation) + ")";
    case ValueKind::kBinary:
      if (src.data_type == "bit" || dst.data_type == "bit") return "";
      if (src.kind != ValueKind::kBinary && src.kind != ValueKind::kString) return "";
      // BINARY(n) pads with 0x00 on insert and keeps the padding; CAST AS BINARY(n) pads alike.
      if (dst.data_type == "binary")
        return "CAST(" + col + " AS BINARY" + Precision(dst.column_type) + ")";
      return "CAST(" + col + " AS BINARY)";
    default:
      return "";
  }
}

// The row's values in an encoding no other values share: per value its length in bytes, then
// the value; NULL is the token 'N' alone (LENGTH is NULL exactly when the value is, and CONCAT_WS
// drops the NULL value itself). The lengths keep values holding the separator apart ('a\0','b'
// vs 'a','\0b'). CHAR(0) is a binary string, so the result is bytes, as LENGTH counts them.
std::string RowEncoding(const std::vector<std::string>& exprs) {
  std::vector<std::string> parts;
  for (const auto& e : exprs) {
    parts.push_back("IFNULL(LENGTH(" + e + "), 'N')");
    parts.push_back(e);
  }
  return "CONCAT_WS(CHAR(0), " + Join(parts, ", ") + ")";
}

// 64 bits of SHA-256 of the encoding, as BIGINT UNSIGNED. A cryptographic hash has no linear
// structure, so changes in two rows can't cancel as they do under CRC32; SHA2 measured cheaper
// than MD5 and about as cheap as SHA1 on MariaDB 10.11 (docs/benchmarks.md).
std::string RowHash(const std::vector<std::string>& exprs) {
  return "CAST(CONV(LEFT(SHA2(" + RowEncoding(exprs) + ", 256), 16), 16, 10) AS UNSIGNED)";
}

// Text in a character set other than utf8mb4 is compared as bytes, so CONCAT_WS never has to
// mix collations.
std::string Comparable(const std::string& expr, const Column& as_column) {
  if (as_column.kind == ValueKind::kString && as_column.collation.rfind("utf8mb4", 0) != 0) {
    return "CAST(" + expr + " AS BINARY)";
  }
  return expr;
}

std::vector<std::string> SideExprs(const ChecksumPlan& plan, const TableInfo& source,
                                   const TableInfo& shadow, bool on_shadow,
                                   const std::string& shadow_prefix) {
  std::vector<std::string> out;
  for (const ColumnPair& p : plan.compared) {
    const Column& target = *shadow.FindColumn(p.target);
    if (on_shadow) {
      out.push_back(Comparable(shadow_prefix + QuoteIdentifier(p.target), target));
    } else {
      out.push_back(Comparable(ConvertedSource(*source.FindColumn(p.source), target), target));
    }
  }
  return out;
}

// Where the new table can't be walked by the original's key terms (sql/shadow_match.h), its side
// of a range is the mirrors of the original's rows in that range, found one by one; a row of the
// new table that mirrors none is found by ExtraRowsQuery.
bool JoinsShadow(const CopySpec& s, bool on_shadow) {
  return on_shadow && s.key.matches_row_by_row();
}

std::string FromRange(const CopySpec& s, bool on_shadow, const ChunkRange& range) {
  if (JoinsShadow(s, on_shadow)) {
    return " FROM " + QualifiedName(s.schema, s.table) + " AS o FORCE INDEX (" +
           QuoteIdentifier(s.key.index_name) + ") STRAIGHT_JOIN " +
           QualifiedName(s.schema, s.shadow_table) + " AS s FORCE INDEX (" +
           QuoteIdentifier(s.key.shadow_index_name) + ") ON " +
           ShadowRowMatch(s.key, "s.",
                          [](const Column& c) { return "o." + QuoteIdentifier(c.name); }) +
           " WHERE " + RangePredicate(s.key, SourceKeyNames(s.key), range, "o.");
  }
  const std::string& table = on_shadow ? s.shadow_table : s.table;
  const std::string& index = on_shadow ? s.key.shadow_index_name : s.key.index_name;
  const std::vector<std::string> names = on_shadow ? s.key.target_names : SourceKeyNames(s.key);
  return " FROM " + QualifiedName(s.schema, table) + " FORCE INDEX (" + QuoteIdentifier(index) +
         ") WHERE " + RangePredicate(s.key, names, range);
}

}  // namespace

ChecksumPlan PlanChecksum(const std::vector<ColumnPair>& columns, const TableInfo& source,
                          const TableInfo& shadow) {
  ChecksumPlan plan;
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

std::string ChecksumQuery(const CopySpec& s, const ChecksumPlan& plan, const TableInfo& source,
                          const TableInfo& shadow, bool on_shadow, const ChunkRange& range) {
  // SUM, not BIT_XOR: the server sums BIGINT UNSIGNED exactly (as DECIMAL), so a row that is
  // there twice counts twice instead of cancelling out, at the same cost. No COALESCE: an empty
  // range sums to NULL on both sides, and a non-empty one only if the hash is unavailable, which
  // the verifier refuses rather than comparing two NULLs.
  const std::string prefix = JoinsShadow(s, on_shadow) ? "s." : "";
  return "SELECT COUNT(*), SUM(" + RowHash(SideExprs(plan, source, shadow, on_shadow, prefix)) +
         ")" + FromRange(s, on_shadow, range);
}

std::string RowHashQuery(const CopySpec& s, const ChecksumPlan& plan, const TableInfo& source,
                         const TableInfo& shadow, bool on_shadow, const ChunkRange& range) {
  const bool joined = JoinsShadow(s, on_shadow);
  // Joined, the keys are the original's: both sides list rows by the same values.
  const std::vector<std::string> names =
      on_shadow && !joined ? s.key.target_names : SourceKeyNames(s.key);
  std::vector<std::string> keys;
  for (const auto& n : names) keys.push_back((joined ? "o." : "") + QuoteIdentifier(n));
  return "SELECT " + Join(keys, ", ") + ", " +
         RowHash(SideExprs(plan, source, shadow, on_shadow, joined ? "s." : "")) +
         FromRange(s, on_shadow, range) + " ORDER BY " + Join(keys, ", ");
}

std::string TableRowsQuery(const CopySpec& s, bool on_shadow) {
  return "SELECT COUNT(*) FROM " + QualifiedName(s.schema, on_shadow ? s.shadow_table : s.table);
}

}  // namespace shadowalter
