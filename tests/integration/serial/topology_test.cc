// Replica discovery through a chain: the sandbox's primary -> replica -> downstream (a replica
// of the replica, started by scripts/sandbox.sh downstream-start for each test and stopped after
// it). Discovery looks into every replica it reaches, so the downstream's lag holds the copy
// back; a reader of the replica that discovery can't place is refused, as one of the primary's
// is; pt-online-schema-change's DSN table lists replicas instead of discovery.
//
// They add a server to the replication chain, so they run alone (tests/integration/serial/).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "db/quote.h"
#include "sandbox.h"

namespace shadowalter::testing {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class ChainTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    env_ = *ReadSandboxEnv();
    const char* port = std::getenv("SHADOWALTER_DOWNSTREAM_PORT");
    // scripts/sandbox.sh's default when the environment predates the downstream server.
    downstream_port_ = port != nullptr ? std::stoul(port) : env_.primary_port + 3;
    // The schema exists already; the downstream starts from the replica's position after it,
    // so it is created there by hand (replication brings the rest).
    WaitForReplica();
    const std::string command = std::string("bash ") + SHADOWALTER_SOURCE_DIR +
                                "/scripts/sandbox.sh downstream-start >/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << "scripts/sandbox.sh downstream-start failed";
    started_ = true;
    downstream_ = ConnectDownstream("");
    ASSERT_TRUE(downstream_);
    Exec(*downstream_, "CREATE DATABASE " + QuoteIdentifier(schema_));
    Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(40) NOT NULL)");
    Exec(*db_, "INSERT INTO t SELECT seq, CONCAT('value ', seq) FROM seq_1_to_5000");
    WaitForDownstream();
  }

  void TearDown() override {
    if (started_) {
      const std::string command = std::string("bash ") + SHADOWALTER_SOURCE_DIR +
                                  "/scripts/sandbox.sh downstream-stop >/dev/null";
      EXPECT_EQ(std::system(command.c_str()), 0) << "scripts/sandbox.sh downstream-stop failed";
    }
    SandboxTest::TearDown();
  }

  std::unique_ptr<Session> ConnectDownstream(const std::string& database) {
    ConnectParams p;
    p.host = env_.host;
    p.port = downstream_port_;
    p.user = env_.user;
    p.password = env_.password;
    p.defaults_file = "/dev/null";
    p.database = database;
    auto s = Session::Connect(p);
    EXPECT_TRUE(s.ok()) << "the downstream server: " << s.status().message();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  // Waits until the downstream has applied everything the primary has binlogged so far.
  void WaitForDownstream() {
    const std::string pos = Scalar(*db_, "SELECT @@gtid_binlog_pos");
    ASSERT_EQ(Scalar(*downstream_, "SELECT MASTER_GTID_WAIT('" + pos + "', 60)"), "0")
        << "the downstream server did not catch up";
  }

  RunResult Run(std::vector<std::string> extra) {
    std::vector<std::string> args = {"--alter",          "ADD COLUMN w INT NULL",
                                     "--execute",        "--no-attempt-instant",
                                     "--check-interval", "0.2"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(PrimaryDsn(schema_, "t"));
    return RunShadowalter(args);
  }

  std::string Name(unsigned port) const { return env_.host + ":" + std::to_string(port); }
  std::string Dsn(unsigned port) const { return "h=" + env_.host + ",P=" + std::to_string(port); }

  bool Altered() {
    return Scalar(*db_,
                  "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                  "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'w'") == "1";
  }

  SandboxEnv env_;
  unsigned downstream_port_ = 0;
  bool started_ = false;
  std::unique_ptr<Session> downstream_;
};

// Default discovery finds the replica on the primary and the downstream on the replica, and
// watches both: with the downstream's SQL thread stopped the copy waits, and --replica-timeout
// ends the run, untouched, naming the downstream. Running again, the run completes, and the
// downstream ends with the altered table and every row.
TEST_F(ChainTest, AReplicaOfAReplicaIsFoundAndWatched) {
  Exec(*downstream_, "STOP SLAVE SQL_THREAD");
  const RunResult held = Run({"--replica-timeout", "2"});
  EXPECT_EQ(held.exit_code, 1) << held.err;
  EXPECT_TRUE(Contains(held.err, "watching replica lag on " + Name(env_.replica_port))) << held.err;
  EXPECT_TRUE(Contains(held.err, Name(downstream_port_) + " (TLS")) << held.err;
  EXPECT_TRUE(Contains(held.err, Name(downstream_port_) + " has its SQL thread stopped"))
      << held.err;
  EXPECT_FALSE(Altered());
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});

  Exec(*downstream_, "START SLAVE SQL_THREAD");
  const RunResult done = Run({});
  EXPECT_EQ(done.exit_code, 0) << done.err;
  EXPECT_TRUE(Altered());
  WaitForDownstream();
  std::unique_ptr<Session> downstream = ConnectDownstream(schema_);
  ASSERT_TRUE(downstream);
  EXPECT_EQ(Scalar(*downstream,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'w'"),
            "1");
  const std::string rows = "SELECT COUNT(*), SUM(CRC32(CONCAT_WS(':', id, v, w))) FROM t";
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "5000");
  EXPECT_EQ(Rows(*downstream, rows), Rows(*db_, rows));
}

