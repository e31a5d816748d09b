#include "sql/blocker_queries.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

TEST(BlockerQueriesTest, MetadataLockHoldersPerFlavor) {
  EXPECT_EQ(MetadataLockHoldersQuery(ServerFlavor::kMariaDB, "db", "t"),
            "SELECT THREAD_ID FROM information_schema.METADATA_LOCK_INFO WHERE TABLE_SCHEMA = "
            "'db' AND TABLE_NAME = 't'");
  EXPECT_EQ(MetadataLockHoldersQuery(ServerFlavor::kMySQL, "db", "it's"),
            "SELECT t.PROCESSLIST_ID FROM performance_schema.metadata_locks m JOIN "
            "performance_schema.threads t ON t.THREAD_ID = m.OWNER_THREAD_ID WHERE "
            "m.OBJECT_SCHEMA = 'db' AND m.OBJECT_NAME = 'it''s' AND m.LOCK_STATUS = 'GRANTED'");
}

TEST(BlockerQueriesTest, OldTransactions) {
  EXPECT_EQ(OldTransactionsQuery(),
            "SELECT trx_mysql_thread_id FROM information_schema.INNODB_TRX WHERE trx_started < "
            "NOW() - INTERVAL 1 SECOND ORDER BY trx_started LIMIT 10");
}

TEST(BlockerQueriesTest, ConnectionActivity) {
  EXPECT_EQ(ConnectionActivityQuery(42),
            "SELECT p.USER, p.HOST, p.COMMAND, p.TIME, LEFT(COALESCE(p.INFO, ''), 80), "
            "TIMESTAMPDIFF(SECOND, x.trx_started, NOW()) FROM information_schema.PROCESSLIST p "
            "LEFT JOIN information_schema.INNODB_TRX x ON x.trx_mysql_thread_id = p.ID WHERE p.ID "
            "= 42");
}

}  // namespace
}  // namespace shadowalter
