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
