// The copy phase's own decisions against scripted sessions: where it starts (a fresh run, a
// stopped run's position, a stopped run that had copied everything), carrying on after a lost
// connection from the last committed chunk, and the checkpoint position after each chunk. The
// statements of a chunk are the Copier's (tests/unit/copy/copier_test.cc).
#include "migration/row_copy.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "copy/copy_script.h"
#include "db/scripted_session.h"
#include "sql/ddl.h"
#include "test_tables.h"

namespace shadowalter {
namespace {

using namespace test_tables;
using namespace copy_script;

// A RowCopy over Orders with fixed chunks of 100 rows, its hooks handing out `sessions` in
// order and recording what they were asked.
struct Fixture {
  Config config;
  CopySpec spec = Orders();
  RunRecord record{"shop", "_orders_state", "0123456789abcdef"};
  NullEventSink events;
  RunReport report{events};
  StopFlag stop;
  std::vector<std::unique_ptr<ScriptedSession>> sessions;  // handed out front first
  size_t opened = 0;
  std::vector<std::string> reconnected_after;  // the messages reconnect was given
  std::vector<std::pair<KeyTuple, uint64_t>> positions;

  Fixture() {
    config.chunk_size = 100;
    config.chunk_size_fixed = true;
    config.threads = 1;
    // Fixed transactions: the adaptive sizing's statements are the Copier's own test's.
    config.max_rows_per_transaction = 0;
  }
  ScriptedSession& AddSession() {
    sessions.push_back(std::make_unique<ScriptedSession>());
    return *sessions.back();
  }
  std::unique_ptr<Session> Next() {
    EXPECT_LT(opened, sessions.size()) << "more sessions opened than scripted";
    return std::move(sessions.at(opened++));
  }
  RowPhaseHooks Hooks() {
    RowPhaseHooks h;
    h.open_session = [this]() -> StatusOr<std::unique_ptr<Session>> { return Next(); };
    h.between_chunks = [] { return Status::Ok(); };
    h.reconnect = [this](const Status& lost) -> StatusOr<std::unique_ptr<Session>> {
      reconnected_after.push_back(lost.message());
      return Next();
    };
    return h;
  }
  Status Run() {
    RowCopy copy(config, spec, 150, record, nullptr, report, stop, Hooks(),
                 [this](const KeyTuple& p, uint64_t rows) { positions.emplace_back(p, rows); });
    return copy.Run();
  }
};

TEST(RowCopyTest, AFreshRunCopiesFromTheFirstKeyAndRecordsEachChunk) {
  Fixture f;
  ScriptedSession& s = f.AddSession();
  ExpectPrepare(s);
  ExpectChunk(s, f.spec, std::nullopt, 100, K("100"), 100);
  ExpectChunk(s, f.spec, K("100"), 100, std::nullopt, 50);
  ASSERT_TRUE(f.Run().ok());
  ASSERT_EQ(f.positions.size(), 2u);
  EXPECT_EQ(f.positions[0], std::make_pair(K("100"), uint64_t{100}));
  EXPECT_EQ(f.positions[1].second, 150u);
  EXPECT_EQ(f.report.copy_progress().rows_copied, 150u);
  EXPECT_TRUE(f.reconnected_after.empty());
}

TEST(RowCopyTest, AResumedRunStartsAfterTheStoppedRunsPosition) {
  Fixture f;
  Checkpoint stopped;
  stopped.phase = RunPhase::kCopying;
  stopped.position = K("100");
  stopped.rows_copied = 100;
  f.record.Resume(stopped);
  ScriptedSession& s = f.AddSession();
  ExpectPrepare(s);
  ExpectChunk(s, f.spec, K("100"), 100, std::nullopt, 50);
  ASSERT_TRUE(f.Run().ok());
  EXPECT_EQ(f.report.copy_progress().rows_copied, 150u);
}

TEST(RowCopyTest, AStoppedRunThatCopiedEverythingCopiesNothing) {
  Fixture f;
  Checkpoint stopped;
  stopped.phase = RunPhase::kVerified;
  stopped.rows_copied = 150;
  f.record.Resume(stopped);
  ASSERT_TRUE(f.Run().ok());
  EXPECT_EQ(f.opened, 0u);  // no session, no statement
  EXPECT_EQ(f.report.copy_progress().rows_copied, 150u);
}

TEST(RowCopyTest, ALostConnectionCarriesOnAfterTheLastCommittedChunk) {
  Fixture f;
  ScriptedSession& first = f.AddSession();
  ExpectPrepare(first);
  ExpectChunk(first, f.spec, std::nullopt, 100, K("100"), 100);
  first.Expect("START TRANSACTION").Fails(Status(Code::kConnection, "Lost connection", 2013));
  first.Expect("ROLLBACK");
  ScriptedSession& second = f.AddSession();
  ExpectPrepare(second);
  ExpectChunk(second, f.spec, K("100"), 100, std::nullopt, 50);
  ASSERT_TRUE(f.Run().ok());
  ASSERT_EQ(f.reconnected_after.size(), 1u);
  EXPECT_NE(f.reconnected_after[0].find("Lost connection"), std::string::npos)
      << f.reconnected_after[0];
  EXPECT_EQ(f.report.copy_progress().rows_copied, 150u);
}

TEST(RowCopyTest, AnotherErrorEndsTheCopyWithoutReconnecting) {
  Fixture f;
  ScriptedSession& s = f.AddSession();
  ExpectPrepare(s);
  s.Expect("START TRANSACTION").Fails(Status(Code::kServer, "Table 'shop.orders' is full", 1114));
  s.Expect("ROLLBACK");
  Status st = f.Run();
  EXPECT_EQ(st.server_errno(), 1114u);
  EXPECT_TRUE(f.reconnected_after.empty());
  EXPECT_TRUE(f.positions.empty());
}

}  // namespace
}  // namespace shadowalter
