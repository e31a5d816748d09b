// Reads of the server's catalog (information_schema, SHOW CREATE TABLE) that inspect/ makes to
// learn a table's definition and what a run left behind. Pure: each returns the statement's text,
// every name and value quoted (db/quote.h); the callers read the columns in the order each
// statement lists them.
#pragma once

#include <string>
#include <vector>

#include "db/session.h"

namespace shadowalter {

// COUNT(*) of tables named `table` in `schema`: 0 or 1.
std::string TableExistsQuery(const std::string& schema, const std::string& table);
// ENGINE of the table; no row when it does not exist.
std::string TableEngineQuery(const std::string& schema, const std::string& table);
// ENGINE, TABLE_ROWS (an estimate), TABLE_TYPE and DATA_LENGTH + INDEX_LENGTH of the table.
std::string TableSummaryQuery(const std::string& schema, const std::string& table);
// SHOW CREATE TABLE: the table's name, then its CREATE TABLE text.
std::string ShowCreateTable(const std::string& schema, const std::string& table);

// The table's columns in order: COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, EXTRA,
// COLLATION_NAME, GENERATION_EXPRESSION.
std::string ColumnsQuery(const std::string& schema, const std::string& table);
// The table's index parts, the primary key's first, each index's in order: INDEX_NAME,
// NON_UNIQUE, COLUMN_NAME, SUB_PART and EXPRESSION (a functional part's expression) when
// `with_expressions` (only MySQL 8.0.13 and later have that column), NULL otherwise.
std::string IndexColumnsQuery(const std::string& schema, const std::string& table,
                              bool with_expressions);

// Foreign keys with their column pairs in order, one row per pair: CONSTRAINT_NAME, the child's
// schema and table, the referenced schema and table, DELETE_RULE, UPDATE_RULE, COLUMN_NAME,
// REFERENCED_COLUMN_NAME. ForeignKeysOfTableQuery: the table's own (it is the child);
// ForeignKeysReferencingTableQuery: other tables' that reference it (a self-reference is one of
// its own, so left out).
std::string ForeignKeysOfTableQuery(const std::string& schema, const std::string& table);
std::string ForeignKeysReferencingTableQuery(const std::string& schema, const std::string& table);
// The constraints referencing the table, self-references included: CONSTRAINT_SCHEMA,
// TABLE_NAME, CONSTRAINT_NAME.
std::string ConstraintsReferencingTableQuery(const std::string& schema, const std::string& table);

// The table's triggers in firing order per (timing, event): TRIGGER_NAME, ACTION_TIMING,
// EVENT_MANIPULATION, ACTION_ORDER, DEFINER, SQL_MODE, CHARACTER_SET_CLIENT,
// COLLATION_CONNECTION, DATABASE_COLLATION.
// The InnoDB table ids of the table and of its partitions, in one value (one row): a TRUNCATE or
// a rebuild gives new ones, where the definition stays the same. MariaDB's INNODB_SYS_TABLES,
// MySQL's INNODB_TABLES, which name tables by their file names: "" (no query) when the schema or
// table name is not plain ASCII letters, digits and underscores, whose file names differ.
std::string InnodbTableIdsQuery(ServerFlavor flavor, const std::string& schema,
                                const std::string& table);

std::string TableTriggersQuery(const std::string& schema, const std::string& table);
// The body of trigger `name` converted to `charset` on the server, as hex. A `charset` that is not
// a plain word (letters, digits, '_') is never spliced: utf8mb4 stands in for it.
std::string TriggerBodyQuery(const std::string& schema, const std::string& name,
                             const std::string& charset);
// Which of the triggers named `names` exist in `schema`: TRIGGER_NAME. `names` must not be empty.
std::string TriggersNamedQuery(const std::string& schema, const std::vector<std::string>& names);
// Where each of the triggers named `names` is: TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING,
// EVENT_MANIPULATION, ACTION_ORDER. `names` must not be empty.
std::string TriggerPlacesQuery(const std::string& schema, const std::vector<std::string>& names);
// The triggers named `names` by name: TRIGGER_NAME, EVENT_OBJECT_TABLE.
std::string TriggerTablesQuery(const std::string& schema, const std::vector<std::string>& names);
// The triggers named `names` by name, each as TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION,
// HEX(ACTION_STATEMENT): what fingerprints their definitions.
// When each named trigger was created (CREATED: to the centisecond on MariaDB), in name order:
// one row, one value. A trigger dropped and created again has a new time, whatever its text.
std::string TriggersCreatedQuery(const std::string& schema, const std::vector<std::string>& names);

std::string TriggerDefinitionsQuery(const std::string& schema,
                                    const std::vector<std::string>& names);

}  // namespace shadowalter
