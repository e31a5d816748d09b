// Type changes across TIMESTAMP on a server whose time zone is not UTC: every value must end up
// as a native ALTER TABLE in a default session (the server's global time_zone) stores it, whether
// the copy or a trigger wrote it, and verification must catch a row that does not. Each test sets
// the global time_zone for a moment, which every other session started meanwhile would see, so
// they run alone (serial/) and put it back whatever happens.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

// The ALTERs compared here, applied to `t` by shadowalter and natively to a copy of it.
constexpr const char* kIntoTimestamp =
    "MODIFY dt TIMESTAMP NOT NULL DEFAULT '2001-01-01 00:00:00', MODIFY d TIMESTAMP NULL, "
    "MODIFY dt6 TIMESTAMP(3) NULL";
constexpr const char* kOutOfTimestamp =
    "MODIFY ts DATETIME NOT NULL, MODIFY ts3 DATETIME(3) NULL, MODIFY ts6 VARCHAR(40) NULL";

class TimeZoneTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    global_ = ConnectPrimary();
    original_zone_ = Scalar(*global_, "SELECT @@global.time_zone");
    Exec(*global_, "SET GLOBAL time_zone = '+05:00'");
  }
  void TearDown() override {
    if (global_) Exec(*global_, "SET GLOBAL time_zone = '" + original_zone_ + "'");
    SandboxTest::TearDown();
  }

  // A session as an application gets it: the server's defaults, then `zone` if given.
  std::unique_ptr<Session> DefaultSession(const std::string& zone = "") {
    auto s = ConnectPrimary(schema_);
    Exec(*s, "SET SESSION time_zone = @@global.time_zone, sql_mode = @@global.sql_mode");
    if (!zone.empty()) Exec(*s, "SET SESSION time_zone = '" + zone + "'");
    return s;
  }

  // `native` := a copy of `from`'s rows, altered by ALTER TABLE in a default session.
  void NativeAlter(const std::string& from, const std::string& alter) {
    auto s = DefaultSession();
    Exec(*s, "CREATE TABLE native LIKE " + from);
    Exec(*s, "INSERT INTO native SELECT * FROM " + from);
    Exec(*s, "ALTER TABLE native " + alter);
  }

  // Rows as text in the test's own session (time_zone '+00:00': a TIMESTAMP reads as its exact
  // instant, so any shift shows).
  std::vector<std::string> AllRows(const std::string& table, const std::string& columns) {
    return Rows(*db_, "SELECT id, " + columns + " FROM " + table + " ORDER BY id");
  }

  void CreateDatetimeTable() {
    Exec(*db_,
         "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, dt DATETIME NOT NULL, d DATE NULL, "
         "dt6 DATETIME(6) NULL)");
    Exec(*db_,
         "INSERT INTO t VALUES (1, '2024-01-15 08:30:00', '2024-01-15', '2024-01-15 "
         "08:30:00.123456'),"
         " (2, '1970-01-01 05:00:01', '1970-01-02', '2038-01-19 03:14:07.999999'),"
         " (3, '2024-07-01 00:00:00', NULL, NULL),"
         " (4, '2024-12-31 23:59:59', '2000-02-29', '0000-00-00 00:00:00')");
    Exec(*db_,
         "INSERT INTO t SELECT seq, '2020-03-01 04:00:00' + INTERVAL seq MINUTE, "
         "'2020-03-01' + INTERVAL seq DAY, '2020-03-01 04:00:00.5' + INTERVAL seq SECOND "
         "FROM seq_10_to_2000");
  }

  std::unique_ptr<Session> global_;
  std::string original_zone_ = "SYSTEM";
};

