// The verifier against scripted sessions: the statements it sends per chunk, that agreeing ranges
// pass, that a differing one is looked at again in one snapshot and narrowed to the first
// differing row, and that two sessions compare two consecutive ranges at once. The statement
// texts come from the sql/ builders the verifier uses (tested in tests/unit/sql/).
#include "verify/verifier.h"

#include <gtest/gtest.h>

#include <csignal>
#include <optional>
#include <string>
#include <vector>

#include "db/errors.h"
#include "db/scripted_session.h"
#include "sql/ddl.h"
#include "test_tables.h"

namespace shadowalter {
namespace {

using namespace test_tables;

KeyTuple K(const std::string& v) { return KeyTuple{v}; }

class VerifierTest : public ::testing::Test {
 protected:
  VerifierTest() {
    source_ = Table("shop", "orders", {Col("id", "bigint"), Col("customer", "varchar")},
                    {Primary({"id"})});
    shadow_ = Table("shop", "_orders_new", {Col("id", "bigint"), Col("customer", "varchar")},
                    {Primary({"id"})});
    spec_.schema = "shop";
    spec_.table = "orders";
    spec_.shadow_table = "_orders_new";
    spec_.columns = SamePairs(source_);
    spec_.key = Key("PRIMARY", {Col("id", "bigint")});
    plan_ = PlanComparison(spec_.columns, source_, shadow_);
  }

  std::string Compare(const ChunkRange& range) const {
    return CompareRangeQuery(spec_, plan_, source_, shadow_, range);
  }
  std::string FirstDifference(const ChunkRange& range) const {
    return FirstDifferenceQuery(spec_, plan_, source_, shadow_, range);
  }

  // The chunk's end, read before it is compared.
  void ExpectBound(ScriptedSession& s, std::optional<KeyTuple> after, uint64_t rows,
                   std::optional<KeyTuple> through) {
    ScriptedRows bound;
    if (through) bound.push_back({(*through)[0]});
    s.Expect(NthKeyAfter(spec_, after, rows)).Returns(bound);
  }

  Verifier Make(ScriptedSession& s, Session* shadow_reader = nullptr,
                std::function<Status()> before_chunk = nullptr) {
    return Verifier(s, shadow_reader, spec_, plan_, source_, shadow_, ChunkSizer::Fixed(100),
                    std::move(before_chunk), stop_);
  }

