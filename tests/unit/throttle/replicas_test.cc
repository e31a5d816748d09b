// LagFromStatus on replication status rows recorded from each server flavour. Only the columns
// it reads (and a neighbour or two) are kept; it finds columns by name, so the others do not
// matter.
#include "throttle/replicas.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

ResultSet Status(std::vector<std::string> names,
                 std::vector<std::vector<std::optional<std::string>>> rows) {
  ResultSet rs;
  rs.column_names = std::move(names);
  rs.rows = std::move(rows);
  return rs;
}

// MySQL 8.0 Reference Manual, 15.7.7.35 "SHOW REPLICA STATUS Statement" (8.0.22+ names), the
// example output: Replica_IO_State: Waiting for source to send event ... Replica_IO_Running: Yes,
// Replica_SQL_Running: Yes ... Seconds_Behind_Source: 0.
ResultSet MySqlReplicaStatus(std::optional<std::string> io, std::optional<std::string> sql,
                             std::optional<std::string> lag) {
  return Status({"Replica_IO_State", "Source_Host", "Replica_IO_Running", "Replica_SQL_Running",
                 "Last_Errno", "Seconds_Behind_Source", "Channel_Name"},
                {{"Waiting for source to send event", "localhost", io, sql, "0", lag, ""}});
}

// MySQL 5.7 Reference Manual, "SHOW SLAVE STATUS Statement" (the names MySQL 8.0 before 8.0.22
// uses): Slave_IO_Running: Yes, Slave_SQL_Running: Yes ... Seconds_Behind_Master: 0.
ResultSet MySqlSlaveStatus(std::optional<std::string> lag) {
  return Status({"Slave_IO_State", "Master_Host", "Slave_IO_Running", "Slave_SQL_Running",
                 "Seconds_Behind_Master"},
                {{"Waiting for master to send event", "localhost", "Yes", "Yes", lag}});
}

// MariaDB 10.11.19 (the sandbox replica), SHOW ALL SLAVES STATUS: Connection_name '',
// Slave_SQL_State 'Slave has read all relay log; waiting for more updates', Slave_IO_Running
// Yes, Slave_SQL_Running Yes, Seconds_Behind_Master 0; one row per source.
const std::vector<std::string> kMariaDbNames = {"Connection_name", "Slave_SQL_State",
                                                "Slave_IO_Running", "Slave_SQL_Running",
                                                "Seconds_Behind_Master"};

TEST(LagFromStatusTest, MySqlReplicaStatus) {
  ReplicaLag lag = LagFromStatus(MySqlReplicaStatus("Yes", "Yes", "0"));
  ASSERT_TRUE(lag.seconds.has_value()) << lag.why;
  EXPECT_EQ(*lag.seconds, 0);
  lag = LagFromStatus(MySqlReplicaStatus("Yes", "Yes", "17"));
  ASSERT_TRUE(lag.seconds.has_value()) << lag.why;
  EXPECT_EQ(*lag.seconds, 17);
}

TEST(LagFromStatusTest, MySqlStoppedOrUnknown) {
  // The manual: Seconds_Behind_Source is NULL when the SQL thread is not running, or the I/O
  // thread is running but not connected ("Connecting").
  EXPECT_EQ(LagFromStatus(MySqlReplicaStatus("Yes", "No", std::nullopt)).why,
            "has its SQL thread stopped");
  EXPECT_EQ(LagFromStatus(MySqlReplicaStatus("Connecting", "Yes", std::nullopt)).why,
            "has its IO thread stopped");
  EXPECT_EQ(LagFromStatus(MySqlReplicaStatus("Yes", "Yes", std::nullopt)).why,
            "reports no lag (NULL)");
  // A server that is not a replica returns no row.
  EXPECT_EQ(LagFromStatus(Status({"Replica_IO_State"}, {})).why, "is not replicating");
}

TEST(LagFromStatusTest, MySqlSlaveStatusBefore8022) {
  ReplicaLag lag = LagFromStatus(MySqlSlaveStatus("3"));
  ASSERT_TRUE(lag.seconds.has_value()) << lag.why;
  EXPECT_EQ(*lag.seconds, 3);
  EXPECT_FALSE(LagFromStatus(MySqlSlaveStatus(std::nullopt)).seconds.has_value());
}

TEST(LagFromStatusTest, MariaDbAllSlavesStatusTakesTheWorstSource) {
  const std::string state = "Slave has read all relay log; waiting for more updates";
  ReplicaLag lag = LagFromStatus(Status(kMariaDbNames, {{"", state, "Yes", "Yes", "0"}}));
  ASSERT_TRUE(lag.seconds.has_value()) << lag.why;
  EXPECT_EQ(*lag.seconds, 0);

  lag = LagFromStatus(
      Status(kMariaDbNames, {{"", state, "Yes", "Yes", "2"}, {"east", state, "Yes", "Yes", "9"}}));
  ASSERT_TRUE(lag.seconds.has_value()) << lag.why;
  EXPECT_EQ(*lag.seconds, 9);

  // One stopped source holds the copy back, whatever the others say.
  lag = LagFromStatus(Status(
      kMariaDbNames, {{"", state, "Yes", "Yes", "0"}, {"east", "", "Yes", "No", std::nullopt}}));
  EXPECT_FALSE(lag.seconds.has_value());
  EXPECT_EQ(lag.why, "has its SQL thread stopped");
}

TEST(LagFromStatusTest, MissingColumnsCountAsStopped) {
  EXPECT_FALSE(LagFromStatus(Status({"Something_Else"}, {{"x"}})).seconds.has_value());
}

}  // namespace
}  // namespace shadowalter
