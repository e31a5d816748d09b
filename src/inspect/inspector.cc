#include "inspect/inspector.h"

#include <map>

#include "db/quote.h"
#include "inspect/metadata_rows.h"
#include "sql/inspect_queries.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

const std::string& Field(const std::vector<std::optional<std::string>>& row, size_t i) {
  static const std::string kEmpty;
  return row.at(i) ? *row[i] : kEmpty;
}

StatusOr<std::vector<Column>> LoadColumns(Session& s, const std::string& schema,
                                          const std::string& table) {
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(ColumnsQuery(schema, table)));
  std::vector<Column> cols;
  for (const auto& row : rs.rows) {
    cols.push_back(ColumnFromRow(ColumnRow{.column_name = Field(row, 0),
                                           .data_type = Field(row, 1),
                                           .column_type = Field(row, 2),
                                           .is_nullable = Field(row, 3),
                                           .extra = Field(row, 4),
                                           .collation_name = row.at(5),
                                           .generation_expression = row.at(6),
                                           .column_default = row.at(7)}));
  }
  return cols;
}

StatusOr<std::vector<Index>> LoadIndexes(Session& s, const std::string& schema,
                                         const std::string& table) {
  // EXPRESSION (functional key parts) exists on MySQL 8.0.13 and later only.
  const bool with_expressions = ServerReportsKeyExpressions(s.flavor(), s.server_version());
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(IndexColumnsQuery(schema, table, with_expressions)));
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

// The foreign keys a ForeignKeys*Query (sql/inspect_queries.h) returns, with their columns in
// order.
StatusOr<std::vector<ForeignKeyRef>> LoadForeignKeys(Session& s, const std::string& query) {
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(query));
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

// information_schema hands the body over in UTF-8. The server must get it back in the trigger's
// own character_set_client (a latin1 'é' sent as UTF-8 would become two characters), so it is
// converted on the server and fetched as hex, untouched by our connection's character set.
StatusOr<std::string> BodyInClientCharset(Session& s, const std::string& schema, const Trigger& t) {
  SA_ASSIGN_OR_RETURN(ResultSet rs,
                      s.Query(TriggerBodyQuery(schema, t.name, t.character_set_client)));
  if (rs.empty()) return InternalError("trigger " + QuoteIdentifier(t.name) + " vanished");
  return Unhex(rs.Scalar().value_or(""));
}

StatusOr<std::vector<Trigger>> LoadTriggers(Session& s, const std::string& schema,
                                            const std::string& table) {
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(TableTriggersQuery(schema, table)));
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
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(TableExistsQuery(schema, table)));
  return rs.Scalar().value_or("0") != "0";
}

StatusOr<std::string> TableEngine(Session& s, const std::string& schema, const std::string& table) {
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(TableEngineQuery(schema, table)));
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
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(TriggersNamedQuery(schema, names)));
  for (const auto& row : rs.rows) out.push_back(Field(row, 0));
  return out;
}

StatusOr<std::vector<TriggerPlace>> LocateTriggers(Session& s, const std::string& schema,
                                                   const std::vector<std::string>& names) {
  std::vector<TriggerPlace> out;
  if (names.empty()) return out;
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(TriggerPlacesQuery(schema, names)));
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

  SA_ASSIGN_OR_RETURN(ResultSet t, s.Query(TableSummaryQuery(schema, table)));
  // Whether the table the run names exists is the preflight's to judge (check/preflight.h,
  // table-exists); here it is a table that went away, or one the run made and lost.
  if (t.empty()) return InternalError("table " + QualifiedName(schema, table) + " is gone");
  if (Field(t.rows[0], 2) != "BASE TABLE") {
    return InternalError(QualifiedName(schema, table) + " is a " + Field(t.rows[0], 2) +
                         ", not a base table");
  }
  info.engine = Field(t.rows[0], 0);
  info.estimated_rows = std::stoull(t.rows[0][1].value_or("0"));
  info.estimated_bytes = std::stoull(t.rows[0][3].value_or("0"));

  SA_ASSIGN_OR_RETURN(info.columns, LoadColumns(s, schema, table));
  SA_ASSIGN_OR_RETURN(info.indexes, LoadIndexes(s, schema, table));

  SA_ASSIGN_OR_RETURN(ResultSet create, s.Query(ShowCreateTable(schema, table)));
  if (create.empty() || create.rows[0].size() < 2 || !create.rows[0][1]) {
    return InternalError("SHOW CREATE TABLE returned nothing");
  }
  info.create_statement = *create.rows[0][1];

  SA_ASSIGN_OR_RETURN(info.triggers, LoadTriggers(s, schema, table));

  // Children: other tables' constraints only; a self-reference is one of the table's own.
  SA_ASSIGN_OR_RETURN(info.referenced_by,
                      LoadForeignKeys(s, ForeignKeysReferencingTableQuery(schema, table)));
  SA_ASSIGN_OR_RETURN(info.foreign_keys,
                      LoadForeignKeys(s, ForeignKeysOfTableQuery(schema, table)));
  return info;
}

std::string InnodbTableIds(Session& session, const std::string& schema, const std::string& table) {
  const std::string query = InnodbTableIdsQuery(session.flavor(), schema, table);
  if (query.empty()) return "";
  StatusOr<ResultSet> ids = session.Query(query);
  return ids.ok() ? ids->Scalar().value_or("") : "";
}

}  // namespace shadowalter
