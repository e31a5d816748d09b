#include "sql/inspect_queries.h"

#include <algorithm>
#include <cctype>

#include "db/quote.h"

namespace shadowalter {
namespace {

// TABLE_SCHEMA = 's' AND TABLE_NAME = 't'
std::string TableWhere(const std::string& schema, const std::string& table) {
  return "TABLE_SCHEMA = " + QuoteString(schema) + " AND TABLE_NAME = " + QuoteString(table);
}

// 'a', 'b', 'c'
std::string QuotedList(const std::vector<std::string>& values) {
  std::string list;
  for (const auto& v : values) list += (list.empty() ? "" : ", ") + QuoteString(v);
  return list;
}

// Foreign keys matching `where` (over REFERENTIAL_CONSTRAINTS rc), with their columns in order.
std::string ForeignKeysQuery(const std::string& where) {
  // KEY_COLUMN_USAGE also lists PRIMARY/UNIQUE keys, whose names may equal a foreign key's:
  // only rows with a referenced table belong to the foreign key.
  return "SELECT rc.CONSTRAINT_NAME, rc.CONSTRAINT_SCHEMA, rc.TABLE_NAME, "
         "rc.UNIQUE_CONSTRAINT_SCHEMA, rc.REFERENCED_TABLE_NAME, rc.DELETE_RULE, "
         "rc.UPDATE_RULE, k.COLUMN_NAME, k.REFERENCED_COLUMN_NAME "
         "FROM information_schema.REFERENTIAL_CONSTRAINTS rc "
         "JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = "
         "rc.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME AND k.TABLE_NAME = "
         "rc.TABLE_NAME AND k.REFERENCED_TABLE_NAME IS NOT NULL WHERE " +
         where +
         " ORDER BY rc.CONSTRAINT_SCHEMA, rc.TABLE_NAME, rc.CONSTRAINT_NAME, "
         "k.ORDINAL_POSITION";
}

bool IsPlainWord(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

}  // namespace

std::string TableExistsQuery(const std::string& schema, const std::string& table) {
  return "SELECT COUNT(*) FROM information_schema.TABLES WHERE " + TableWhere(schema, table);
}

std::string TableEngineQuery(const std::string& schema, const std::string& table) {
  return "SELECT ENGINE FROM information_schema.TABLES WHERE " + TableWhere(schema, table);
}

std::string TableSummaryQuery(const std::string& schema, const std::string& table) {
  return "SELECT ENGINE, TABLE_ROWS, TABLE_TYPE, DATA_LENGTH + INDEX_LENGTH FROM "
         "information_schema.TABLES WHERE " +
         TableWhere(schema, table);
}

std::string ShowCreateTable(const std::string& schema, const std::string& table) {
  return "SHOW CREATE TABLE " + QualifiedName(schema, table);
}

std::string ColumnsQuery(const std::string& schema, const std::string& table) {
  return "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, EXTRA, COLLATION_NAME, "
         "GENERATION_EXPRESSION, COLUMN_DEFAULT FROM information_schema.COLUMNS WHERE " +
         TableWhere(schema, table) + " ORDER BY ORDINAL_POSITION";
}

std::string InnodbTableIdsQuery(ServerFlavor flavor, const std::string& schema,
                                const std::string& table) {
  auto plain = [](const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
  };
  if (!plain(schema) || !plain(table)) return "";
  const std::string name = schema + "/" + table;
  std::string pattern;  // partitions: name#P#part (MySQL: #p#), '_' escaped for LIKE
  for (char c : name + "#P#") {
    if (c == '_') pattern += '!';
    pattern += c;
  }
  return "SELECT GROUP_CONCAT(TABLE_ID ORDER BY NAME) FROM information_schema." +
         std::string(flavor == ServerFlavor::kMariaDB ? "INNODB_SYS_TABLES" : "INNODB_TABLES") +
         " WHERE NAME = " + QuoteString(name) + " OR NAME LIKE " + QuoteString(pattern + "%") +
         " ESCAPE '!'";
}

std::string IndexColumnsQuery(const std::string& schema, const std::string& table,
                              bool with_expressions) {
  return "SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, " +
         std::string(with_expressions ? "EXPRESSION" : "NULL") +
         " FROM information_schema.STATISTICS WHERE " + TableWhere(schema, table) +
         " ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX";
}

std::string ForeignKeysOfTableQuery(const std::string& schema, const std::string& table) {
  return ForeignKeysQuery("rc.CONSTRAINT_SCHEMA = " + QuoteString(schema) +
                          " AND rc.TABLE_NAME = " + QuoteString(table));
}

std::string ForeignKeysReferencingTableQuery(const std::string& schema, const std::string& table) {
  return ForeignKeysQuery("rc.UNIQUE_CONSTRAINT_SCHEMA = " + QuoteString(schema) +
                          " AND rc.REFERENCED_TABLE_NAME = " + QuoteString(table) +
                          " AND NOT (rc.CONSTRAINT_SCHEMA = " + QuoteString(schema) +
                          " AND rc.TABLE_NAME = " + QuoteString(table) + ")");
}

std::string ConstraintsReferencingTableQuery(const std::string& schema, const std::string& table) {
  return "SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME FROM "
         "information_schema.REFERENTIAL_CONSTRAINTS WHERE UNIQUE_CONSTRAINT_SCHEMA = " +
         QuoteString(schema) + " AND REFERENCED_TABLE_NAME = " + QuoteString(table);
}

std::string TableTriggersQuery(const std::string& schema, const std::string& table) {
  return "SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, "
         "ACTION_ORDER, DEFINER, SQL_MODE, CHARACTER_SET_CLIENT, "
         "COLLATION_CONNECTION, DATABASE_COLLATION FROM "
         "information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = " +
         QuoteString(schema) + " AND EVENT_OBJECT_TABLE = " + QuoteString(table) +
         " ORDER BY ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER";
}

std::string TriggerBodyQuery(const std::string& schema, const std::string& name,
                             const std::string& charset) {
  return "SELECT HEX(CONVERT(ACTION_STATEMENT USING " +
         (IsPlainWord(charset) ? charset : std::string("utf8mb4")) +
         ")) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = " + QuoteString(schema) +
         " AND TRIGGER_NAME = " + QuoteString(name);
}

std::string TriggersNamedQuery(const std::string& schema, const std::vector<std::string>& names) {
  return "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = " +
         QuoteString(schema) + " AND TRIGGER_NAME IN (" + QuotedList(names) + ")";
}

std::string TriggerPlacesQuery(const std::string& schema, const std::vector<std::string>& names) {
  return "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, "
         "EVENT_MANIPULATION, ACTION_ORDER FROM information_schema.TRIGGERS "
         "WHERE TRIGGER_SCHEMA = " +
         QuoteString(schema) + " AND TRIGGER_NAME IN (" + QuotedList(names) + ")";
}

std::string TriggerTablesQuery(const std::string& schema, const std::vector<std::string>& names) {
  return "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS WHERE "
         "TRIGGER_SCHEMA = " +
         QuoteString(schema) + " AND TRIGGER_NAME IN (" + QuotedList(names) +
         ") ORDER BY TRIGGER_NAME";
}

std::string TriggersCreatedQuery(const std::string& schema, const std::vector<std::string>& names) {
  return "SELECT GROUP_CONCAT(TRIGGER_NAME, '@', CREATED ORDER BY TRIGGER_NAME) FROM "
         "information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = " +
         QuoteString(schema) + " AND TRIGGER_NAME IN (" + QuotedList(names) + ")";
}

std::string TriggerDefinitionsQuery(const std::string& schema,
                                    const std::vector<std::string>& names) {
  return "SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, HEX(ACTION_STATEMENT) FROM "
         "information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = " +
         QuoteString(schema) + " AND TRIGGER_NAME IN (" + QuotedList(names) +
         ") ORDER BY TRIGGER_NAME";
}

}  // namespace shadowalter
