#include "sql/trigger_restore.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shadowalter {
namespace {

Trigger Make(const std::string& name, const std::string& timing, const std::string& event,
             uint64_t order) {
  Trigger t;
  t.name = name;
  t.timing = timing;
  t.event = event;
  t.action_order = order;
  t.definer = "app@%";
  t.body = "SET @" + name + " = 1";
  t.sql_mode = "PIPES_AS_CONCAT";
  t.character_set_client = "latin1";
  t.collation_connection = "latin1_swedish_ci";
  return t;
}

// Two AFTER INSERT triggers in order, then one BEFORE UPDATE, as the checkpoint saves them.
OwnTriggerRestore Restore() {
  OwnTriggerRestore r;
  r.schema = "shop";
  r.table = "t";
  r.run_tables = {"_t_new", "_t_old"};
  r.saved = {Make("a1", "AFTER", "INSERT", 1), Make("a2", "AFTER", "INSERT", 2),
             Make("b1", "BEFORE", "UPDATE", 1)};
  r.restore_context = "SET SESSION sql_mode = 'mine'";
  return r;
}

TriggerPlace On(const std::string& table, const Trigger& t) {
  return {t.name, table, t.timing, t.event, t.action_order};
}

std::string Context() {
  return "SET SESSION sql_mode = 'PIPES_AS_CONCAT', character_set_client = 'latin1', "
         "collation_connection = 'latin1_swedish_ci'";
}

TEST(TriggerRestoreTest, AllOnTheTableIsNothingToDo) {
  const OwnTriggerRestore r = Restore();
  std::vector<TriggerPlace> now;
  for (const Trigger& t : r.saved) now.push_back(On("t", t));
  StatusOr<std::vector<std::string>> plan = PlanOwnTriggerRestore(r, now);
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->empty());
}

TEST(TriggerRestoreTest, MissingOnesAreCreatedInOrderUnderTheirOwnContext) {
  const OwnTriggerRestore r = Restore();
  StatusOr<std::vector<std::string>> plan = PlanOwnTriggerRestore(r, {});
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 9u);
  EXPECT_EQ((*plan)[0], Context());
  EXPECT_EQ((*plan)[1],
            "CREATE DEFINER=`app`@`%` TRIGGER `shop`.`a1` AFTER INSERT ON `shop`.`t` FOR EACH ROW "
            "SET @a1 = 1");
  EXPECT_EQ((*plan)[2], "SET SESSION sql_mode = 'mine'");
  EXPECT_NE((*plan)[4].find("`shop`.`a2` AFTER INSERT ON `shop`.`t` FOR EACH ROW SET"),
            std::string::npos);
  EXPECT_NE((*plan)[7].find("`shop`.`b1` BEFORE UPDATE"), std::string::npos);
}

TEST(TriggerRestoreTest, OnesOnTheNewTableAreTakenOffItFirst) {
  const OwnTriggerRestore r = Restore();
  // The cut-over stopped after making a1 on the new table; a2 and b1 are on neither.
  StatusOr<std::vector<std::string>> plan = PlanOwnTriggerRestore(r, {On("_t_new", r.saved[0])});
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 10u);
  EXPECT_EQ((*plan)[0], "DROP TRIGGER IF EXISTS `shop`.`a1`");
  EXPECT_NE((*plan)[2].find("`shop`.`a1` AFTER INSERT ON `shop`.`t`"), std::string::npos);
}

TEST(TriggerRestoreTest, AMissingOneGoesBeforeTheLaterOneStillThere) {
  const OwnTriggerRestore r = Restore();
  // a2 is still on the table, a1 is gone: appending a1 would make it fire second.
  StatusOr<std::vector<std::string>> plan =
      PlanOwnTriggerRestore(r, {On("t", r.saved[1]), On("t", r.saved[2])});
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 3u);
  EXPECT_EQ((*plan)[1],
            "CREATE DEFINER=`app`@`%` TRIGGER `shop`.`a1` AFTER INSERT ON `shop`.`t` FOR EACH ROW "
            "PRECEDES `a2` SET @a1 = 1");
}

TEST(TriggerRestoreTest, ALaterMissingOneIsAppended) {
  const OwnTriggerRestore r = Restore();
  StatusOr<std::vector<std::string>> plan =
      PlanOwnTriggerRestore(r, {On("t", r.saved[0]), On("t", r.saved[2])});
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 3u);
  EXPECT_NE((*plan)[1].find("AFTER INSERT ON `shop`.`t` FOR EACH ROW SET @a2"), std::string::npos);
}

TEST(TriggerRestoreTest, ANameTakenByAnotherTableIsRefused) {
  const OwnTriggerRestore r = Restore();
  StatusOr<std::vector<std::string>> plan = PlanOwnTriggerRestore(r, {On("other", r.saved[2])});
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), Code::kRefused);
  EXPECT_NE(plan.status().message().find("now belongs to `shop`.`other`"), std::string::npos)
      << plan.status().message();
}

TEST(TriggerRestoreTest, ByHandDropsEveryOneThenCreatesThemInOrder) {
  OwnTriggerRestore r = Restore();
  r.restore_context.clear();
  const std::vector<std::string> sql = OwnTriggerRestoreByHand(r);
  ASSERT_EQ(sql.size(), 9u);
  EXPECT_EQ(sql[0], "DROP TRIGGER IF EXISTS `shop`.`b1`");
  EXPECT_EQ(sql[2], "DROP TRIGGER IF EXISTS `shop`.`a1`");
  EXPECT_EQ(sql[3], Context());
  EXPECT_NE(sql[4].find("`shop`.`a1` AFTER INSERT"), std::string::npos);
  EXPECT_NE(sql[8].find("`shop`.`b1` BEFORE UPDATE"), std::string::npos);
}

TEST(TriggerRestoreTest, DescribeSummarizesOne) {
  EXPECT_EQ(DescribeTrigger(Make("a2", "AFTER", "INSERT", 2)),
            "`a2` AFTER INSERT #2 (definer app@%)");
}

}  // namespace
}  // namespace shadowalter