TEST_F(TimeZoneTest, DatetimeIntoTimestampStoresWhatANativeAlterStores) {
  CreateDatetimeTable();
  NativeAlter("t", kIntoTimestamp);
  RunResult r = RunShadowalter({"--alter", kIntoTimestamp, "--execute", "--no-attempt-instant",
                                "--chunk-size", "300", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Scalar(*db_,
                   "SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME = 'dt'"),
            "timestamp");
  // Spot check against the arithmetic: 08:30 at +05:00 is 03:30 UTC.
  EXPECT_EQ(Scalar(*db_, "SELECT dt FROM t WHERE id = 1"), "2024-01-15 03:30:00");
  EXPECT_EQ(AllRows("t", "dt, d, dt6"), AllRows("native", "dt, d, dt6"));
}

TEST_F(TimeZoneTest, TimestampOutOfTimestampStoresWhatANativeAlterStores) {
  Exec(*db_,
       "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, ts TIMESTAMP NOT NULL DEFAULT "
       "'2001-01-01 00:00:00', ts3 TIMESTAMP(3) NULL, ts6 TIMESTAMP(6) NULL)");
  // Written in the test's UTC session: the instants are what they say.
  Exec(*db_,
       "INSERT INTO t VALUES (1, '2024-01-15 03:30:00', '2024-01-15 23:59:59.999', "
       "'2024-01-15 20:00:00.000001'), (2, '1970-01-01 00:00:01', NULL, NULL), "
       "(3, '2038-01-19 03:14:07', '2000-01-01 00:00:00', '0000-00-00 00:00:00')");
  Exec(*db_,
       "INSERT INTO t SELECT seq, '2020-03-01 21:00:00' + INTERVAL seq MINUTE, "
       "'2020-03-01 21:00:00.25' + INTERVAL seq SECOND, NULL FROM seq_10_to_2000");
  NativeAlter("t", kOutOfTimestamp);
  RunResult r = RunShadowalter({"--alter", kOutOfTimestamp, "--execute", "--no-attempt-instant",
                                "--chunk-size", "300", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Scalar(*db_, "SELECT ts FROM t WHERE id = 1"), "2024-01-15 08:30:00");
  EXPECT_EQ(AllRows("t", "ts, ts3, ts6"), AllRows("native", "ts, ts3, ts6"));
}

// An application whose sessions run at -03:00 writes DATETIME values all through the copy and
// the verification, and again while the swap is held: the rows the triggers wrote must hold what
// a native ALTER in the server's default zone would make of them.
TEST_F(TimeZoneTest, TriggerWritesFromAnotherSessionZoneMatchANativeAlter) {
  CreateDatetimeTable();
  std::atomic<bool> stop{false};
  std::atomic<int> writes{0};
  auto write = [&](Session& s, std::mt19937& rng, int& next_id) {
    const std::string when =
        "'2024-03-10 12:00:00' + INTERVAL " + std::to_string(rng() % 100000) + " MINUTE";
    std::string sql;
    if (rng() % 2 == 0) {
      sql = "INSERT INTO t VALUES (" + std::to_string(next_id++) + ", " + when + ", DATE(" + when +
            "), " + when + " + INTERVAL 0.25 SECOND)";
    } else {
      sql = "UPDATE t SET dt = " + when + ", d = DATE(" + when + "), dt6 = " + when +
            " WHERE id = " + std::to_string(10 + rng() % 1990);
    }
    if (s.Execute(sql).ok()) writes++;
  };
  std::thread writer([&] {
    auto s = DefaultSession("-03:00");
    std::mt19937 rng(11);
    int next_id = 100000;
    while (!stop) {
      write(*s, rng, next_id);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  const std::string hold = ::testing::TempDir() + "/time_zone_hold";
  Background bg;
  const bool held =
      StartHeldAtCutover({"--alter", kIntoTimestamp, "--execute", "--no-attempt-instant",
                          "--no-drop-old-table", "--chunk-size", "100", PrimaryDsn(schema_, "t")},
                         hold, bg);
  stop = true;
  writer.join();
  // Copied and verified: from here on only the triggers carry writes into the new table.
  {
    auto s = DefaultSession("-03:00");
    std::mt19937 rng(12);
    int next_id = 200000;
    for (int i = 0; i < 200; ++i) write(*s, rng, next_id);
  }
  std::remove(hold.c_str());
  RunResult r = WaitShadowalter(bg);
  ASSERT_TRUE(held) << r.err;
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(writes.load(), 200);
  // _t_old is the original as the application left it.
  NativeAlter("_t_old", kIntoTimestamp);
  EXPECT_EQ(AllRows("t", "dt, d, dt6"), AllRows("native", "dt, d, dt6"));
}

// A new table holding what a copy in the wrong zone stores (each DATETIME read as UTC) is caught
// by `shadowalter verify`: it does not read both sides in a zone that hides the shift.
TEST_F(TimeZoneTest, VerificationCatchesAValueShiftedByTheZone) {
  CreateDatetimeTable();
  const std::string dsn = PrimaryDsn(schema_, "t");
  RunResult killed = RunShadowalter(
      {"--alter", kIntoTimestamp, "--execute", "--no-attempt-instant", "--no-verify", dsn},
      {{"SHADOWALTER_CRASH_AT", "copied"}});
  ASSERT_TRUE(TableExists(*db_, "_t_new")) << killed.err;
  RunResult agree = RunShadowalter({"verify", "--alter", kIntoTimestamp, dsn});
  EXPECT_EQ(agree.exit_code, 0) << agree.err;
  // The test's session is at +00:00: assigning the DATETIME reads it as UTC.
  Exec(*db_, "UPDATE _t_new n JOIN t o ON o.id = n.id SET n.dt = o.dt WHERE n.id = 1000");
  RunResult caught = RunShadowalter({"verify", "--alter", kIntoTimestamp, dsn});
  EXPECT_NE(caught.exit_code, 0) << caught.err;
  EXPECT_NE(caught.err.find("row (1000) differs"), std::string::npos) << caught.err;
  EXPECT_EQ(RunShadowalter({"cleanup", dsn}).exit_code, 0);
}

}  // namespace
}  // namespace shadowalter::testing
