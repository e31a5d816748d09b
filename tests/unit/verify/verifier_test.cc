// The verifier against scripted sessions: the statements it sends per chunk, that agreeing
// checksums pass, that differing ones are compared again in one snapshot and, when they still
// differ, narrowed to the first differing row. The statement texts come from the sql/ builders
// the verifier uses (tested in tests/unit/sql/).
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
    plan_ = PlanChecksum(spec_.columns, source_, shadow_);
  }

  std::string Checksum(bool on_shadow, const ChunkRange& range) const {
    return ChecksumQuery(spec_, plan_, source_, shadow_, on_shadow, range);
  }
  std::string RowHashes(bool on_shadow, const ChunkRange& range) const {
    return RowHashQuery(spec_, plan_, source_, shadow_, on_shadow, range);
  }

  // The chunk's end, read before it is compared.
  void ExpectBound(ScriptedSession& s, std::optional<KeyTuple> after, uint64_t rows,
                   std::optional<KeyTuple> through) {
    ScriptedRows bound;
    if (through) bound.push_back({(*through)[0]});
    s.Expect(NthKeyAfter(spec_, after, rows)).Returns(bound);
  }

  // Both sides in one snapshot on `s`, answered `source` and `shadow` (count, checksum).
  void ExpectOneSnapshot(ScriptedSession& s, const ChunkRange& range, ScriptedRows source,
                         ScriptedRows shadow) {
    s.Expect("START TRANSACTION WITH CONSISTENT SNAPSHOT");
    s.Expect(Checksum(false, range)).Returns(std::move(source));
    s.Expect(Checksum(true, range)).Returns(std::move(shadow));
  }

  Verifier Make(ScriptedSession& s, Session* shadow_reader = nullptr,
                std::function<Status()> before_chunk = nullptr) {
    return Verifier(s, shadow_reader, spec_, plan_, source_, shadow_, ChunkSizer::Fixed(100),
                    std::move(before_chunk), stop_);
  }

  TableInfo source_, shadow_;
  CopySpec spec_;
  ChecksumPlan plan_;
  StopFlag stop_;
};

