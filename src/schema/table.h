// Plain descriptions of a table as the server reports it. Filled by inspect/, read by sql/.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace shadowalter {

// How a column's values are written as SQL literals and compared in chunk bounds.
enum class ValueKind {
  kInteger,   // TINYINT..BIGINT, YEAR: unquoted digits
  kDecimal,   // DECIMAL/NUMERIC: unquoted
  kFloat,     // FLOAT/DOUBLE: approximate, never usable in a chunk key
  kString,    // CHAR/VARCHAR/TEXT with a collation
  kBinary,    // BINARY/VARBINARY/BLOB, BIT (its values arrive as raw bytes): hex literals
  kTemporal,  // DATE/TIME/DATETIME/TIMESTAMP: quoted text
  kEnumSet,   // ENUM/SET: sort by index, not by text
  kOther,     // JSON, spatial, ...
};

struct Column {
  std::string name;
  std::string data_type;    // lower case, e.g. "bigint", "varchar"
  std::string column_type;  // full, e.g. "bigint(20) unsigned"
  bool nullable = false;
  bool generated = false;  // VIRTUAL or STORED generated: never written
  bool auto_increment = false;
  // Has a DEFAULT (a value, NULL, or an expression). A NOT NULL column without one gets its
  // type's implicit value from a native ALTER, and fails an INSERT that leaves it out.
  bool has_default = false;
  std::string collation;  // empty for non-text columns
  ValueKind kind = ValueKind::kOther;
};

struct Index {
  std::string name;  // "PRIMARY" for the primary key
  bool unique = false;
  bool primary = false;
  std::vector<std::string> columns;  // in index order; "" for a functional key part
  bool has_prefix = false;           // some column is indexed by a prefix only
  // Some key part is an expression, not a column (a MySQL 8.0.13+ functional index).
  bool functional = false;

  // Unique on whole columns only: two rows never share its columns' values (given NOT NULL), so
  // it can be walked as a chunk key and proves those columns unique. A prefix or an expression
  // key part makes the index unique on something else.
  bool IdentifiesRowsByColumns() const;
};

// A trigger of the table, with everything needed to recreate it exactly elsewhere
// (information_schema.TRIGGERS).
struct Trigger {
  std::string name;
  std::string timing;         // BEFORE / AFTER
  std::string event;          // INSERT / UPDATE / DELETE
  uint64_t action_order = 0;  // 1.. within (timing, event): the firing order
  std::string definer;        // user@host as the server reports it, e.g. app@%
  // The body after FOR EACH ROW, as bytes in character_set_client: sent back with that character
  // set, the server reads exactly what the user once wrote.
  std::string body;
  std::string sql_mode;              // the sql_mode it was created (and runs) under
  std::string character_set_client;  // the client character set it was created with
  std::string collation_connection;
  std::string database_collation;  // the schema's default collation when it was created

  bool operator==(const Trigger&) const = default;
};

// One FOREIGN KEY constraint: enough to declare it again (information_schema's
// REFERENTIAL_CONSTRAINTS and KEY_COLUMN_USAGE).
struct ForeignKeyRef {
  std::string constraint_name;
  std::string child_schema;
  std::string child_table;
  std::vector<std::string> columns;  // the child's columns, in constraint order
  std::string referenced_schema;
  std::string referenced_table;
  std::vector<std::string> referenced_columns;  // the parent's columns, same order
  std::string on_delete = "RESTRICT";           // RESTRICT, CASCADE, SET NULL, NO ACTION, ...
  std::string on_update = "RESTRICT";
};

struct TableInfo {
  std::string schema;
  std::string name;
  std::string engine;
  std::string create_statement;  // SHOW CREATE TABLE
  std::vector<Column> columns;   // in ordinal order
  std::vector<Index> indexes;    // PRIMARY first when present
  std::vector<Trigger> triggers;
  std::vector<ForeignKeyRef> referenced_by;  // other tables' FKs pointing here (no self-refs)
  std::vector<ForeignKeyRef> foreign_keys;   // this table's own FKs, self-references included
  uint64_t estimated_rows = 0;
  uint64_t estimated_bytes = 0;  // data + indexes, as information_schema.TABLES estimates them

  const Column* FindColumn(const std::string& column_name) const;  // case-insensitive
  const Index* FindIndex(const std::string& index_name) const;
};

// Maps a server data type name (information_schema.COLUMNS.DATA_TYPE) to its ValueKind.
ValueKind ValueKindForDataType(const std::string& data_type);

// Case-insensitive equality of column names (MySQL column names are case-insensitive).
bool SameColumnName(const std::string& a, const std::string& b);

}  // namespace shadowalter
