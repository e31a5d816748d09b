// Hand-built TableInfo / Column / Index / ChunkKey values for the unit tests of the pure SQL
// builders. Kinds are set here from a local table (not through ValueKindForDataType), so a bug in
// schema/table.cc shows up in its own test instead of everywhere.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "schema/table.h"
#include "sql/column_map.h"

namespace shadowalter::test_tables {

inline ValueKind KindOf(const std::string& data_type) {
  const std::string& t = data_type;
  if (t == "tinyint" || t == "smallint" || t == "mediumint" || t == "int" || t == "bigint" ||
      t == "year")
    return ValueKind::kInteger;
  if (t == "decimal") return ValueKind::kDecimal;
  if (t == "float" || t == "double") return ValueKind::kFloat;
  if (t == "char" || t == "varchar" || t == "text") return ValueKind::kString;
  if (t == "binary" || t == "varbinary" || t == "blob" || t == "bit") return ValueKind::kBinary;
  if (t == "date" || t == "time" || t == "datetime" || t == "timestamp")
    return ValueKind::kTemporal;
  if (t == "enum" || t == "set") return ValueKind::kEnumSet;
  return ValueKind::kOther;
}

// A NOT NULL, non-generated column. `column_type` defaults to `data_type`; text columns get a
// utf8mb4 collation unless one is given.
inline Column Col(std::string name, std::string data_type, std::string column_type = "",
                  std::string collation = "") {
  Column c;
  c.name = std::move(name);
  c.data_type = std::move(data_type);
  c.column_type = column_type.empty() ? c.data_type : std::move(column_type);
  c.kind = KindOf(c.data_type);
  if (collation.empty() && c.kind == ValueKind::kString) collation = "utf8mb4_general_ci";
  c.collation = std::move(collation);
  return c;
}

inline Column Nullable(Column c) {
  c.nullable = true;
  return c;
}

inline Column Generated(Column c) {
  c.generated = true;
  return c;
}

inline Index Primary(std::vector<std::string> columns) {
  Index i;
  i.name = "PRIMARY";
  i.unique = true;
  i.primary = true;
  i.columns = std::move(columns);
  return i;
}

inline Index Unique(std::string name, std::vector<std::string> columns) {
  Index i;
  i.name = std::move(name);
  i.unique = true;
  i.columns = std::move(columns);
  return i;
}

inline Index NonUnique(std::string name, std::vector<std::string> columns) {
  Index i;
  i.name = std::move(name);
  i.columns = std::move(columns);
  return i;
}

inline Index Prefixed(Index i) {
  i.has_prefix = true;
  return i;
}

inline TableInfo Table(std::string schema, std::string name, std::vector<Column> columns,
                       std::vector<Index> indexes) {
  TableInfo t;
  t.schema = std::move(schema);
  t.name = std::move(name);
  t.engine = "InnoDB";
  t.columns = std::move(columns);
  t.indexes = std::move(indexes);
  return t;
}

// A table's own trigger with every field set: AFTER UPDATE `orders_audit`, definer app@%.
inline Trigger AuditTrigger() {
  Trigger t;
  t.name = "orders_audit";
  t.timing = "AFTER";
  t.event = "UPDATE";
  t.action_order = 1;
  t.definer = "app@%";
  t.body = "INSERT INTO audit VALUES (NEW.id)";
  t.sql_mode = "STRICT_TRANS_TABLES";
  t.character_set_client = "utf8mb4";
  t.collation_connection = "utf8mb4_general_ci";
  t.database_collation = "utf8mb4_general_ci";
  return t;
}

// Identity mapping of every column of `t`.
inline std::vector<ColumnPair> SamePairs(const TableInfo& t) {
  std::vector<ColumnPair> out;
  for (const Column& c : t.columns) out.push_back({c.name, c.name});
  return out;
}

// A chunk key over `columns` (the original's), named `target_names` in the new table (default:
// the same names), with `shadow_index` as the new table's unique index on them.
inline ChunkKey Key(std::string index_name, std::vector<Column> columns,
                    std::vector<std::string> target_names = {},
                    std::string shadow_index = "") {
  ChunkKey k;
  k.index_name = std::move(index_name);
  k.columns = std::move(columns);
  if (target_names.empty()) {
    for (const Column& c : k.columns) target_names.push_back(c.name);
  }
  k.target_names = std::move(target_names);
  k.shadow_index_name = shadow_index.empty() ? k.index_name : std::move(shadow_index);
  return k;
}

}  // namespace shadowalter::test_tables
