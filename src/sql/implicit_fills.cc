#include "sql/implicit_fills.h"

#include <algorithm>
#include <optional>

#include "db/quote.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

// The implicit value of a data type (information_schema.COLUMNS.DATA_TYPE, lower case), as the
// literal that stores it under a strict sql_mode without NO_ZERO_DATE (the run's); nullopt when
// there is none the run can write as a literal.
std::optional<std::string> ImplicitLiteral(const std::string& data_type) {
  static const char* const kZero[] = {"tinyint", "smallint", "mediumint", "int",   "integer",
                                      "bigint",  "decimal",  "numeric",   "float", "double",
                                      "real",    "bit",      "year",      "bool",  "boolean"};
  static const char* const kEmpty[] = {
      "char",      "varchar",  "tinytext", "text",       "mediumtext", "longtext", "binary",
      "varbinary", "tinyblob", "blob",     "mediumblob", "longblob",   "set"};
  auto in = [&](const auto& list) {
    return std::find(std::begin(list), std::end(list), data_type) != std::end(list);
  };
  if (in(kZero)) return "0";
  if (in(kEmpty)) return "''";
  if (data_type == "enum") return "1";  // the first member, by its index
  if (data_type == "date") return "'0000-00-00'";
  if (data_type == "datetime" || data_type == "timestamp") return "'0000-00-00 00:00:00'";
  if (data_type == "time") return "'00:00:00'";
  return std::nullopt;
}

}  // namespace

StatusOr<std::vector<ImplicitFill>> ImplicitFills(const TableInfo& shadow,
                                                  const std::vector<ColumnPair>& columns) {
  std::vector<ImplicitFill> out;
  for (const Column& c : shadow.columns) {
    if (c.nullable || c.generated || c.auto_increment || c.has_default) continue;
    const bool fed = std::any_of(columns.begin(), columns.end(), [&](const ColumnPair& p) {
      return SameColumnName(p.target, c.name);
    });
    if (fed) continue;
    const std::optional<std::string> literal = ImplicitLiteral(c.data_type);
    if (!literal) {
      return RefusedError("column " + QuoteIdentifier(c.name) + " (" + c.column_type +
                          ") is NOT NULL without a DEFAULT, and the rows copied and written "
                          "during the run have no value for it: give it one in the ALTER, e.g. " +
                          QuoteIdentifier(c.name) + " " + c.column_type + " NOT NULL DEFAULT ...");
    }
    out.push_back(ImplicitFill{c.name, *literal});
  }
  return out;
}

std::string DescribeFills(const std::vector<ImplicitFill>& fills) {
  std::vector<std::string> parts;
  for (const ImplicitFill& f : fills) {
    parts.push_back(QuoteIdentifier(f.target) + " gets " + f.literal);
  }
  return Join(parts, ", ");
}

}  // namespace shadowalter
