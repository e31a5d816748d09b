#include "inspect/inspector.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "db/quote.h"
#include "inspect/metadata_rows.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

const std::string& Field(const std::vector<std::optional<std::string>>& row, size_t i) {
  static const std::string kEmpty;
  return row.at(i) ? *row[i] : kEmpty;
}

StatusOr<std::vector<Column>> LoadColumns(Session& s, const std::string& where) {
  SA_ASSIGN_OR_RETURN(ResultSet rs,
                      s.Query("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, EXTRA, "
                              "COLLATION_NAME, GENERATION_EXPRESSION FROM "
                              "information_schema.COLUMNS WHERE " +
                              where + " ORDER BY ORDINAL_POSITION"));
  std::vector<Column> cols;
  for (const auto& row : rs.rows) {
    cols.push_back(ColumnFromRow(ColumnRow{.column_name = Field(row, 0),
                                           .data_type = Field(row, 1),
                                           .column_type = Field(row, 2),
                                           .is_nullable = Field(row, 3),
                                           .extra = Field(row, 4),
                                           .collation_name = row.at(5),
                                           .generation_expression = row.at(6)}));
  }
  return cols;
}

StatusOr<std::vector<Index>> LoadIndexes(Session& s, const std::string& where) {
  // EXPRESSION (functional key parts) exists on MySQL 8.0.13 and later only.
  const std::string expression =
      ServerReportsKeyExpressions(s.flavor(), s.server_version()) ? "EXPRESSION" : "NULL";
  SA_ASSIGN_OR_RETURN(
      ResultSet rs, s.Query("SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, " + expression +
                            " FROM information_schema.STATISTICS WHERE " + where +
                            " ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX"));
  std::vector<StatisticsRow> rows;
  for (const auto& row : rs.rows) {
    rows.push_back(StatisticsRow{.index_name = Field(row, 0),
                                 .non_unique = Field(row, 1),
                                 .column_name = row.at(2),
                                 .sub_part = row.at(3),
                                 .expression = row.at(4)});
  }
  return IndexesFromRows(rows);
}

// Foreign keys matching `where` (over REFERENTIAL_CONSTRAINTS rc), with their columns in order.
StatusOr<std::vector<ForeignKeyRef>> LoadForeignKeys(Session& s, const std::string& where) {
  // KEY_COLUMN_USAGE also lists PRIMARY/UNIQUE keys, whose names may equal a foreign key's:
  // only rows with a referenced table belong to the foreign key.
  SA_ASSIGN_OR_RETURN(
      ResultSet rs,
      s.Query("SELECT rc.CONSTRAINT_NAME, rc.CONSTRAINT_SCHEMA, rc.TABLE_NAME, "
              "rc.UNIQUE_CONSTRAINT_SCHEMA, rc.REFERENCED_TABLE_NAME, rc.DELETE_RULE, "
              "rc.UPDATE_RULE, k.COLUMN_NAME, k.REFERENCED_COLUMN_NAME "
              "FROM information_schema.REFERENTIAL_CONSTRAINTS rc "
              "JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = "
              "rc.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME AND k.TABLE_NAME = "
              "rc.TABLE_NAME AND k.REFERENCED_TABLE_NAME IS NOT NULL WHERE " +
              where +
              " ORDER BY rc.CONSTRAINT_SCHEMA, rc.TABLE_NAME, rc.CONSTRAINT_NAME, "
              "k.ORDINAL_POSITION"));
  std::vector<ForeignKeyRef> out;
  for (const auto& row : rs.rows) {
    if (out.empty() || out.back().constraint_name != Field(row, 0) ||
        out.back().child_schema != Field(row, 1) || out.back().child_table != Field(row, 2)) {
      ForeignKeyRef fk;
      fk.constraint_name = Field(row, 0);
      fk.child_schema = Field(row, 1);
      fk.child_table = Field(row, 2);
      fk.referenced_schema = Field(row, 3);
      fk.referenced_table = Field(row, 4);
      fk.on_delete = Field(row, 5);
      fk.on_update = Field(row, 6);
      out.push_back(std::move(fk));
    }
    out.back().columns.push_back(Field(row, 7));
    out.back().referenced_columns.push_back(Field(row, 8));
  }
  return out;
}

