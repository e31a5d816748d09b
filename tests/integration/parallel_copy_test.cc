// --threads: several sessions copy each chunk's key ranges at once. The same promises hold as
// with one: every write the application commits arrives, a resumed run misses nothing, and data
// the new table would change stops the run with the original untouched.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <set>
#include <thread>

#include "db/quote.h"
#include "model_writer.h"
#include "sandbox.h"

namespace shadowalter::testing {
namespace {

class ParallelCopyTest : public SandboxTest {
 protected:
  // A chunk of 8000 rows is eight 1000-row transactions for the sessions to share.
  std::vector<std::string> RunArgs(const std::string& threads) {
    return {"--alter",
            "ADD COLUMN extra INT NULL",
            "--execute",
            "--no-attempt-instant",
            "--threads",
            threads,
            "--chunk-size",
            "8000",
            PrimaryDsn(schema_, "t")};
  }
};

// Connection ids seen running the copy's INSERT ... SELECT into the new table, sampled from
// the processlist until stopped.
class CopySessionSampler {
 public:
  explicit CopySessionSampler(const std::string& schema) : admin_(ConnectPrimary()) {
    thread_ = std::thread([this, schema] {
      while (!stop_) {
        auto rs = admin_->Query(
            "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = " + QuoteString(schema) +
            " AND INFO LIKE 'INSERT INTO %_t_new% SELECT %' AND ID <> CONNECTION_ID()");
        if (rs.ok()) {
          for (const auto& row : rs->rows) {
            if (row[0]) ids_.insert(*row[0]);
          }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
  }
  std::set<std::string> Stop() {
    stop_ = true;
    thread_.join();
    return ids_;
  }

 private:
  std::unique_ptr<Session> admin_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::set<std::string> ids_;
};

TEST_F(ParallelCopyTest, FourSessionsUnderConcurrentWritesEndWithEveryCommittedWrite) {
  CreateModelTable(*db_, 100000);
  ModelWriter writer(schema_, "t", 11);
  writer.LoadModel();
  writer.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CopySessionSampler sampler(schema_);
  RunResult r = RunShadowalter(RunArgs("4"));
  const std::set<std::string> copy_sessions = sampler.Stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  writer.Stop();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("copying with 4 sessions"), std::string::npos) << r.err;
  // More than one session really copied (one alone would show a single connection id).
  EXPECT_GE(copy_sessions.size(), 2u);
  EXPECT_LE(copy_sessions.size(), 4u);
  EXPECT_GT(writer.committed(), 50u) << writer.last_error();

  const auto model = writer.model();
  const auto rows = TableRows(*db_, "t");
  EXPECT_EQ(rows.size(), model.size());
  EXPECT_TRUE(rows == model) << "the primary's rows differ from what the writer committed";
  WaitForReplica();
  auto replica = ConnectReplica(schema_);
  ASSERT_TRUE(replica);
  EXPECT_TRUE(TableRows(*replica, "t") == model)
      << "the replica's rows differ from what the writer committed";
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(ParallelCopyTest, KilledMidCopyAndResumedMissesNothing) {
  CreateModelTable(*db_, 40000);
  ModelWriter writer(schema_, "t", 12);
  writer.LoadModel();
  writer.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  RunResult killed = RunShadowalter(RunArgs("3"), {{"SHADOWALTER_CRASH_AT", "copy_chunk:2"}});
  ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << killed.err;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  RunResult resumed = RunShadowalter(
      {"resume", "--threads", "3", "--chunk-size", "8000", PrimaryDsn(schema_, "t")});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  writer.Stop();
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming the copy after key"), std::string::npos) << resumed.err;
  const auto model = writer.model();
  const auto rows = TableRows(*db_, "t");
  EXPECT_EQ(rows.size(), model.size());
  EXPECT_TRUE(rows == model) << "the table differs from what the writer committed";
  EXPECT_TRUE(Leftovers(*db_, schema_).empty());
}

TEST_F(ParallelCopyTest, AValueThatDoesNotFitStopsTheRunNamingItsRow) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL)");
  Exec(*db_, "INSERT INTO t SELECT seq, 'short' FROM seq_1_to_20000");
  Exec(*db_, "UPDATE t SET name = 'a name much longer than ten characters' WHERE id = 13217");
  const std::string before = TableChecksum(*db_, "t");
  RunResult r = RunShadowalter({"--alter", "MODIFY name VARCHAR(10) NOT NULL", "--execute",
                                "--no-attempt-instant", "--threads", "4", "--chunk-size", "8000",
                                PrimaryDsn(schema_, "t")});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("does not fit"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(13217)"), std::string::npos) << r.err;
  EXPECT_EQ(TableChecksum(*db_, "t"), before);
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

}  // namespace
}  // namespace shadowalter::testing
