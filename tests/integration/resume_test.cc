// Runs that survive the night: a run killed with SIGKILL at any phase leaves the original intact
// and writable, `status` tells what is left, and `resume` or `cleanup` finishes correctly; a run
// parks at its time limit and resumes; a killed connection mid-copy is survived; and `resume`
// refuses a stopped run whose artifacts were changed by hand.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <thread>

#include "db/quote.h"
#include "model_writer.h"
#include "sandbox.h"

namespace shadowalter::testing {
namespace {

constexpr int kSigkillExit = 128 + SIGKILL;
constexpr int kParkedExit = 4;
constexpr int kRefusedExit = 5;

class ResumeTest : public SandboxTest {
 protected:
  std::vector<std::string> RunArgs(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--alter", "ADD COLUMN extra INT NULL", "--execute",
                                     "--no-attempt-instant"};
    if (std::find(extra.begin(), extra.end(), "--chunk-size") == extra.end()) {
      args.insert(args.end(), {"--chunk-size", "200"});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(PrimaryDsn(schema_, "t"));
    return args;
  }
  std::vector<std::string> Command(const std::string& word, std::vector<std::string> extra = {}) {
    return CommandArgs(word, schema_, std::move(extra));
  }
  bool HasExtraColumn() { return HasColumn(*db_, "t", "extra"); }
  // The original takes a write of its own after the crash: nothing of the run blocks it.
  void ExpectWritable() {
    Exec(*db_, "INSERT INTO t (k, v) VALUES (7, 'after the crash')");
    Exec(*db_, "DELETE FROM t WHERE v = 'after the crash'");
  }
};

// Each point is a CrashPoint name in the code (util/crash_point.h), reached once per run unless
// it has a count. Resume: the killed run resumed under writes ends with exactly the rows the
// writer committed. Cleanup: the killed run cleaned up leaves nothing (and after the swap,
// finishes the run).
class CrashTest : public ResumeTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(CrashTest, Resume) {
  CreateModelTable(*db_, 4000);
  ModelWriter writer(schema_, "t", 7);
  writer.LoadModel();
  writer.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  RunResult killed = RunShadowalter(RunArgs(), {{"SHADOWALTER_CRASH_AT", GetParam()}});
  ASSERT_EQ(killed.exit_code, kSigkillExit) << killed.err;
  // Writes go on while nothing runs: the triggers (where they exist) keep the new table current.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ExpectWritable();

  RunResult status = RunShadowalter(Command("status"));
  ASSERT_EQ(status.exit_code, 4) << "exit 4: a stopped run resume continues\n" << status.err;
  EXPECT_NE(status.out.find("stopped run"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("next:"), std::string::npos) << status.out;

  RunResult resumed = RunShadowalter(Command("resume", {"--chunk-size", "200"}));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  writer.Stop();
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_GT(writer.committed(), 20u) << writer.last_error();
  EXPECT_TRUE(HasExtraColumn());
  const auto model = writer.model();
  const auto rows = TableRows(*db_, "t");
  EXPECT_EQ(rows.size(), model.size());
  EXPECT_TRUE(rows == model) << "the table differs from what the writer committed";
  EXPECT_TRUE(Leftovers(*db_, schema_).empty());
  RunResult after = RunShadowalter(Command("status"));
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_NE(after.out.find("no run on record"), std::string::npos) << after.out;
}

TEST_P(CrashTest, Cleanup) {
  CreateModelTable(*db_, 3000);
  const std::string before = TableChecksum(*db_, "t");
  RunResult killed = RunShadowalter(RunArgs(), {{"SHADOWALTER_CRASH_AT", GetParam()}});
  ASSERT_EQ(killed.exit_code, kSigkillExit) << killed.err;
  ExpectWritable();
  const bool swapped = std::string(GetParam()) == "after_swap";
  RunResult cleaned = RunShadowalter(Command("cleanup"));
  ASSERT_EQ(cleaned.exit_code, 0) << cleaned.err;
  EXPECT_TRUE(Leftovers(*db_, schema_).empty()) << cleaned.err;
  // Before the swap cleanup puts the table back as it was; after it, it finishes the run.
  EXPECT_EQ(HasExtraColumn(), swapped);
  if (!swapped) {
    EXPECT_EQ(TableChecksum(*db_, "t"), before);
  }
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "3000");
  // Idempotent: a second cleanup finds nothing and says so.
  RunResult again = RunShadowalter(Command("cleanup"));
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("nothing to clean up"), std::string::npos) << again.err;
}

// Short names: each test's schema is named after it, within 64 characters.
INSTANTIATE_TEST_SUITE_P(At, CrashTest,
                         ::testing::Values("new_table", "trigger_created:1", "copy_chunk:4",
                                           "copied", "verify_chunk:2", "before_swap",
                                           "swap_checked", "mirror_triggers_dropped",
                                           "trigger_lock_handed_over", "after_swap"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == ':') c = '_';
                           }
                           return name;
                         });

