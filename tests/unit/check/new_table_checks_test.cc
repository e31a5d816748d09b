// The checks of the later preflight stages against a scripted session: the statements each sends
// and its decision on the answers. They run on the real server in tests/integration/
// (serial/time_zone_test.cc, keys_test.cc, triggers_test.cc, verify_test.cc).
#include "check/new_table_checks.h"

#include <gtest/gtest.h>

#include "check/preflight.h"
#include "db/scripted_session.h"
#include "sql/cutover.h"
#include "sql/ddl.h"
#include "sql/inspect_queries.h"
#include "sql/shadow_match.h"
#include "sql/time_zones.h"
#include "test_tables.h"

namespace shadowalter {
namespace {

using namespace test_tables;

class NewTableChecksTest : public ::testing::Test {
 protected:
  NewTableChecksTest() {
    config.conn.database = "shop";
    config.conn.table = "orders";
    original =
        Table("shop", "orders", {Col("id", "int"), Col("email", "varchar")}, {Primary({"id"})});
    new_table = Table("shop", "_orders_new", {Col("id", "int"), Col("email", "varchar")},
                      {Primary({"id"})});
    columns = SamePairs(original);
  }

  PreflightContext Context() {
    PreflightContext ctx{session, original, names, config, {}};
    ctx.new_table = &new_table;
    ctx.columns = &columns;
    return ctx;
  }

  ScriptedSession session{"primary"};
  Config config;
  ArtifactNames names = NamesFor("orders");
  TableInfo original, new_table;
  std::vector<ColumnPair> columns;
};

TEST_F(NewTableChecksTest, DefaultZoneAsksOnlyWhenAColumnCrossesTimestamp) {
  PreflightContext ctx = Context();
  EXPECT_TRUE(RunPreflight(ctx, PreflightStage::kCopyPlanned).ok());
  EXPECT_TRUE(session.statements().empty());

  columns[1].zone = ZoneShift::kIntoTimestamp;
  session.Expect(DefaultZoneCheck()).Returns({{"1"}});
  EXPECT_TRUE(RunPreflight(ctx, PreflightStage::kCopyPlanned).ok());

  columns[0].zone = ZoneShift::kOutOfTimestamp;
  session.Expect(DefaultZoneCheck()).Returns({{"0"}});
  Status s = RunPreflight(ctx, PreflightStage::kCopyPlanned);
  EXPECT_EQ(s.code(), Code::kRefused);
  // In the check's own words: no "default-zone: " in front, as when the phase judged it inline.
  EXPECT_EQ(s.message(),
            "columns `id`, `email` change between TIMESTAMP and another type, which converts in "
            "the server's global time_zone, and the server can't convert out of it (CONVERT_TZ "
            "gives NULL: load the time zone tables)");

  session.Expect(DefaultZoneCheck()).Fails(ServerError(2013));
  EXPECT_EQ(RunPreflight(ctx, PreflightStage::kCopyPlanned).code(), Code::kConnection);
}

TEST_F(NewTableChecksTest, NewUniqueKeyIsCheckedAgainstTheData) {
  new_table.indexes.push_back(Unique("uk_email", {"email"}));
  PreflightContext ctx = Context();
  session.Expect(FindDuplicate("shop", "orders", {"email"}, {""})).Returns({});
  EXPECT_TRUE(RunPreflight(ctx, PreflightStage::kNewUniqueKeys).ok());

  session.Expect(FindDuplicate("shop", "orders", {"email"}, {""})).Returns({{"a@x", "3"}});
  Status s = RunPreflight(ctx, PreflightStage::kNewUniqueKeys);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            "the ALTER adds unique key `uk_email` on (email), but the original holds (a@x) 3 "
            "times; remove the duplicates first");
}

TEST_F(NewTableChecksTest, KeyHoldingAnOldUniqueKeyIsNotChecked) {
  new_table.indexes = {Primary({"id", "email"})};
  original.indexes.push_back(Prefixed(Unique("uk_email_prefix", {"email"})));
  PreflightContext ctx = Context();
  EXPECT_TRUE(CheckNewUniqueKeys(ctx).ok());
  EXPECT_TRUE(session.statements().empty());
}

TEST_F(NewTableChecksTest, KeyWhoseColumnsCompareDifferentlyIsCheckedAsNew) {
  original.columns[1] = Col("email", "varchar", "", "utf8mb4_bin");
  original.indexes.push_back(Unique("uk_email", {"email"}));
  new_table.columns[1] = Col("email", "varchar", "", "utf8mb4_general_ci");
  new_table.indexes.push_back(Unique("uk_email", {"email"}));
  const std::string as_new = ShadowValue(original.columns[1], new_table.columns[1], "`email`");
  session.Expect(FindDuplicate("shop", "orders", {"email"}, {as_new})).Returns({{"A@x", "2"}});
  PreflightContext ctx = Context();
  EXPECT_EQ(CheckNewUniqueKeys(ctx).message(),
            "the new table's unique key `uk_email` on (email) compares values differently after "
            "the ALTER, and the original holds (A@x) 2 times as equal under the new definition; "
            "remove the duplicates first");
}

TEST_F(NewTableChecksTest, KeyOverNewColumnsIsLeftToTheCopy) {
  new_table.columns.push_back(Col("code", "int"));
  new_table.indexes.push_back(Unique("uk_code", {"code"}));
  PreflightContext ctx = Context();
  EXPECT_TRUE(CheckNewUniqueKeys(ctx).ok());
  EXPECT_TRUE(session.statements().empty());
}

class OwnTriggersCheckTest : public NewTableChecksTest {
 protected:
  OwnTriggersCheckTest() {
    audit = AuditTrigger();
    original.triggers = {audit};
    probe = audit;
    probe.name = TriggerCheckName("orders", 1);
  }

