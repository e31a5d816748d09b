#include "inspect/metadata_rows.h"

#include "util/strings.h"

namespace shadowalter {

Column ColumnFromRow(const ColumnRow& row) {
  Column c;
  c.name = row.column_name;
  c.data_type = AsciiLower(row.data_type);
  c.column_type = row.column_type;
  c.nullable = row.is_nullable == "YES";
  const std::string extra = AsciiLower(row.extra);
  c.generated =
      extra.find("generated") != std::string::npos || extra.find("virtual") != std::string::npos ||
      extra.find("persistent") != std::string::npos || (extra.find("stored") != std::string::npos);
  c.auto_increment = extra.find("auto_increment") != std::string::npos;
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
    out.back().columns.push_back(row.column_name.value_or(""));
    if (row.sub_part) out.back().has_prefix = true;
  }
  return out;
}

bool ServerReportsKeyExpressions(ServerFlavor, const std::string&) { return false; }

}  // namespace shadowalter