// A replica named by --skip-check-replica-lag is left alone, not its replicas: the downstream
// behind it is still found and watched (its stopped SQL thread holds the copy until
// --replica-timeout ends the run, untouched).
TEST_F(ChainTest, AReplicaBehindOneLeftAloneIsStillWatched) {
  Exec(*downstream_, "STOP SLAVE SQL_THREAD");
  const RunResult held =
      Run({"--replica-timeout", "2", "--skip-check-replica-lag", Dsn(env_.replica_port)});
  Exec(*downstream_, "START SLAVE SQL_THREAD");
  EXPECT_EQ(held.exit_code, 1) << held.err;
  EXPECT_TRUE(Contains(held.err, "not watching the lag of replica " + Name(env_.replica_port)))
      << held.err;
  EXPECT_TRUE(Contains(held.err, "watching replica lag on " + Name(downstream_port_))) << held.err;
  EXPECT_TRUE(Contains(held.err, Name(downstream_port_) + " has its SQL thread stopped"))
      << held.err;
  EXPECT_FALSE(Altered());
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// Discovery by processlist alone can't place the downstream (it looks on the replica's port for
// the replica's own reader, which is the replica itself): refused before anything is created,
// naming the replica whose reader is unaccounted for. Given with --replica, it is watched.
TEST_F(ChainTest, AReaderOfAReplicaThatCannotBePlacedIsRefused) {
  const RunResult refused =
      Run({"--recursion-method", "processlist", "--replica", Dsn(env_.replica_port)});
  EXPECT_EQ(refused.exit_code, 5) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "replica " + Name(env_.replica_port) +
                                        " has 1 binary log reader(s) (from " + env_.host + ")"))
      << refused.err;
  EXPECT_FALSE(Altered());
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});

  const RunResult placed = Run({"--recursion-method", "processlist", "--replica",
                                Dsn(env_.replica_port), "--replica", Dsn(downstream_port_)});
  EXPECT_EQ(placed.exit_code, 0) << placed.err;
  EXPECT_TRUE(Contains(placed.err, Name(downstream_port_) + " (TLS")) << placed.err;
  EXPECT_TRUE(Altered());
}

// --recursion-method dsn=D=...,t=...: the replicas come from the table's dsn column, in id
// order. A table that leaves out the downstream is refused (its reader on the replica is
// unaccounted for), and so are an unreachable replica, a row that is no DSN and a missing
// table, each before anything is created; the complete table lets the run through, watching
// both.
TEST_F(ChainTest, TheDsnTableListsTheReplicas) {
  Exec(*db_,
       "CREATE TABLE dsns (id INT NOT NULL PRIMARY KEY, parent_id INT NULL, "
       "dsn VARCHAR(255) NOT NULL)");
  const std::string method = "dsn=D=" + schema_ + ",t=dsns";
  Exec(*db_, "INSERT INTO dsns VALUES (1, NULL, " + QuoteString(Dsn(env_.replica_port)) + ")");
  const RunResult partial = Run({"--recursion-method", method});
  EXPECT_EQ(partial.exit_code, 5) << partial.err;
  EXPECT_TRUE(Contains(partial.err, "lists 1 replica(s)")) << partial.err;
  EXPECT_TRUE(
      Contains(partial.err, "replica " + Name(env_.replica_port) + " has 1 binary log reader(s)"))
      << partial.err;

  Exec(*db_, "INSERT INTO dsns VALUES (3, 1, 'h=127.0.0.1,P=1')");
  const RunResult unreachable = Run({"--recursion-method", method});
  EXPECT_EQ(unreachable.exit_code, 5) << unreachable.err;
  EXPECT_TRUE(Contains(unreachable.err, "cannot reach replica 127.0.0.1:1")) << unreachable.err;

  Exec(*db_, "UPDATE dsns SET dsn = 'h=127.0.0.1,P=1,x=y' WHERE id = 3");
  const RunResult bad = Run({"--recursion-method", method});
  EXPECT_EQ(bad.exit_code, 5) << bad.err;
  EXPECT_TRUE(Contains(bad.err, "row id 3")) << bad.err;

  const RunResult missing = Run({"--recursion-method", "dsn=D=" + schema_ + ",t=nosuch"});
  EXPECT_EQ(missing.exit_code, 5) << missing.err;
  EXPECT_TRUE(Contains(missing.err, "the DSN table " + schema_ + ".nosuch")) << missing.err;
  EXPECT_FALSE(Altered());
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});

  Exec(*db_, "UPDATE dsns SET dsn = " + QuoteString(Dsn(downstream_port_)) + " WHERE id = 3");
  const RunResult listed = Run({"--recursion-method", method});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(Contains(listed.err, "lists 2 replica(s)")) << listed.err;
  EXPECT_TRUE(Contains(listed.err, "watching replica lag on " + Name(env_.replica_port)))
      << listed.err;
  EXPECT_TRUE(Contains(listed.err, Name(downstream_port_) + " (TLS")) << listed.err;
  EXPECT_TRUE(Altered());
}

}  // namespace
}  // namespace shadowalter::testing