  // The statements up to the probe's CREATE TRIGGER, which is answered with `created`.
  void ExpectProbe(Status created) {
    session.Expect(CreateTableLike("shop", "_orders_trg", "_orders_new"));
    session.Expect(SessionContextQuery()).Returns({{"ANSI", "latin1", "latin1_swedish_ci"}});
    session.Expect(TriggerContext(probe));
    session.Expect(CreateTriggerOn("shop", "_orders_trg", probe)).Fails(std::move(created));
    session.Expect(RestoreSessionContext("ANSI", "latin1", "latin1_swedish_ci"));
  }

  Trigger audit, probe;
};

TEST_F(OwnTriggersCheckTest, EachIsTriedOnAScratchCopyOfTheNewTable) {
  PreflightContext ctx = Context();
  std::vector<std::string> announced;
  ctx.will_create_table = [&](const std::string& t) {
    EXPECT_TRUE(session.statements().empty()) << "announced after creating it";
    announced.push_back(t);
  };
  ExpectProbe(Status::Ok());
  session.Expect(DropTableStatement("shop", "_orders_trg"));
  EXPECT_TRUE(RunPreflight(ctx, PreflightStage::kOwnTriggers).ok());
  EXPECT_EQ(announced, std::vector<std::string>{"_orders_trg"});
}

TEST_F(OwnTriggersCheckTest, OneTheServerRejectsIsRefused) {
  PreflightContext ctx = Context();
  ExpectProbe(ServerError(1054, "Unknown column 'note' in 'NEW'"));
  Status s = RunPreflight(ctx, PreflightStage::kOwnTriggers);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(), "trigger `orders_audit` can't be recreated on the new table: " +
                             ServerError(1054, "Unknown column 'note' in 'NEW'").message() +
                             " (does the ALTER drop or rename a column it uses?); change the "
                             "trigger first, or drop it and create it again after the run");
}

TEST_F(OwnTriggersCheckTest, NoneToTryWithoutTriggersOfItsOwn) {
  original.triggers.clear();
  PreflightContext ctx = Context();
  ctx.will_create_table = [](const std::string&) { ADD_FAILURE() << "nothing to create"; };
  EXPECT_TRUE(RunPreflight(ctx, PreflightStage::kOwnTriggers).ok());
  EXPECT_TRUE(session.statements().empty());
}

TEST_F(NewTableChecksTest, VerifyNeedsTheNewTable) {
  PreflightContext ctx{session, original, names, config, {}};
  session.Expect(TableExistsQuery("shop", "_orders_new")).Returns({{"0"}});
  Status s = RunPreflight(ctx, PreflightStage::kBeforeComparing);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_EQ(s.message(),
            "there is no new table `shop`.`_orders_new` to compare with: verify checks a stopped "
            "run's leftovers");

  // Its triggers only decide what the comparison expects.
  session.Expect(TableExistsQuery("shop", "_orders_new")).Returns({{"1"}});
  session
      .Expect(TriggersNamedQuery(
          "shop", {names.insert_trigger, names.update_trigger, names.delete_trigger}))
      .Returns({{names.update_trigger}});
  EXPECT_TRUE(RunPreflight(ctx, PreflightStage::kBeforeComparing).ok());
}

