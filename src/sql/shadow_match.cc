#include "sql/shadow_match.h"

#include "db/quote.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

std::string CharsetOf(const std::string& collation) {
  return collation.substr(0, collation.find('_'));
}

bool Unchanged(const Column& a, const Column& b) {
  return a.column_type == b.column_type && a.collation == b.collation;
}

bool IsText(const Column& c) { return c.kind == ValueKind::kString; }

bool IsNumber(const Column& c) {
  return c.kind == ValueKind::kInteger || c.kind == ValueKind::kDecimal;
}

// The type a CAST to `c` names: DECIMAL(12,4), SIGNED, UNSIGNED.
std::string CastTypeOf(const Column& c) {
  const bool is_unsigned = c.column_type.find("unsigned") != std::string::npos;
  if (c.kind == ValueKind::kInteger) return is_unsigned ? "UNSIGNED" : "SIGNED";
  std::string type = c.column_type;
  for (const char* m : {" unsigned", " zerofill", " signed"}) {
    const auto p = type.find(m);
    if (p != std::string::npos) type.erase(p, std::string(m).size());
  }
  return type;
}

}  // namespace

bool ComparesAlike(const Column& source, const Column& target) {
  if (Unchanged(source, target)) return true;
  // Integers keep their values (or the copy fails on the range); YEAR maps 1 to 2001.
  if (source.kind == ValueKind::kInteger && target.kind == ValueKind::kInteger) {
    return source.data_type != "year" && target.data_type != "year";
  }
  // A longer or shorter VARCHAR in the same collation compares alike; CHAR <-> VARCHAR does not
  // under a NO PAD collation (trailing spaces).
  if (IsText(source) && IsText(target)) {
    return source.data_type == target.data_type && source.collation == target.collation;
  }
  return false;
}

std::string ShadowValue(const Column& source, const Column& target, const std::string& expr) {
  if (Unchanged(source, target)) return expr;
  switch (target.kind) {
    case ValueKind::kString:
      // As the copy stores it (converted to the new character set), in the new collation: a
      // COLLATE clause outranks the column's implicit one, so the comparison is in exactly the
      // column's collation and its index applies.
      return "CONVERT(" + expr + " USING " + CharsetOf(target.collation) + ") COLLATE " +
             target.collation;
    case ValueKind::kBinary:
      // Text becomes its bytes in the original's character set.
      if (IsText(source)) {
        return "CAST(CONVERT(" + expr + " USING " + CharsetOf(source.collation) + ") AS BINARY)";
      }
      if (IsNumber(source)) return "CAST(" + expr + " AS BINARY)";
      return expr;
    case ValueKind::kInteger:
    case ValueKind::kDecimal:
      // Text compared with a number would compare as DOUBLE: cast it as the copy converts it.
      if (IsText(source)) return "CAST(" + expr + " AS " + CastTypeOf(target) + ")";
      return expr;
    default:
      return expr;
  }
}

std::string SameBytes(const Column& target, const std::string& a, const std::string& b) {
  if (IsText(target)) return "CAST(" + a + " AS BINARY) <=> CAST(" + b + " AS BINARY)";
  return a + " <=> " + b;
}

std::string ShadowRowMatch(const ChunkKey& key, const std::string& shadow_prefix,
                           const std::function<std::string(const Column&)>& source_expr) {
  std::vector<std::string> parts, exact;
  for (const KeyPair& p : key.match) {
    const std::string column = shadow_prefix + QuoteIdentifier(p.target.name);
    const std::string value = ShadowValue(p.source, p.target, source_expr(p.source));
    parts.push_back(column + " <=> " + value);
    // Where the new column compares differently, equal under its collation is not enough.
    if (!ComparesAlike(p.source, p.target) && IsText(p.target)) {
      exact.push_back(SameBytes(p.target, column, value));
    }
  }
  parts.insert(parts.end(), exact.begin(), exact.end());
  return Join(parts, " AND ");
}

}  // namespace shadowalter