TEST_F(VerifierTest, AgreeingChunksPass) {
  ScriptedSession s;
  s.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  ExpectBound(s, std::nullopt, 100, K("100"));
  ExpectOneSnapshot(s, {std::nullopt, K("100")}, {{"100", "123456"}}, {{"100", "123456"}});
  s.Expect("COMMIT");
  ExpectBound(s, K("100"), 100, std::nullopt);
  ExpectOneSnapshot(s, {K("100"), std::nullopt}, {{"20", "777"}}, {{"20", "777"}});
  s.Expect("COMMIT");

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

TEST_F(VerifierTest, ADifferingRowIsNamedWithTheServersReason) {
  ScriptedSession s;
  const ChunkRange range{std::nullopt, std::nullopt};
  s.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  ExpectBound(s, std::nullopt, 100, std::nullopt);
  ExpectOneSnapshot(s, range, {{"3", "600"}}, {{"3", "601"}});
  // Narrowed in the same snapshot: row 2's hash differs.
  s.Expect(RowHashes(false, range)).Returns({{"1", "a"}, {"2", "b"}, {"3", "c"}});
  s.Expect(RowHashes(true, range)).Returns({{"1", "a"}, {"2", "X"}, {"3", "c"}});
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
  ExpectOneSnapshot(s, {std::nullopt, K("100")}, {{"100", "5"}}, {{"100", "5"}});
  s.Expect("COMMIT");
  ExpectBound(s, K("100"), 100, K("200"));
  ExpectOneSnapshot(s, range, {{"100", "9"}}, {{"99", "8"}});
  s.Expect(RowHashes(false, range)).Returns({{"150", "a"}, {"151", "b"}});
  s.Expect(RowHashes(true, range)).Returns({{"151", "b"}});
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
  ExpectOneSnapshot(s, range, {{"1", "5"}}, {{"2", "9"}});
  s.Expect(RowHashes(false, range)).Returns({{"1", "a"}});
  s.Expect(RowHashes(true, range)).Returns({{"1", "a"}, {"7", "b"}});
  s.Expect("COMMIT");
  s.Expect("ROLLBACK");
  Status st = Make(s).Run(nullptr);
  EXPECT_EQ(st.code(), Code::kDataLoss);
  EXPECT_NE(st.message().find("row (7) is in the new table but not the original"),
            std::string::npos)
      << st.message();
}

TEST_F(VerifierTest, SidesThatDifferOnlyAcrossSnapshotsAreComparedAgainAndPass) {
  // With a second session the two sides are read at once, each in its own snapshot: a write
  // committed between them makes them differ; one snapshot decides.
  ScriptedSession s("source side");
  ScriptedSession shadow("shadow side");
  const ChunkRange range{std::nullopt, std::nullopt};
  s.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  shadow.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  ExpectBound(s, std::nullopt, 100, std::nullopt);
  // The same count, another checksum: a row changed between the two reads.
  s.Expect(Checksum(false, range)).Returns({{"11", "100"}});
  shadow.Expect(Checksum(true, range)).Returns({{"11", "105"}});
  ExpectOneSnapshot(s, range, {{"11", "105"}}, {{"11", "105"}});
  s.Expect("COMMIT");
  VerifyProgress last;
  Status st = Make(s, &shadow).Run([&](const VerifyProgress& p) { last = p; });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(last.rechecked, 1u);
  EXPECT_EQ(last.rows_compared, 11u);
}

TEST_F(VerifierTest, AgreeingSidesReadAtOnceNeedNoSnapshot) {
  ScriptedSession s("source side");
  ScriptedSession shadow("shadow side");
  const ChunkRange range{std::nullopt, std::nullopt};
  s.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  shadow.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  ExpectBound(s, std::nullopt, 100, std::nullopt);
  s.Expect(Checksum(false, range)).Returns({{"10", "100"}});
  shadow.Expect(Checksum(true, range)).Returns({{"10", "100"}});
  VerifyProgress last;
  ASSERT_TRUE(Make(s, &shadow).Run([&](const VerifyProgress& p) { last = p; }).ok());
  EXPECT_EQ(last.rechecked, 0u);
  EXPECT_EQ(last.rows_compared, 10u);
}

TEST_F(VerifierTest, AChunkWhoseReadTimedOutIsComparedAgain) {
  ScriptedSession s;
  const ChunkRange range{std::nullopt, std::nullopt};
  s.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  ExpectBound(s, std::nullopt, 100, std::nullopt);
  s.Expect("START TRANSACTION WITH CONSISTENT SNAPSHOT");
  s.Expect(Checksum(false, range)).Fails(ServerError(1205, "Lock wait timeout exceeded"));
  s.Expect("ROLLBACK");
  ExpectBound(s, std::nullopt, 100, std::nullopt);
  ExpectOneSnapshot(s, range, {{"4", "8"}}, {{"4", "8"}});
  s.Expect("COMMIT");
  VerifyProgress last;
  Status st = Make(s).Run([&](const VerifyProgress& p) { last = p; });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(last.lock_retries, 1u);
  EXPECT_EQ(last.rows_compared, 4u);
}

TEST_F(VerifierTest, ANullChecksumOfANonEmptyChunkIsAnError) {
  // NULL from SHA2() would compare equal to the other side's NULL and prove nothing.
  ScriptedSession s;
  const ChunkRange range{std::nullopt, std::nullopt};
  s.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  ExpectBound(s, std::nullopt, 100, std::nullopt);
  s.Expect("START TRANSACTION WITH CONSISTENT SNAPSHOT");
  s.Expect(Checksum(false, range)).Returns({{"4", std::nullopt}});
  s.Expect("ROLLBACK");
  Status st = Make(s).Run(nullptr);
  EXPECT_EQ(st.code(), Code::kInternal);
  EXPECT_NE(st.message().find("the row hash is NULL"), std::string::npos) << st.message();
}

TEST_F(VerifierTest, StopsBeforeTheNextChunk) {
  ScriptedSession s;
  s.Expect(SetLockWaits(ServerFlavor::kMariaDB, 1));
  ExpectBound(s, std::nullopt, 100, K("100"));
  ExpectOneSnapshot(s, {std::nullopt, K("100")}, {{"100", "1"}}, {{"100", "1"}});
  s.Expect("COMMIT").Then([&] { stop_.Request(SIGINT); });
  s.Expect("ROLLBACK");
  Status st = Make(s).Run(nullptr);
  EXPECT_EQ(st.code(), Code::kAborted);
  EXPECT_EQ(st.message(), "stopped by SIGINT");
}

}  // namespace
}  // namespace shadowalter