TEST_F(ResumeTest, MaxRuntimeParksMidCopyAndResumeCompletesWithRowsWrittenWhileParked) {
  CreateModelTable(*db_, 30000);
  ModelWriter writer(schema_, "t", 11);
  writer.LoadModel();
  writer.Start();
  // 1500 chunks of 20 rows take several seconds; the limit stops the copy well inside.
  RunResult parked =
      RunShadowalter(RunArgs({"--chunk-size", "20", "--max-runtime", "2s", "--output", "json"}));
  ASSERT_EQ(parked.exit_code, kParkedExit) << parked.err;
  EXPECT_NE(parked.out.find("\"status\":\"parked\""), std::string::npos) << parked.out;
  EXPECT_NE(parked.err.find("--max-runtime"), std::string::npos) << parked.err;
  RunResult status = RunShadowalter(Command("status", {"--output", "json"}));
  ASSERT_EQ(status.exit_code, 4) << status.err;
  EXPECT_NE(status.out.find("\"verdict\":\"resumable\""), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("\"phase\":\"copying\""), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("\"triggers_intact\":true"), std::string::npos) << status.out;
  EXPECT_EQ(status.out.find("\"rows_copied\":0,"), std::string::npos) << status.out;
  EXPECT_FALSE(HasExtraColumn());

  // Parked: the application keeps writing, the triggers keep the new table current.
  const uint64_t committed_at_park = writer.committed();
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  EXPECT_GT(writer.committed(), committed_at_park) << writer.last_error();

  // The same command line with --resume continues it (the cron job's next night).
  RunResult resumed = RunShadowalter(RunArgs({"--chunk-size", "500", "--resume"}));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  writer.Stop();
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("resuming the copy after key"), std::string::npos) << resumed.err;
  EXPECT_TRUE(HasExtraColumn());
  const auto model = writer.model();
  const auto rows = TableRows(*db_, "t");
  EXPECT_EQ(rows.size(), model.size());
  EXPECT_TRUE(rows == model) << "the table differs from what the writer committed";
  EXPECT_TRUE(Leftovers(*db_, schema_).empty());
}

TEST_F(ResumeTest, OnLimitAbortCleansUpInstead) {
  CreateModelTable(*db_, 30000);
  const std::string before = TableChecksum(*db_, "t");
  RunResult r =
      RunShadowalter(RunArgs({"--chunk-size", "20", "--max-runtime", "2s", "--on-limit", "abort"}));
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(Leftovers(*db_, schema_).empty());
  EXPECT_EQ(TableChecksum(*db_, "t"), before);
}

