#include "inspect/metadata_rows.h"

#include <cstdio>

#include "util/strings.h"

namespace shadowalter {

Column ColumnFromRow(const ColumnRow& row) {
  Column c;
  c.name = row.column_name;
  c.data_type = AsciiLower(row.data_type);
  c.column_type = row.column_type;
  c.nullable = row.is_nullable == "YES";
  // Not EXTRA: MySQL 8.0.13+ says DEFAULT_GENERATED there for ordinary columns.
  c.generated = !row.generation_expression.value_or("").empty();
  c.auto_increment = AsciiLower(row.extra).find("auto_increment") != std::string::npos;
  c.has_default = row.column_default.has_value();
  c.collation = row.collation_name.value_or("");
  c.kind = ValueKindForDataType(c.data_type);
  return c;
}

std::vector<Index> IndexesFromRows(const std::vector<StatisticsRow>& rows) {
  std::vector<Index> out;
  for (const StatisticsRow& row : rows) {
    if (out.empty() || out.back().name != row.index_name) {
      Index idx;
      idx.name = row.index_name;
      idx.primary = row.index_name == "PRIMARY";
      idx.unique = row.non_unique == "0";
      out.push_back(std::move(idx));
    }
    // COLUMN_NAME is NULL exactly for a functional key part; EXPRESSION says which.
    const bool functional = !row.column_name.has_value() || row.expression.has_value();
    out.back().columns.push_back(functional ? "" : *row.column_name);
    if (functional) out.back().functional = true;
    if (row.sub_part) out.back().has_prefix = true;
  }
  return out;
}

bool ServerReportsKeyExpressions(ServerFlavor flavor, const std::string& version) {
  if (flavor != ServerFlavor::kMySQL) return false;
  int major = 0, minor = 0, patch = 0;
  if (std::sscanf(version.c_str(), "%d.%d.%d", &major, &minor, &patch) != 3) return false;
  if (major != 8) return major > 8;
  return minor > 0 || patch >= 13;
}

}  // namespace shadowalter