// Bytes of a HEX() result.
std::string Unhex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

// A character set name as the server reports it is a plain word; anything else is not spliced.
bool IsPlainWord(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

// information_schema hands the body over in UTF-8. The server must get it back in the trigger's
// own character_set_client (a latin1 'é' sent as UTF-8 would become two characters), so it is
// converted on the server and fetched as hex, untouched by our connection's character set.
StatusOr<std::string> BodyInClientCharset(Session& s, const std::string& schema, const Trigger& t) {
  const std::string charset =
      IsPlainWord(t.character_set_client) ? t.character_set_client : "utf8mb4";
  SA_ASSIGN_OR_RETURN(ResultSet rs,
                      s.Query("SELECT HEX(CONVERT(ACTION_STATEMENT USING " + charset +
                              ")) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = " +
                              QuoteString(schema) + " AND TRIGGER_NAME = " + QuoteString(t.name)));
  if (rs.empty()) return InternalError("trigger " + QuoteIdentifier(t.name) + " vanished");
  return Unhex(rs.Scalar().value_or(""));
}

StatusOr<std::vector<Trigger>> LoadTriggers(Session& s, const std::string& schema,
                                            const std::string& table) {
  SA_ASSIGN_OR_RETURN(
      ResultSet rs,
      s.Query("SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, "
              "ACTION_ORDER, DEFINER, SQL_MODE, CHARACTER_SET_CLIENT, "
              "COLLATION_CONNECTION, DATABASE_COLLATION FROM "
              "information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = " +
              QuoteString(schema) + " AND EVENT_OBJECT_TABLE = " + QuoteString(table) +
              " ORDER BY ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER"));
  std::vector<Trigger> out;
  for (const auto& row : rs.rows) {
    Trigger t;
    t.name = Field(row, 0);
    t.timing = Field(row, 1);
    t.event = Field(row, 2);
    t.action_order = std::stoull(row.at(3).value_or("0"));
    t.definer = Field(row, 4);
    t.sql_mode = Field(row, 5);
    t.character_set_client = Field(row, 6);
    t.collation_connection = Field(row, 7);
    t.database_collation = Field(row, 8);
    SA_ASSIGN_OR_RETURN(t.body, BodyInClientCharset(s, schema, t));
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

StatusOr<std::vector<Trigger>> InspectTriggers(Session& s, const std::string& schema,
                                               const std::string& table) {
  return LoadTriggers(s, schema, table);
}

StatusOr<bool> TableExists(Session& s, const std::string& schema, const std::string& table) {
  SA_ASSIGN_OR_RETURN(ResultSet rs,
                      s.Query("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA "
                              "= " +
                              QuoteString(schema) + " AND TABLE_NAME = " + QuoteString(table)));
  return rs.Scalar().value_or("0") != "0";
}

StatusOr<std::string> TableEngine(Session& s, const std::string& schema, const std::string& table) {
  SA_ASSIGN_OR_RETURN(ResultSet rs,
                      s.Query("SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
                              QuoteString(schema) + " AND TABLE_NAME = " + QuoteString(table)));
  if (rs.empty()) {
    return InternalError("reading the engine of " + QualifiedName(schema, table) +
                         ": the table does not exist");
  }
  return rs.rows[0][0].value_or("");
}

StatusOr<std::vector<std::string>> ExistingTriggers(Session& s, const std::string& schema,
                                                    const std::vector<std::string>& names) {
  std::vector<std::string> out;
  if (names.empty()) return out;
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + QuoteString(n);
  SA_ASSIGN_OR_RETURN(ResultSet rs,
                      s.Query("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
                              "WHERE TRIGGER_SCHEMA = " +
                              QuoteString(schema) + " AND TRIGGER_NAME IN (" + list + ")"));
  for (const auto& row : rs.rows) out.push_back(Field(row, 0));
  return out;
}

StatusOr<std::vector<TriggerPlace>> LocateTriggers(Session& s, const std::string& schema,
                                                   const std::vector<std::string>& names) {
  std::vector<TriggerPlace> out;
  if (names.empty()) return out;
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + QuoteString(n);
  SA_ASSIGN_OR_RETURN(ResultSet rs,
                      s.Query("SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, "
                              "EVENT_MANIPULATION, ACTION_ORDER FROM information_schema.TRIGGERS "
                              "WHERE TRIGGER_SCHEMA = " +
                              QuoteString(schema) + " AND TRIGGER_NAME IN (" + list + ")"));
  for (const auto& row : rs.rows) {
    out.push_back({Field(row, 0), Field(row, 1), Field(row, 2), Field(row, 3),
                   std::stoull(row.at(4).value_or("0"))});
  }
  return out;
}

StatusOr<TableInfo> InspectTable(Session& s, const std::string& schema, const std::string& table) {
  TableInfo info;
  info.schema = schema;
  info.name = table;
  const std::string where =
      "TABLE_SCHEMA = " + QuoteString(schema) + " AND TABLE_NAME = " + QuoteString(table);

  SA_ASSIGN_OR_RETURN(ResultSet t, s.Query("SELECT ENGINE, TABLE_ROWS, TABLE_TYPE, "
                                           "DATA_LENGTH + INDEX_LENGTH FROM "
                                           "information_schema.TABLES WHERE " +
                                           where));
  if (t.empty()) {
    return RefusedError("table " + QualifiedName(schema, table) +
                        " does not exist: check the D= and t= parts of the DSN");
  }
  if (Field(t.rows[0], 2) != "BASE TABLE") {
    return RefusedError(QualifiedName(schema, table) + " is a " + Field(t.rows[0], 2) +
                        ", not a base table");
  }
  info.engine = Field(t.rows[0], 0);
  info.estimated_rows = std::stoull(t.rows[0][1].value_or("0"));
  info.estimated_bytes = std::stoull(t.rows[0][3].value_or("0"));

  SA_ASSIGN_OR_RETURN(info.columns, LoadColumns(s, where));
  SA_ASSIGN_OR_RETURN(info.indexes, LoadIndexes(s, where));

  SA_ASSIGN_OR_RETURN(ResultSet create,
                      s.Query("SHOW CREATE TABLE " + QualifiedName(schema, table)));
  if (create.empty() || create.rows[0].size() < 2 || !create.rows[0][1]) {
    return InternalError("SHOW CREATE TABLE returned nothing");
  }
  info.create_statement = *create.rows[0][1];

  SA_ASSIGN_OR_RETURN(info.triggers, LoadTriggers(s, schema, table));

  // Children: other tables' constraints only; a self-reference is one of the table's own.
  SA_ASSIGN_OR_RETURN(
      info.referenced_by,
      LoadForeignKeys(s, "rc.UNIQUE_CONSTRAINT_SCHEMA = " + QuoteString(schema) +
                             " AND rc.REFERENCED_TABLE_NAME = " + QuoteString(table) +
                             " AND NOT (rc.CONSTRAINT_SCHEMA = " + QuoteString(schema) +
                             " AND rc.TABLE_NAME = " + QuoteString(table) + ")"));
  SA_ASSIGN_OR_RETURN(info.foreign_keys,
                      LoadForeignKeys(s, "rc.CONSTRAINT_SCHEMA = " + QuoteString(schema) +
                                             " AND rc.TABLE_NAME = " + QuoteString(table)));
  return info;
}

}  // namespace shadowalter