// The cron line of docs/operations.md: a copy done before the window opens waits for it when it
// opens before the run's time limit, writes going on meanwhile, then verifies again and swaps.
TEST_F(ResumeTest, AWindowThatOpensBeforeTheTimeLimitIsWaitedFor) {
  CreateModelTable(*db_, 2000);
  ModelWriter writer(schema_, "t", 11);
  writer.LoadModel();
  writer.Start();
  // Opens at the next minute at least 10 s away; closes an hour later.
  const std::time_t opens = (std::time(nullptr) + 10) / 60 * 60 + 60;
  std::tm from{}, to{};
  const std::time_t closes = opens + 3600;
  gmtime_r(&opens, &from);
  gmtime_r(&closes, &to);
  char window[32];
  std::snprintf(window, sizeof window, "%02d:%02dZ-%02d:%02dZ", from.tm_hour, from.tm_min,
                to.tm_hour, to.tm_min);
  RunResult r = RunShadowalter(RunArgs({"--cutover-window", window, "--max-runtime", "2h"}));
  writer.Stop();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(std::time(nullptr), opens);
  EXPECT_NE(r.err.find("waiting"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("verifying again"), std::string::npos) << r.err;
  EXPECT_TRUE(HasExtraColumn());
  EXPECT_GT(writer.committed(), 20u) << writer.last_error();
  EXPECT_TRUE(TableRows(*db_, "t") == writer.model()) << "the table differs from the writes";
  EXPECT_TRUE(Leftovers(*db_, schema_).empty());
}

TEST_F(ResumeTest, OutsideTheCutoverWindowTheRunParksAfterTheCopy) {
  CreateModelTable(*db_, 2000);
  // A one-minute window twelve hours from now: certainly closed.
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char window[32];
  std::snprintf(window, sizeof window, "%02d:00Z-%02d:01Z", (utc.tm_hour + 12) % 24,
                (utc.tm_hour + 12) % 24);
  RunResult parked = RunShadowalter(RunArgs({"--cutover-window", window}));
  ASSERT_EQ(parked.exit_code, kParkedExit) << parked.err;
  EXPECT_NE(parked.err.find("cut-over window"), std::string::npos) << parked.err;
  EXPECT_FALSE(HasExtraColumn());
  RunResult status = RunShadowalter(Command("status"));
  EXPECT_EQ(status.exit_code, 4) << status.err;
  EXPECT_NE(status.out.find("phase:         verified"), std::string::npos) << status.out;
  // Without the window the next run swaps.
  RunResult resumed = RunShadowalter(Command("resume"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_TRUE(HasExtraColumn());
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "2000");
  EXPECT_TRUE(Leftovers(*db_, schema_).empty());
}

TEST_F(ResumeTest, KilledCopyConnectionIsReconnectedAndTheRunContinues) {
  CreateModelTable(*db_, 12000);
  ModelWriter writer(schema_, "t", 5);
  writer.LoadModel();
  writer.Start();
  Background bg = StartShadowalter(RunArgs({"--chunk-size", "20"}));
  auto admin = ConnectPrimary();
  std::string victim;
  // The copy's session is the one whose statement reads the original into the new table (the
  // writer's sessions show their triggers' INSERT ... VALUES).
  ASSERT_TRUE(WaitUntil([&] {
    victim = Scalar(
        *admin,
        "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = " + QuoteString(schema_) +
            " AND INFO LIKE 'INSERT INTO %_t_new% SELECT %' AND ID <> CONNECTION_ID() LIMIT 1");
    return victim != "NULL";
  }));
  Exec(*admin, "KILL CONNECTION " + victim);
  RunResult r = WaitShadowalter(bg);
  writer.Stop();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("reconnected"), std::string::npos) << r.err;
  const auto model = writer.model();
  const auto rows = TableRows(*db_, "t");
  EXPECT_TRUE(rows == model) << "the table differs from what the writer committed";
  EXPECT_TRUE(HasExtraColumn());
}

class RefusedResumeTest : public ResumeTest {
 protected:
  // A run stopped mid-copy, as kill -9 leaves it.
  void StopMidCopy() {
    CreateModelTable(*db_, 3000);
    RunResult killed = RunShadowalter(RunArgs(), {{"SHADOWALTER_CRASH_AT", "copy_chunk:3"}});
    ASSERT_EQ(killed.exit_code, kSigkillExit) << killed.err;
    artifacts_ = Leftovers(*db_, schema_);
    // The new table, the refusal log, the checkpoint, three triggers.
    ASSERT_EQ(artifacts_.size(), 6u);
  }
  void ExpectRefusedUntouched(const RunResult& r, const std::string& words) {
    EXPECT_EQ(r.exit_code, kRefusedExit) << r.err;
    const auto errors = ErrorLines(r.err);
    ASSERT_EQ(errors.size(), 1u) << r.err;
    EXPECT_NE(errors[0].find(words), std::string::npos) << errors[0];
    EXPECT_FALSE(HasExtraColumn());
  }
  std::vector<std::string> artifacts_;
};

TEST_F(RefusedResumeTest, ATriggerDroppedByHand) {
  StopMidCopy();
  Exec(*db_, "DROP TRIGGER sa_t_upd");
  ExpectRefusedUntouched(RunShadowalter(Command("resume")), "is gone");
  EXPECT_EQ(Leftovers(*db_, schema_).size(), 5u);
  RunResult status = RunShadowalter(Command("status"));
  EXPECT_NE(status.out.find("2 of 3 present"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("can't be resumed"), std::string::npos) << status.out;
  EXPECT_EQ(status.exit_code, 3) << "exit 3: a person must look\n" << status.err;
}

TEST_F(RefusedResumeTest, ADifferentAlter) {
  StopMidCopy();
  ExpectRefusedUntouched(RunShadowalter({"--alter", "ADD COLUMN other INT", "--execute", "--resume",
                                         PrimaryDsn(schema_, "t")}),
                         "different ALTER");
  EXPECT_EQ(Leftovers(*db_, schema_), artifacts_);
}

TEST_F(RefusedResumeTest, TheNewTableChanged) {
  StopMidCopy();
  Exec(*db_, "ALTER TABLE _t_new ADD COLUMN sneaky INT");
  ExpectRefusedUntouched(RunShadowalter(Command("resume")), "changed since");
  EXPECT_EQ(Leftovers(*db_, schema_), artifacts_);
}

TEST_F(RefusedResumeTest, APlainRunWithoutResume) {
  StopMidCopy();
  ExpectRefusedUntouched(RunShadowalter(RunArgs()), "shadowalter resume");
  EXPECT_EQ(Leftovers(*db_, schema_), artifacts_);
}

TEST_F(ResumeTest, ResumeWithNothingStoppedIsRefused) {
  CreateModelTable(*db_, 10);
  RunResult r = RunShadowalter(Command("resume"));
  EXPECT_EQ(r.exit_code, kRefusedExit) << r.err;
  EXPECT_NE(r.err.find("no stopped run"), std::string::npos) << r.err;
  EXPECT_TRUE(Leftovers(*db_, schema_).empty());
}

}  // namespace
}  // namespace shadowalter::testing