  TableInfo source_, shadow_;
  CopySpec spec_;
  ComparisonPlan plan_;
  StopFlag stop_;
};

TEST_F(VerifierTest, AgreeingChunksPass) {
  ScriptedSession s;
  s.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  ExpectBound(s, std::nullopt, 100, K("100"));
  s.Expect(Compare({std::nullopt, K("100")})).Returns({{"100", "100", "100"}});
  ExpectBound(s, K("100"), 100, std::nullopt);
  s.Expect(Compare({K("100"), std::nullopt})).Returns({{"20", "20", "20"}});

  int throttled = 0;
  Verifier v = Make(s, nullptr, [&] {
    ++throttled;
    return Status::Ok();
  });
  std::vector<uint64_t> compared;
  Status st = v.Run([&](const VerifyProgress& p) { compared.push_back(p.rows_compared); });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(compared, (std::vector<uint64_t>{100, 120}));
  EXPECT_EQ(throttled, 2);
}

TEST_F(VerifierTest, AnEmptyTableAgrees) {
  ScriptedSession s;
  s.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  ExpectBound(s, std::nullopt, 100, std::nullopt);
  s.Expect(Compare({std::nullopt, std::nullopt})).Returns({{"0", "0", "0"}});
  VerifyProgress last;
  ASSERT_TRUE(Make(s).Run([&](const VerifyProgress& p) { last = p; }).ok());
  EXPECT_EQ(last.rows_compared, 0u);
  EXPECT_EQ(last.chunks, 1u);
}

TEST_F(VerifierTest, ADifferingRowIsNamedWithTheServersReason) {
  ScriptedSession s;
  const ChunkRange range{std::nullopt, std::nullopt};
  s.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  ExpectBound(s, std::nullopt, 100, std::nullopt);
  // Every row has a counterpart, one of them differs.
  s.Expect(Compare(range)).Returns({{"3", "2", "3"}});
  s.Expect("START TRANSACTION WITH CONSISTENT SNAPSHOT");
  s.Expect(FirstDifference(range)).Returns({{"2", "1"}});
  // The diagnosis writes the row again inside a savepoint it always rolls back.
  s.Expect("SAVEPOINT sa_diagnose");
  s.Expect(ClearRowInShadow(spec_, K("2")));
  s.Expect(CopyRow(spec_, K("2"))).Fails(ServerError(1062, "Duplicate entry 'x' for key 'u'"));
  s.Expect("ROLLBACK TO SAVEPOINT sa_diagnose");
  s.Expect("COMMIT");
  s.Expect("ROLLBACK");
  Verifier v = Make(s);
  Status st = v.Run(nullptr);
  EXPECT_EQ(st.code(), Code::kDataLoss);
  EXPECT_EQ(st.message(),
            "verification failed in keys after the start through the end: row (2) differs between "
            "the tables: the new table refuses the original's row: Duplicate entry 'x' for key "
            "'u' (error 1062)");
}

TEST_F(VerifierTest, ARowMissingFromTheNewTableIsNamed) {
  ScriptedSession s;
  const ChunkRange range{K("100"), K("200")};
  s.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  ExpectBound(s, std::nullopt, 100, K("100"));
  s.Expect(Compare({std::nullopt, K("100")})).Returns({{"100", "100", "100"}});
  ExpectBound(s, K("100"), 100, K("200"));
  s.Expect(Compare(range)).Returns({{"100", "99", "99"}});
  s.Expect("START TRANSACTION WITH CONSISTENT SNAPSHOT");
  s.Expect(FirstDifference(range)).Returns({{"150", "0"}});
  // Written again without complaint: the message names the row and no reason.
  s.Expect("SAVEPOINT sa_diagnose");
  s.Expect(ClearRowInShadow(spec_, K("150")));
  s.Expect(CopyRow(spec_, K("150")));
  s.Expect("ROLLBACK TO SAVEPOINT sa_diagnose");
  s.Expect("COMMIT");
  s.Expect("ROLLBACK");
  Verifier v = Make(s);
  Status st = v.Run(nullptr);
  EXPECT_EQ(st.code(), Code::kDataLoss);
  EXPECT_EQ(st.message(),
            "verification failed in keys after (100) through (200): row (150) is missing from the "
            "new table");
}

TEST_F(VerifierTest, ARowOnlyInTheNewTableIsNamed) {
  ScriptedSession s;
  const ChunkRange range{std::nullopt, std::nullopt};
  s.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  ExpectBound(s, std::nullopt, 100, std::nullopt);
  // Every original row matched, one row too many in the new table's range.
  s.Expect(Compare(range)).Returns({{"1", "1", "2"}});
  s.Expect("START TRANSACTION WITH CONSISTENT SNAPSHOT");
  s.Expect(FirstDifference(range)).Returns({});
  s.Expect(FirstExtraRowQuery(spec_, range)).Returns({{"7"}});
  s.Expect("COMMIT");
  s.Expect("ROLLBACK");
  Status st = Make(s).Run(nullptr);
  EXPECT_EQ(st.code(), Code::kDataLoss);
  EXPECT_NE(st.message().find("row (7) is in the new table but not the original"),
            std::string::npos)
      << st.message();
}

TEST_F(VerifierTest, ADifferenceThatASecondLookCannotPlaceStillFails) {
  ScriptedSession s;
  const ChunkRange range{std::nullopt, std::nullopt};
  s.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  ExpectBound(s, std::nullopt, 100, std::nullopt);
  s.Expect(Compare(range)).Returns({{"5", "4", "5"}});
  s.Expect("START TRANSACTION WITH CONSISTENT SNAPSHOT");
  s.Expect(FirstDifference(range)).Returns({});
  s.Expect(FirstExtraRowQuery(spec_, range)).Returns({});
  s.Expect("COMMIT");
  s.Expect("ROLLBACK");
  Status st = Make(s).Run(nullptr);
  EXPECT_EQ(st.code(), Code::kDataLoss);
  EXPECT_NE(st.message().find("found no single differing row"), std::string::npos) << st.message();
}

TEST_F(VerifierTest, TwoSessionsCompareTwoRangesAtOnce) {
  ScriptedSession s("first");
  ScriptedSession second("second");
  s.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  second.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  // The sizer's 100 rows are split in two ranges of 50, the second on the second session.
  ExpectBound(s, std::nullopt, 50, K("50"));
  ExpectBound(s, K("50"), 50, K("100"));
  s.Expect(Compare({std::nullopt, K("50")})).Returns({{"50", "50", "50"}});
  second.Expect(Compare({K("50"), K("100")})).Returns({{"50", "50", "50"}});
  ExpectBound(s, K("100"), 50, std::nullopt);
  s.Expect(Compare({K("100"), std::nullopt})).Returns({{"7", "7", "7"}});
  VerifyProgress last;
  Status st = Make(s, &second).Run([&](const VerifyProgress& p) { last = p; });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(last.rows_compared, 107u);
  EXPECT_EQ(last.chunks, 3u);
}

TEST_F(VerifierTest, ADifferenceInTheSecondSessionsRangeIsNarrowedThere) {
  ScriptedSession s("first");
  ScriptedSession second("second");
  const ChunkRange range{K("50"), K("100")};
  s.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  second.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  ExpectBound(s, std::nullopt, 50, K("50"));
  ExpectBound(s, K("50"), 50, K("100"));
  s.Expect(Compare({std::nullopt, K("50")})).Returns({{"50", "50", "50"}});
  second.Expect(Compare(range)).Returns({{"50", "49", "50"}});
  s.Expect("START TRANSACTION WITH CONSISTENT SNAPSHOT");
  s.Expect(FirstDifference(range)).Returns({{"77", "1"}});
  s.Expect("SAVEPOINT sa_diagnose");
  s.Expect(ClearRowInShadow(spec_, K("77")));
  s.Expect(CopyRow(spec_, K("77")));
  s.Expect("ROLLBACK TO SAVEPOINT sa_diagnose");
  s.Expect("COMMIT");
  s.Expect("ROLLBACK");
  Status st = Make(s, &second).Run(nullptr);
  EXPECT_EQ(st.code(), Code::kDataLoss);
  EXPECT_EQ(st.message(),
            "verification failed in keys after (50) through (100): row (77) differs between the "
            "tables");
}

TEST_F(VerifierTest, AChunkWhoseReadTimedOutIsComparedAgain) {
  ScriptedSession s;
  const ChunkRange range{std::nullopt, std::nullopt};
  s.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  ExpectBound(s, std::nullopt, 100, std::nullopt);
  s.Expect(Compare(range)).Fails(ServerError(1205, "Lock wait timeout exceeded"));
  s.Expect("ROLLBACK");
  ExpectBound(s, std::nullopt, 100, std::nullopt);
  s.Expect(Compare(range)).Returns({{"4", "4", "4"}});
  VerifyProgress last;
  Status st = Make(s).Run([&](const VerifyProgress& p) { last = p; });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(last.lock_retries, 1u);
  EXPECT_EQ(last.rows_compared, 4u);
}

TEST_F(VerifierTest, StopsBeforeTheNextChunk) {
  ScriptedSession s;
  s.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  ExpectBound(s, std::nullopt, 100, K("100"));
  s.Expect(Compare({std::nullopt, K("100")})).Returns({{"100", "100", "100"}}).Then([&] {
    stop_.Request(SIGINT);
  });
  s.Expect("ROLLBACK");
  Status st = Make(s).Run(nullptr);
  EXPECT_EQ(st.code(), Code::kAborted);
  EXPECT_EQ(st.message(), "stopped by SIGINT");
}

}  // namespace
}  // namespace shadowalter
