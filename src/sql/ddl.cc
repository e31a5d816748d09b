#include "sql/ddl.h"

#include <algorithm>

#include "db/quote.h"

namespace shadowalter {

std::string SwapStatement(const std::string& schema, const std::string& table,
                          const std::string& old_table, const std::string& shadow_table) {
  return "RENAME TABLE " + QualifiedName(schema, table) + " TO " +
         QualifiedName(schema, old_table) + ", " + QualifiedName(schema, shadow_table) + " TO " +
         QualifiedName(schema, table);
}

std::string DropTableStatement(const std::string& schema, const std::string& table) {
  return "DROP TABLE IF EXISTS " + QualifiedName(schema, table);
}

std::string AlterStatement(const std::string& schema, const std::string& table,
                           const std::string& clauses) {
  return "ALTER TABLE " + QualifiedName(schema, table) + " " + clauses;
}

std::string InstantAlterStatement(const std::string& schema, const std::string& table,
                                  const std::string& clauses) {
  return "ALTER TABLE " + QualifiedName(schema, table) + " ALGORITHM=INSTANT, " + clauses;
}

std::string SetLockWaits(ServerFlavor flavor, unsigned seconds) {
  const unsigned minimum = flavor == ServerFlavor::kMySQL ? 1 : 0;
  const std::string n = std::to_string(std::max(seconds, minimum));
  return "SET SESSION lock_wait_timeout = " + n + ", innodb_lock_wait_timeout = " + n;
}

std::string TakeNamedLock(const std::string& name) {
  return "SELECT GET_LOCK(" + QuoteString(name) + ", 0)";
}

std::string HoldsNamedLock(const std::string& name) {
  return "SELECT IS_USED_LOCK(" + QuoteString(name) + ") = CONNECTION_ID()";
}

std::string NamedLockHolder(const std::string& name) {
  return "SELECT IS_USED_LOCK(" + QuoteString(name) + ")";
}

std::string DisableForeignKeyChecks() { return "SET SESSION foreign_key_checks = 0"; }

std::string FindDuplicate(const std::string& schema, const std::string& table,
                          const std::vector<std::string>& columns,
                          const std::vector<std::string>& compare_as) {
  std::string cols, not_null;
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::string& c = columns[i];
    const bool converted = i < compare_as.size() && !compare_as[i].empty();
    cols += (cols.empty() ? "" : ", ") + (converted ? compare_as[i] : QuoteIdentifier(c));
    not_null += (not_null.empty() ? "" : " AND ") + QuoteIdentifier(c) + " IS NOT NULL";
  }
  return "SELECT " + cols + ", COUNT(*) FROM " + QualifiedName(schema, table) + " WHERE " +
         not_null + " GROUP BY " + cols + " HAVING COUNT(*) > 1 LIMIT 1";
}

std::string CreateHeartbeatTable(const std::string& schema, const std::string& table) {
  // IF NOT EXISTS: a resumed run finds its parked heartbeat table (a fresh run is refused when
  // one is left over).
  return "CREATE TABLE IF NOT EXISTS " + QualifiedName(schema, table) +
         " (id TINYINT UNSIGNED NOT NULL PRIMARY KEY, ts DATETIME(6) NOT NULL) ENGINE=InnoDB";
}

std::string HeartbeatBeat(const std::string& schema, const std::string& table) {
  // UTC_TIMESTAMP: independent of the session and server time zones on both sides.
  return "REPLACE INTO " + QualifiedName(schema, table) + " (id, ts) VALUES (1, UTC_TIMESTAMP(6))";
}

std::string HeartbeatLagQuery(const std::string& schema, const std::string& table) {
  return "SELECT TIMESTAMPDIFF(MICROSECOND, ts, UTC_TIMESTAMP(6)) / 1000000 FROM " +
         QualifiedName(schema, table) + " WHERE id = 1";
}

}  // namespace shadowalter
