#include "schema/table.h"

#include <algorithm>
#include <cctype>

namespace shadowalter {

bool SameColumnName(const std::string& a, const std::string& b) {
  // ASCII case folding is what matters in practice; non-ASCII names are compared exactly.
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

const Column* TableInfo::FindColumn(const std::string& column_name) const {
  for (const Column& c : columns) {
    if (SameColumnName(c.name, column_name)) return &c;
  }
  return nullptr;
}

bool Index::IdentifiesRowsByColumns() const { return unique && !has_prefix && !functional; }

const Index* TableInfo::FindIndex(const std::string& index_name) const {
  for (const Index& i : indexes) {
    if (SameColumnName(i.name, index_name)) return &i;
  }
  return nullptr;
}

ValueKind ValueKindForDataType(const std::string& t) {
  static const char* kIntegers[] = {"tinyint", "smallint", "mediumint", "int",
                                    "integer", "bigint",   "year"};
  for (const char* x : kIntegers) {
    if (t == x) return ValueKind::kInteger;
  }
  if (t == "decimal" || t == "numeric") return ValueKind::kDecimal;
  if (t == "float" || t == "double" || t == "real") return ValueKind::kFloat;
  if (t == "char" || t == "varchar" || t == "tinytext" || t == "text" || t == "mediumtext" ||
      t == "longtext")
    return ValueKind::kString;
  if (t == "binary" || t == "varbinary" || t == "tinyblob" || t == "blob" || t == "mediumblob" ||
      t == "longblob" || t == "bit")
    return ValueKind::kBinary;
  if (t == "date" || t == "time" || t == "datetime" || t == "timestamp")
    return ValueKind::kTemporal;
  if (t == "enum" || t == "set") return ValueKind::kEnumSet;
  return ValueKind::kOther;
}

}  // namespace shadowalter
