#include "sql/blocker_queries.h"

#include "db/quote.h"

namespace shadowalter {

std::string MetadataLockHoldersQuery(ServerFlavor flavor, const std::string& schema,
                                     const std::string& table) {
  if (flavor == ServerFlavor::kMariaDB) {
    return "SELECT THREAD_ID FROM information_schema.METADATA_LOCK_INFO WHERE TABLE_SCHEMA = " +
           QuoteString(schema) + " AND TABLE_NAME = " + QuoteString(table);
  }
  return "SELECT t.PROCESSLIST_ID FROM performance_schema.metadata_locks m JOIN "
         "performance_schema.threads t ON t.THREAD_ID = m.OWNER_THREAD_ID WHERE "
         "m.OBJECT_SCHEMA = " +
         QuoteString(schema) + " AND m.OBJECT_NAME = " + QuoteString(table) +
         " AND m.LOCK_STATUS = 'GRANTED'";
}

std::string OldTransactionsQuery() {
  return "SELECT trx_mysql_thread_id FROM information_schema.INNODB_TRX WHERE trx_started < NOW() "
         "- INTERVAL 1 SECOND ORDER BY trx_started LIMIT 10";
}

std::string ConnectionActivityQuery(uint64_t id) {
  return "SELECT p.USER, p.HOST, p.COMMAND, p.TIME, LEFT(COALESCE(p.INFO, ''), 80), "
         "TIMESTAMPDIFF(SECOND, x.trx_started, NOW()) FROM information_schema.PROCESSLIST p LEFT "
         "JOIN information_schema.INNODB_TRX x ON x.trx_mysql_thread_id = p.ID WHERE p.ID = " +
         std::to_string(id);
}

}  // namespace shadowalter
