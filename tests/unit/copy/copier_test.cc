// The chunk loop (Copier) and one copy transaction (RangeCopier) against a scripted session: the
// statements each sends, in order, and what they do with lock conflicts, errors and a stop. The
// expected statements are built with the same sql/chunk.h builders the code uses; their text has
// its own tests (tests/unit/sql/chunk_test.cc).
#include "copy/copier.h"

#include <gtest/gtest.h>

#include <csignal>
#include <optional>
#include <string>
#include <vector>

#include "copy/copy_script.h"
#include "copy/range_copier.h"
#include "db/errors.h"
#include "db/scripted_session.h"
#include "sql/ddl.h"
#include "sql/status_queries.h"
#include "test_tables.h"

namespace shadowalter {
namespace {

using namespace test_tables;
using namespace copy_script;

CopyOptions Options() {
  CopyOptions o;
  o.rows_per_insert = 500;
  o.rows_per_transaction = 1000;
  return o;
}

// ------------------------------------------------------------------------------------- Copier

TEST(CopierTest, CopiesChunkByChunkToTheTableEnd) {
  const CopySpec spec = Orders();
  ScriptedSession s;
  ExpectPrepare(s);
  ExpectChunk(s, spec, std::nullopt, 100, K("100"), 100);
  // The last chunk: fewer rows than asked for remain, so no bound comes back. Two rows the
  // triggers wrote meanwhile are cleared from the new table first; the open-ended range's size
  // is unknown, so where its first INSERT would end is looked up (nothing: one INSERT does it).
  s.Expect("START TRANSACTION");
  s.Expect(LockNextChunk(spec, K("100"), 100));
  const ChunkRange last{K("100"), std::nullopt};
  s.Expect(ShadowKeysInRange(spec, last)).Returns({{"120"}, {"130"}});
  s.Expect(ClearRowsInShadow(spec, {K("120"), K("130")}));
  s.Expect(NthKeyInRange(spec, last, 500));
  s.Expect(CopyChunk(spec, last)).Affects(42);
  s.Expect("COMMIT");

  StopFlag stop;
  CopyOptions options = Options();
  int throttled = 0;
  options.before_chunk = [&] {
    ++throttled;
    return Status::Ok();
  };
  Copier copier(s, spec, ChunkSizer::Fixed(100), options, stop);
  std::vector<uint64_t> reported;
  Status st = copier.Run([&](const CopyProgress& p) { reported.push_back(p.rows_copied); });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(throttled, 2);
  EXPECT_EQ(reported, (std::vector<uint64_t>{100, 142}));
  EXPECT_EQ(copier.progress().rows_copied, 142u);
  EXPECT_EQ(copier.progress().chunks, 2u);
  EXPECT_EQ(copier.progress().last_chunk_rows, 42u);
  EXPECT_EQ(copier.progress().lock_conflicts, 0u);
  EXPECT_EQ(copier.progress().position, K("100"));
}

// Adaptive transactions: each grows by a step while no lock wait began on the server since the
// one before and nobody else wrote a row, and halves when one did.
TEST(CopierTest, TransactionsGrowWhileNobodyWaitsAndHalveWhenSomeoneDid) {
  const CopySpec spec = Orders();
  ScriptedSession s;
  const std::string counters = GlobalStatusQuery(
      {"Innodb_row_lock_waits", "Handler_write", "Handler_update", "Handler_delete"});
  // The counters as the server returns them: waits, and rows written split over three.
  auto counted = [](const char* waits, const char* written) -> ScriptedRows {
    return {{"Handler_delete", "0"},
            {"Handler_update", "0"},
            {"Handler_write", written},
            {"Innodb_row_lock_waits", waits}};
  };
  ExpectPrepare(s);
  s.Expect(counters).Returns(counted("7", "100"));
  // 1000 rows in two INSERTs of 500.
  s.Expect("START TRANSACTION");
  s.Expect(LockNextChunk(spec, std::nullopt, 1000)).Returns({{"1000"}});
  s.Expect(ShadowKeysInRange(spec, {std::nullopt, K("1000")}));
  s.Expect(NthKeyInRange(spec, {std::nullopt, K("1000")}, 500)).Returns({{"500"}});
  s.Expect(CopyChunk(spec, {std::nullopt, K("500")})).Affects(500);
  s.Expect(CopyChunk(spec, {K("500"), K("1000")})).Affects(500);
  s.Expect("COMMIT");
  // Nobody waited and only the copy wrote: both grow.
  s.Expect(counters).Returns(counted("7", "1100"));
  // 2000 rows in two INSERTs of 1000.
  s.Expect("START TRANSACTION");
  s.Expect(LockNextChunk(spec, K("1000"), 2000)).Returns({{"3000"}});
  s.Expect(ShadowKeysInRange(spec, {K("1000"), K("3000")}));
  s.Expect(NthKeyInRange(spec, {K("1000"), K("3000")}, 1000)).Returns({{"2000"}});
  s.Expect(CopyChunk(spec, {K("1000"), K("2000")})).Affects(1000);
  s.Expect(CopyChunk(spec, {K("2000"), K("3000")})).Affects(1000);
  s.Expect("COMMIT");
  // Two waits (and 3 rows written by others): both halve.
  s.Expect(counters).Returns(counted("9", "3103"));
  // 1000 rows asked for; the table ends.
  s.Expect("START TRANSACTION");
  s.Expect(LockNextChunk(spec, K("3000"), 1000));
  s.Expect(ShadowKeysInRange(spec, {K("3000"), std::nullopt}));
  s.Expect(NthKeyInRange(spec, {K("3000"), std::nullopt}, 500));
  s.Expect(CopyChunk(spec, {K("3000"), std::nullopt})).Affects(20);
  s.Expect("COMMIT");
  s.Expect(counters).Returns(counted("9", "3123"));

  StopFlag stop;
  CopyOptions options = Options();
  options.max_rows_per_transaction = 5000;
  Copier copier(s, spec, ChunkSizer::Fixed(100000), options, stop);
  ASSERT_TRUE(copier.Run(nullptr).ok());
  const CopyProgress& p = copier.progress();
  EXPECT_EQ(p.rows_copied, 3020u);
  EXPECT_EQ(p.transactions, 3u);
  EXPECT_EQ(p.transaction_rows_min, 1000u);
  EXPECT_EQ(p.transaction_rows_max, 2000u);
  EXPECT_EQ(p.transaction_shrinks, 1u);
  EXPECT_EQ(p.transaction_rows, 2000u);  // the last one met no wait
  EXPECT_GT(p.step_seconds.insert, 0.0);
}

TEST(CopierTest, StartsAfterAResumedPosition) {
  const CopySpec spec = Orders();
  ScriptedSession s;
  ExpectPrepare(s);
  ExpectChunk(s, spec, K("5000"), 100, std::nullopt, 7);
  StopFlag stop;
  CopyOptions options = Options();
  options.start_after = K("5000");
  CopyProgress earlier;
  earlier.rows_copied = 5000;
  earlier.position = K("5000");
  Copier copier(s, spec, ChunkSizer::Fixed(100), options, stop, earlier);
  ASSERT_TRUE(copier.Run(nullptr).ok());
  EXPECT_EQ(copier.progress().rows_copied, 5007u);
  EXPECT_EQ(copier.progress().position, K("5000"));  // the last bounded key copied
}

TEST(CopierTest, RetriesAChunkAfterDeadlockAndLockWaitTimeoutWithSmallerRanges) {
  const CopySpec spec = Orders();
  ScriptedSession s;
  ExpectPrepare(s);
  // A deadlock on the locking read: rolled back; the adaptive sizer halves the chunk.
  s.Expect("START TRANSACTION");
  s.Expect(LockNextChunk(spec, std::nullopt, 100)).Fails(ServerError(1213, "Deadlock found"));
  s.Expect("ROLLBACK");
  // A lock wait timeout on the INSERT: rolled back, halved again.
  s.Expect("START TRANSACTION");
  s.Expect(LockNextChunk(spec, std::nullopt, 50)).Returns({{"50"}});
  s.Expect(ShadowKeysInRange(spec, {std::nullopt, K("50")}));
  s.Expect(CopyChunk(spec, {std::nullopt, K("50")}))
      .Fails(ServerError(1205, "Lock wait timeout exceeded"));
  s.Expect("ROLLBACK");
  // Then it goes through, from the same place.
  ExpectChunk(s, spec, std::nullopt, 25, std::nullopt, 20);

  StopFlag stop;
  Copier copier(s, spec, ChunkSizer(100, 0.5), Options(), stop);
  Status st = copier.Run(nullptr);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(copier.progress().lock_conflicts, 2u);
  EXPECT_EQ(copier.progress().rows_copied, 20u);
  EXPECT_EQ(copier.progress().chunks, 1u);
}

TEST(CopierTest, GivesUpAfterTheConfiguredNumberOfConflicts) {
  const CopySpec spec = Orders();
  ScriptedSession s;
  ExpectPrepare(s);
  for (int i = 0; i < 3; ++i) {
    s.Expect("START TRANSACTION");
    s.Expect(LockNextChunk(spec, std::nullopt, 100)).Fails(ServerError(1213, "Deadlock found"));
    s.Expect("ROLLBACK");
  }
  StopFlag stop;
  CopyOptions options = Options();
  options.max_conflicts_per_chunk = 3;
  Copier copier(s, spec, ChunkSizer::Fixed(100), options, stop);
  Status st = copier.Run(nullptr);
  EXPECT_EQ(st.server_errno(), 1213u);
  EXPECT_NE(st.message().find("stayed locked by other transactions through 3 tries"),
            std::string::npos)
      << st.message();
  EXPECT_EQ(copier.progress().lock_conflicts, 3u);
  EXPECT_EQ(copier.progress().rows_copied, 0u);
}

TEST(CopierTest, ALostConnectionIsNotRetried) {
  const CopySpec spec = Orders();
  ScriptedSession s;
  ExpectPrepare(s);
  s.Expect("START TRANSACTION");
  s.Expect(LockNextChunk(spec, std::nullopt, 100)).Fails(ServerError(2013, "Lost connection"));
  s.Expect("ROLLBACK").Fails(ServerError(2006, "MySQL server has gone away"));
  StopFlag stop;
  Copier copier(s, spec, ChunkSizer::Fixed(100), Options(), stop);
  Status st = copier.Run(nullptr);
  EXPECT_TRUE(IsConnectionLost(st));
  EXPECT_EQ(st.server_errno(), 2013u);
  EXPECT_EQ(copier.progress().lock_conflicts, 0u);
}

TEST(CopierTest, AConflictWhoseRollbackFailsIsNotRetried) {
  // The session may be unusable: retrying on it could copy into a half-finished transaction.
  const CopySpec spec = Orders();
  ScriptedSession s;
  ExpectPrepare(s);
  s.Expect("START TRANSACTION");
  s.Expect(LockNextChunk(spec, std::nullopt, 100)).Fails(ServerError(1213, "Deadlock found"));
  s.Expect("ROLLBACK").Fails(ServerError(2013, "Lost connection"));
  StopFlag stop;
  Copier copier(s, spec, ChunkSizer::Fixed(100), Options(), stop);
  EXPECT_EQ(copier.Run(nullptr).server_errno(), 1213u);
}

TEST(CopierTest, StopsBetweenTransactionsWhenAStopIsRequested) {
  const CopySpec spec = Orders();
  ScriptedSession s;
  StopFlag stop;
  ExpectPrepare(s);
  // The signal arrives while the first chunk commits: that chunk counts, no next one starts.
  ExpectChunk(s, spec, std::nullopt, 100, K("100"), 100).Then([&] { stop.Request(SIGTERM); });
  s.Expect("ROLLBACK");
  Copier copier(s, spec, ChunkSizer::Fixed(100), Options(), stop);
  Status st = copier.Run(nullptr);
  EXPECT_EQ(st.code(), Code::kAborted);
  EXPECT_EQ(st.message(), "stopped by SIGTERM");
  EXPECT_EQ(copier.progress().rows_copied, 100u);
  EXPECT_EQ(copier.progress().position, K("100"));
}

TEST(CopierTest, AThrottlerFailureStopsTheCopyBeforeTheChunk) {
  ScriptedSession s;
  ExpectPrepare(s);
  StopFlag stop;
  CopyOptions options = Options();
  options.before_chunk = [] { return AbortedError("critical load"); };
  Copier copier(s, Orders(), ChunkSizer::Fixed(100), options, stop);
  Status st = copier.Run(nullptr);
  EXPECT_EQ(st.code(), Code::kAborted);
  EXPECT_EQ(st.message(), "critical load");
}

// -------------------------------------------------------------------------------- RangeCopier

TEST(RangeCopierTest, SplitsALockedRangeIntoInsertsOfRowsPerInsert) {
  const CopySpec spec = Orders();
  ScriptedSession s;
  const ChunkRange range{K("0"), K("5")};
  s.Expect("START TRANSACTION");
  s.Expect(LockRange(spec, range)).Returns({{"5"}});
  s.Expect(ShadowKeysInRange(spec, range));
  // Five locked rows, two per INSERT: two lookups of where a statement ends; the last one's
  // rest fits, so it runs to the range's end without a lookup.
  s.Expect(NthKeyInRange(spec, {K("0"), K("5")}, 2)).Returns({{"2"}});
  s.Expect(CopyChunk(spec, {K("0"), K("2")})).Affects(2);
  s.Expect(NthKeyInRange(spec, {K("2"), K("5")}, 2)).Returns({{"4"}});
  s.Expect(CopyChunk(spec, {K("2"), K("4")})).Affects(2);
  s.Expect(CopyChunk(spec, {K("4"), K("5")})).Affects(1);
  s.Expect("COMMIT");
  RangeCopier copier(s, spec, 2);
  uint64_t inserted = 0;
  Status st = copier.CopyRange(range, inserted);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(inserted, 5u);
}

TEST(RangeCopierTest, RefusesToCommitWhenFewerRowsArriveThanWereLocked) {
  const CopySpec spec = Orders();
  ScriptedSession s;
  const ChunkRange range{K("0"), K("10")};
  s.Expect("START TRANSACTION");
  s.Expect(LockRange(spec, range)).Returns({{"10"}});
  s.Expect(ShadowKeysInRange(spec, range));
  s.Expect(CopyChunk(spec, range)).Affects(9);  // no COMMIT may follow
  RangeCopier copier(s, spec, 500);
  uint64_t inserted = 0;
  Status st = copier.CopyRange(range, inserted);
  EXPECT_EQ(st.code(), Code::kDataLoss);
  EXPECT_EQ(st.message(),
            "copying rows after key (0): inserted 9 rows where 10 were locked; refusing to "
            "continue");
}

TEST(RangeCopierTest, AValueThatDoesNotFitNamesTheRowByKey) {
  const CopySpec spec = Orders();
  ScriptedSession s;
  s.Expect("START TRANSACTION");
  s.Expect(LockNextChunk(spec, K("100"), 10)).Returns({{"110"}});
  s.Expect(ShadowKeysInRange(spec, {K("100"), K("110")}));
  s.Expect(CopyChunk(spec, {K("100"), K("110")}))
      .Fails(ServerError(1406, "Data too long for column 'customer' at row 7"));
  // The server counts rows from the statement's start: the 7th key after 100 is the one.
  s.Expect("ROLLBACK");
  s.Expect(NthKeyAfter(spec, K("100"), 7)).Returns({{"107"}});
  RangeCopier copier(s, spec, 500);
  std::optional<KeyTuple> next;
  uint64_t inserted = 0;
  Status st = copier.CopyNext(K("100"), 10, next, inserted);
  EXPECT_EQ(st.code(), Code::kDataLoss);
  EXPECT_EQ(
      st.message().rfind("the row with key (107) does not fit the new table: Data too long", 0), 0u)
      << st.message();
}

TEST(RangeCopierTest, AServerWarningOnTheCopyIsDataLoss) {
  const CopySpec spec = Orders();
  ScriptedSession s;
  s.Expect("START TRANSACTION");
  s.Expect(LockNextChunk(spec, std::nullopt, 10)).Returns({{"10"}});
  s.Expect(ShadowKeysInRange(spec, {std::nullopt, K("10")}));
  s.Expect(CopyChunk(spec, {std::nullopt, K("10")}))
      .Affects(10)
      .Warns({{"Note", 1003, "a note is harmless"}, {"Warning", 1265, "Data truncated for qty"}});
  RangeCopier copier(s, spec, 500);
  std::optional<KeyTuple> next;
  uint64_t inserted = 0;
  Status st = copier.CopyNext(std::nullopt, 10, next, inserted);
  EXPECT_EQ(st.code(), Code::kDataLoss);
  EXPECT_NE(st.message().find("the server warned \"Data truncated for qty\" (1265)"),
            std::string::npos)
      << st.message();
  EXPECT_EQ(s.statements().back(), "SHOW WARNINGS");
}

}  // namespace
}  // namespace shadowalter
