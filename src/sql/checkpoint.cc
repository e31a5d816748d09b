#include "sql/checkpoint.h"

#include "db/quote.h"

namespace shadowalter {
namespace {

std::string Nullable(const std::optional<std::string>& text) {
  return text ? QuoteString(*text) : std::string("NULL");
}

// Added after the first release: a table made before lacks them (CheckpointStore adds them).
constexpr const char* kOwnTriggersColumnDefinition = "own_triggers LONGTEXT NULL";
constexpr const char* kRunIdColumnDefinition = "run_id VARCHAR(64) NULL";

std::string CountColumn(const std::string& schema, const std::string& table, const char* column) {
  return "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " +
         QuoteString(schema) + " AND TABLE_NAME = " + QuoteString(table) + " AND COLUMN_NAME = '" +
         column + "'";
}

// The column, or a NULL under its name when the table lacks it.
std::string ColumnOrNull(bool present, const char* column) {
  return present ? std::string(column) : "NULL AS " + std::string(column);
}

}  // namespace

std::string CreateCheckpointTable(const std::string& schema, const std::string& table) {
  return "CREATE TABLE IF NOT EXISTS " + QualifiedName(schema, table) +
         " (id TINYINT UNSIGNED NOT NULL PRIMARY KEY,"
         " tool_version VARCHAR(64) NOT NULL,"
         " alter_text MEDIUMTEXT NOT NULL,"
         " identity VARCHAR(255) NOT NULL,"
         " chunk_key TEXT NOT NULL,"
         " new_table VARCHAR(64) NOT NULL, old_table VARCHAR(64) NOT NULL,"
         " insert_trigger VARCHAR(64) NOT NULL, update_trigger VARCHAR(64) NOT NULL,"
         " delete_trigger VARCHAR(64) NOT NULL,"
         " phase VARCHAR(16) NOT NULL,"
         " position MEDIUMTEXT NULL,"
         " rows_copied BIGINT UNSIGNED NOT NULL, rows_estimated BIGINT UNSIGNED NOT NULL,"
         " original_fingerprint CHAR(16) NOT NULL, new_table_fingerprint CHAR(16) NOT NULL,"
         " triggers_fingerprint CHAR(16) NOT NULL,"
         " started_by VARCHAR(255) NOT NULL, note TEXT NOT NULL,"
         " started_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,"
         " advanced_at DATETIME NOT NULL, " +
         std::string(kOwnTriggersColumnDefinition) + ", " + kRunIdColumnDefinition +
         ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='shadowalter run checkpoint'";
}

std::string WriteCheckpoint(const std::string& schema, const std::string& table,
                            const CheckpointRow& c) {
  return "REPLACE INTO " + QualifiedName(schema, table) +
         " (id, tool_version, alter_text, identity, chunk_key, new_table, old_table,"
         " insert_trigger, update_trigger, delete_trigger, phase, position, rows_copied,"
         " rows_estimated, original_fingerprint, new_table_fingerprint, triggers_fingerprint,"
         " started_by, note, started_at, updated_at, advanced_at, own_triggers, run_id)"
         " VALUES (1, " +
         QuoteString(c.tool_version) + ", " + QuoteString(c.alter_text) + ", " +
         QuoteString(c.identity) + ", " + QuoteString(c.chunk_key) + ", " +
         QuoteString(c.new_table) + ", " + QuoteString(c.old_table) + ", " +
         QuoteString(c.insert_trigger) + ", " + QuoteString(c.update_trigger) + ", " +
         QuoteString(c.delete_trigger) + ", " + QuoteString(c.phase) + ", " + Nullable(c.position) +
         ", " + std::to_string(c.rows_copied) + ", " + std::to_string(c.rows_estimated) + ", " +
         QuoteString(c.original_fingerprint) + ", " + QuoteString(c.new_table_fingerprint) + ", " +
         QuoteString(c.triggers_fingerprint) + ", " + QuoteString(c.started_by) + ", " +
         QuoteString(c.note) + ", UTC_TIMESTAMP(), UTC_TIMESTAMP(), UTC_TIMESTAMP(), " +
         Nullable(c.own_triggers) + ", " + Nullable(c.run_id) + ")";
}

std::string UpdateCheckpointPhase(const std::string& schema, const std::string& table,
                                  const std::string& phase) {
  return "UPDATE " + QualifiedName(schema, table) + " SET phase = " + QuoteString(phase) +
         ", updated_at = UTC_TIMESTAMP() WHERE id = 1";
}

std::string UpdateCheckpointPosition(const std::string& schema, const std::string& table,
                                     const std::string& position, uint64_t rows_copied) {
  return "UPDATE " + QualifiedName(schema, table) + " SET position = " + QuoteString(position) +
         ", rows_copied = " + std::to_string(rows_copied) +
         ", updated_at = UTC_TIMESTAMP(), advanced_at = UTC_TIMESTAMP() WHERE id = 1";
}

std::string UpdateCheckpointText(const std::string& schema, const std::string& table,
                                 const std::string& column, const std::string& value) {
  return "UPDATE " + QualifiedName(schema, table) + " SET " + QuoteIdentifier(column) + " = " +
         QuoteString(value) + ", updated_at = UTC_TIMESTAMP() WHERE id = 1";
}

std::string UpdateCheckpointOwnTriggers(const std::string& schema, const std::string& table,
                                        const std::string& own_triggers) {
  return "UPDATE " + QualifiedName(schema, table) +
         " SET own_triggers = " + QuoteString(own_triggers) +
         ", updated_at = UTC_TIMESTAMP() WHERE id = 1";
}

std::string CountOwnTriggersColumn(const std::string& schema, const std::string& table) {
  return CountColumn(schema, table, "own_triggers");
}

std::string AddOwnTriggersColumn(const std::string& schema, const std::string& table) {
  return "ALTER TABLE " + QualifiedName(schema, table) + " ADD COLUMN " +
         kOwnTriggersColumnDefinition;
}

std::string CountRunIdColumn(const std::string& schema, const std::string& table) {
  return CountColumn(schema, table, "run_id");
}

std::string AddRunIdColumn(const std::string& schema, const std::string& table) {
  return "ALTER TABLE " + QualifiedName(schema, table) + " ADD COLUMN " + kRunIdColumnDefinition;
}

std::string SelectCheckpoint(const std::string& schema, const std::string& table,
                             bool with_own_triggers, bool with_run_id) {
  return "SELECT tool_version, alter_text, identity, chunk_key, new_table, old_table,"
         " insert_trigger, update_trigger, delete_trigger, phase, position, rows_copied,"
         " rows_estimated, original_fingerprint, new_table_fingerprint, triggers_fingerprint,"
         " started_by, note, started_at, updated_at, advanced_at,"
         " TIMESTAMPDIFF(SECOND, advanced_at, UTC_TIMESTAMP()) AS seconds_since_advanced, " +
         ColumnOrNull(with_own_triggers, "own_triggers") + ", " +
         ColumnOrNull(with_run_id, "run_id") + " FROM " + QualifiedName(schema, table) +
         " WHERE id = 1";
}

}  // namespace shadowalter
