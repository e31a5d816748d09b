// Turning information_schema rows into schema/ structs: pure functions, no server. inspector.cc
// runs the queries and hands each row over by name; unit tests feed rows recorded from MySQL and
// MariaDB, so every server flavour's spelling is pinned without a server.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/session.h"
#include "schema/table.h"

namespace shadowalter {

// One row of information_schema.COLUMNS, as the server reports it (nullopt is SQL NULL).
struct ColumnRow {
  std::string column_name;
  std::string data_type;    // e.g. "int", "timestamp"
  std::string column_type;  // e.g. "int(11)", "bigint unsigned"
  std::string is_nullable;  // "YES" or "NO"
  std::string extra;        // e.g. "auto_increment", "DEFAULT_GENERATED", "VIRTUAL GENERATED"
  std::optional<std::string> collation_name;
  // The generated column's expression. Ordinary columns: NULL on MariaDB, '' on MySQL.
  std::optional<std::string> generation_expression;
  // COLUMN_DEFAULT: NULL when the column has no default (MariaDB says 'NULL' for DEFAULT NULL;
  // MySQL says NULL for both, which only a nullable column can have).
  std::optional<std::string> column_default = std::nullopt;
};

// The column a COLUMNS row describes. A column is generated when, and only when, it has a
// generation expression: EXTRA also says DEFAULT_GENERATED (MySQL 8.0.13+) for a column with
// DEFAULT CURRENT_TIMESTAMP or an expression default, which is an ordinary, writable column.
Column ColumnFromRow(const ColumnRow& row);

// One row of information_schema.STATISTICS: one key part of one index.
struct StatisticsRow {
  std::string index_name;
  std::string non_unique;                  // "0" or "1"
  std::optional<std::string> column_name;  // NULL for a functional key part (MySQL 8.0.13+)
  std::optional<std::string> sub_part;     // the prefix length; NULL when the whole column
  // The functional key part's expression (MySQL 8.0.13+); NULL for a column, and always NULL
  // where the server has no EXPRESSION column (MariaDB, MySQL before 8.0.13).
  std::optional<std::string> expression;
};

// The indexes the rows describe, in the rows' order; the rows of one index are consecutive and
// in SEQ_IN_INDEX order. A functional key part appears in Index::columns as "" and makes the
// index `functional`: it then never identifies rows by columns (see Index).
std::vector<Index> IndexesFromRows(const std::vector<StatisticsRow>& rows);

// Whether information_schema.STATISTICS has the EXPRESSION column (MySQL 8.0.13 and later, where
// functional key parts exist); `version` as the server reports it (SELECT VERSION()).
bool ServerReportsKeyExpressions(ServerFlavor flavor, const std::string& version);

}  // namespace shadowalter