TEST_F(NewTableChecksTest, TheTableTheDsnNamesMustExistAndBeABaseTable) {
  const std::string query = TableSummaryQuery("shop", "orders");
  session.Expect(query).Returns({{"InnoDB", "1000", "BASE TABLE", "65536"}});
  PreflightContext ctx = Context();
  EXPECT_TRUE(CheckTableExists(ctx).ok());

  session.Expect(query).Returns({});
  Status missing = CheckTableExists(ctx);
  EXPECT_EQ(missing.code(), Code::kRefused);
  EXPECT_EQ(missing.message(),
            "table `shop`.`orders` does not exist: check the D= and t= parts of the DSN");

  session.Expect(query).Returns({{std::nullopt, std::nullopt, "VIEW", std::nullopt}});
  Status view = CheckTableExists(ctx);
  EXPECT_EQ(view.code(), Code::kRefused);
  EXPECT_EQ(view.message(), "`shop`.`orders` is a VIEW, not a base table");

  session.Expect(query).Fails(ServerError(2013, "Lost connection"));
  EXPECT_EQ(CheckTableExists(ctx).code(), Code::kConnection);
}

TEST_F(NewTableChecksTest, TheCopyMustBePlannableOnTheNewTable) {
  AlterAnalysis alter;  // no DROP COLUMN
  PreflightContext ctx = Context();
  ctx.alter = &alter;
  EXPECT_TRUE(CheckCopyCanBePlanned(ctx).ok());
  // `email` vanished without a DROP COLUMN (DROP + ADD under another name, say): refused.
  new_table =
      Table("shop", "_orders_new", {Col("id", "int"), Col("mail", "varchar")}, {Primary({"id"})});
  Status s = CheckCopyCanBePlanned(ctx);
  EXPECT_EQ(s.code(), Code::kRefused);
  EXPECT_NE(s.message().find("column `email` of the original has no counterpart"),
            std::string::npos)
      << s.message();
  EXPECT_TRUE(session.statements().empty());  // planning reads no server
}

}  // namespace
}  // namespace shadowalter

namespace shadowalter {
namespace {

using namespace test_tables;

// What the mirror triggers can't keep current without failing the application's writes.
TEST(NewTableCanBeMirroredTest, RefusesWithoutOverlapsKeysAndSelfReferencesTheAlterAdds) {
  const TableInfo original =
      Table("shop", "rooms", {Col("id", "int"), Col("parent_id", "int")}, {Primary({"id"})});
  TableInfo altered = Table("shop", "_rooms_new", original.columns, original.indexes);
  altered.create_statement = "CREATE TABLE `_rooms_new` (...)";
  EXPECT_TRUE(NewTableCanBeMirrored(original, altered).ok());

  TableInfo overlaps = altered;
  overlaps.create_statement =
      "CREATE TABLE `_rooms_new` (..., UNIQUE KEY `no_overlap` (`room`,`booking` WITHOUT "
      "OVERLAPS))";
  Status st = NewTableCanBeMirrored(original, overlaps);
  EXPECT_EQ(st.code(), Code::kRefused);
  EXPECT_NE(st.message().find("WITHOUT OVERLAPS key"), std::string::npos) << st.message();

  // An existing self-reference points at the new table itself; one the ALTER adds, at the
  // original.
  TableInfo self = altered;
  ForeignKeyRef existing;
  existing.constraint_name = "fk_old";
  existing.referenced_schema = "shop";
  existing.referenced_table = "_rooms_new";
  self.foreign_keys = {existing};
  EXPECT_TRUE(NewTableCanBeMirrored(original, self).ok());
  ForeignKeyRef added = existing;
  added.constraint_name = "fk_parent";
  added.referenced_table = "rooms";
  self.foreign_keys.push_back(added);
  st = NewTableCanBeMirrored(original, self);
  EXPECT_EQ(st.code(), Code::kRefused);
  EXPECT_NE(st.message().find("adds foreign key `fk_parent` referencing the table itself"),
            std::string::npos)
      << st.message();
}

}  // namespace
}  // namespace shadowalter
