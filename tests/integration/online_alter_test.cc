// The core promise: a table altered while the application inserts, updates (key-changing
// updates included) and deletes ends up holding exactly what the application committed, on the
// primary and on the replica, with no artifact left behind.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "db/quote.h"
#include "model_writer.h"
#include "sandbox.h"

namespace shadowalter::testing {
namespace {

using OnlineAlterTest = SandboxTest;

TEST_F(OnlineAlterTest, ConcurrentWritesAllArriveOnPrimaryAndReplica) {
  CreateModelTable(*db_, 100000);
  ModelWriter writer(schema_, "t", 42);
  writer.LoadModel();
  writer.Start();
  // Let the writer run before, during and after the migration.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  RunResult r = RunShadowalter({"--alter",
                                "ADD COLUMN extra VARCHAR(20) NULL, MODIFY v "
                                "VARCHAR(100) NOT NULL",
                                "--execute", "--no-attempt-instant", "--chunk-size", "500",
                                PrimaryDsn(schema_, "t")});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  writer.Stop();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(writer.committed(), 100u) << writer.last_error();
  EXPECT_GT(writer.key_changes(), 5u);

  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'extra'"),
            "1");
  const auto model = writer.model();
  const auto primary = TableRows(*db_, "t");
  EXPECT_EQ(primary.size(), model.size());
  EXPECT_TRUE(primary == model) << "the primary's rows differ from what the writer committed";

  WaitForReplica();
  auto replica = ConnectReplica(schema_);
  ASSERT_TRUE(replica);
  const auto replica_rows = TableRows(*replica, "t");
  EXPECT_TRUE(replica_rows == model) << "the replica's rows differ from what the writer committed";
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

}  // namespace
}  // namespace shadowalter::testing
