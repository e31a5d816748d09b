#include "sql/refusals.h"

#include "db/quote.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

// Longest key text and message kept per record: enough to find the row, and never an error.
constexpr size_t kMaxKeyBytes = 3000;
constexpr size_t kMaxMessageBytes = 1000;

}  // namespace

std::string CreateRefusalsTable(const std::string& schema, const std::string& table) {
  return "CREATE TABLE " + QualifiedName(schema, table) +
         " (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,"
         " covered TINYINT NOT NULL DEFAULT 0,"
         " event VARBINARY(16) NOT NULL,"
         " errno INT UNSIGNED NOT NULL,"
         " message BLOB,"
         " row_key BLOB,"
         " recorded_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
         ") ENGINE=InnoDB";
}

std::string RecordRefusal(const std::string& schema, const std::string& table,
                          const std::string& event, const std::string& row,
                          const std::vector<std::string>& key_columns, const std::string& errno_var,
                          const std::string& message_var) {
  // QUOTE gives each key value as an SQL literal (NULL as NULL); as bytes, so that key columns
  // of different character sets never meet in one CONCAT_WS (error 1267 inside the handler would
  // fail the application's write).
  std::vector<std::string> parts;
  for (const std::string& c : key_columns) {
    parts.push_back("CAST(QUOTE(" + row + "." + QuoteIdentifier(c) + ") AS BINARY)");
  }
  return "INSERT INTO " + QualifiedName(schema, table) +
         " (event, errno, message, row_key) VALUES (" + QuoteString(event) + ", " + errno_var +
         ", LEFT(CAST(" + message_var + " AS BINARY), " + std::to_string(kMaxMessageBytes) +
         "), LEFT(CONCAT_WS(', ', " + Join(parts, ", ") + "), " + std::to_string(kMaxKeyBytes) +
         "))";
}

std::string CoverRefusals(const std::string& schema, const std::string& table) {
  return "UPDATE " + QualifiedName(schema, table) + " SET covered = 1 WHERE covered = 0";
}

std::string CountUncoveredRefusals(const std::string& schema, const std::string& table) {
  return "SELECT COUNT(*) FROM " + QualifiedName(schema, table) + " WHERE covered = 0";
}

std::string FirstUncoveredRefusals(const std::string& schema, const std::string& table,
                                   size_t limit) {
  return "SELECT event, errno, message, row_key FROM " + QualifiedName(schema, table) +
         " WHERE covered = 0 ORDER BY id LIMIT " + std::to_string(limit);
}

}  // namespace shadowalter
