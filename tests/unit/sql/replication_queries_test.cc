#include "sql/replication_queries.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

TEST(ReplicationQueriesTest, ServerIdAndDumpThreads) {
  EXPECT_EQ(ServerIdQuery(), "SELECT @@server_id");
  EXPECT_EQ(BinlogDumpHostsQuery(),
            "SELECT HOST FROM information_schema.PROCESSLIST WHERE COMMAND IN ('Binlog Dump', "
            "'Binlog Dump GTID')");
}

// Whether a replica's account sees other sessions: its own PROCESS grant (only the current
// account's row, even for an account that may read everyone's), or a replication thread.
TEST(ReplicationQueriesTest, SeesOtherSessions) {
  EXPECT_EQ(SeesOtherSessionsQuery(),
            "SELECT EXISTS (SELECT 1 FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = "
            "CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', "
            "SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''') AND PRIVILEGE_TYPE = 'PROCESS') OR "
            "EXISTS (SELECT 1 FROM information_schema.PROCESSLIST WHERE USER = 'system user')");
}

TEST(ReplicationQueriesTest, DsnTableIsQuoted) {
  EXPECT_EQ(DsnTableQuery("percona", "dsns"), "SELECT id, dsn FROM `percona`.`dsns` ORDER BY id");
  EXPECT_EQ(DsnTableQuery("a`b", "c d"), "SELECT id, dsn FROM `a``b`.`c d` ORDER BY id");
}

TEST(ReplicationQueriesTest, SpellingsPerFlavor) {
  EXPECT_EQ(ReplicaHostsQuery(ServerFlavor::kMariaDB), "SHOW SLAVE HOSTS");
  EXPECT_EQ(ReplicaHostsQuery(ServerFlavor::kMySQL), "SHOW REPLICAS");
  EXPECT_EQ(LegacyReplicaHostsQuery(), "SHOW SLAVE HOSTS");
  EXPECT_EQ(ReplicationStatusQuery(ServerFlavor::kMariaDB), "SHOW ALL SLAVES STATUS");
  EXPECT_EQ(ReplicationStatusQuery(ServerFlavor::kMySQL), "SHOW REPLICA STATUS");
  EXPECT_EQ(LegacyReplicationStatusQuery(), "SHOW SLAVE STATUS");
  EXPECT_EQ(BinaryLogStatusQuery(), "SHOW MASTER STATUS");
  EXPECT_EQ(NewBinaryLogStatusQuery(), "SHOW BINARY LOG STATUS");
}

}  // namespace
}  // namespace shadowalter
