#include "sql/cutover.h"

#include "db/quote.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

// "user@host" as information_schema writes it, quoted as `user`@`host`. The host never holds an
// '@', the user may: split at the last one. A role (no '@') is quoted whole.
std::string QuoteDefiner(const std::string& definer) {
  const auto at = definer.rfind('@');
  if (at == std::string::npos) return QuoteIdentifier(definer);
  return QuoteIdentifier(definer.substr(0, at)) + "@" + QuoteIdentifier(definer.substr(at + 1));
}

}  // namespace

std::string LockTableWrite(const std::string& schema, const std::string& table) {
  return "LOCK TABLES " + QualifiedName(schema, table) + " WRITE";
}

std::string UnlockTables() { return "UNLOCK TABLES"; }

std::string CreateTriggerOn(const std::string& schema, const std::string& table, const Trigger& t) {
  return CreateTriggerOn(schema, table, t, "");
}

std::string CreateTriggerOn(const std::string& schema, const std::string& table, const Trigger& t,
                            const std::string& precedes) {
  return "CREATE DEFINER=" + QuoteDefiner(t.definer) + " TRIGGER " + QualifiedName(schema, t.name) +
         " " + t.timing + " " + t.event + " ON " + QualifiedName(schema, table) + " FOR EACH ROW " +
         (precedes.empty() ? std::string() : "PRECEDES " + QuoteIdentifier(precedes) + " ") +
         t.body;
}

std::string TriggerContext(const Trigger& t) {
  return RestoreSessionContext(t.sql_mode, t.character_set_client, t.collation_connection);
}

std::string CreateTableLike(const std::string& schema, const std::string& table,
                            const std::string& like) {
  return "CREATE TABLE " + QualifiedName(schema, table) + " LIKE " + QualifiedName(schema, like);
}

std::string SessionContextQuery() {
  return "SELECT @@SESSION.sql_mode, @@SESSION.character_set_client, "
         "@@SESSION.collation_connection";
}

std::string RestoreSessionContext(const std::string& sql_mode, const std::string& charset_client,
                                  const std::string& collation_connection) {
  return "SET SESSION sql_mode = " + QuoteString(sql_mode) +
         ", character_set_client = " + QuoteString(charset_client) +
         ", collation_connection = " + QuoteString(collation_connection);
}

std::string ConnectionStateQuery(uint64_t id) {
  return "SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = " + std::to_string(id);
}

std::string KillQuery(uint64_t id) { return "KILL QUERY " + std::to_string(id); }

}  // namespace shadowalter
