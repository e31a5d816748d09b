// Each kind of statement's retries: --tries N for all, pt-online-schema-change's OP:TRIES:WAIT
// for the operations it names, the cleanup's floor of 30 tries unless drop_triggers is given.
#include "migration/ddl_policies.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

DdlRetryPolicy Base() {
  DdlRetryPolicy p;
  p.lock_wait_timeout_seconds = 1.5;
  p.tries = 7;
  return p;
}

Config WithTries(std::map<std::string, OperationTries> tries) {
  Config c;
  c.tries_by_operation = std::move(tries);
  return c;
}

TEST(DdlPoliciesTest, AnOperationNotNamedKeepsTheBase) {
  const Config c = WithTries({{"swap_tables", {3, 0.25}}});
  for (DdlOperation op : {DdlOperation::kOther, DdlOperation::kCreateTriggers,
                          DdlOperation::kDropTriggers, DdlOperation::kUpdateForeignKeys}) {
    const DdlRetryPolicy p = PolicyFor(Base(), c, op);
    EXPECT_EQ(p.tries, 7u);
    EXPECT_FALSE(p.pause_seconds.has_value());
    EXPECT_DOUBLE_EQ(p.lock_wait_timeout_seconds, 1.5);
  }
}

TEST(DdlPoliciesTest, ANamedOperationTakesItsTriesAndFixedPause) {
  const Config c = WithTries({{"create_triggers", {5, 0.5}},
                              {"drop_triggers", {4, 0}},
                              {"swap_tables", {3, 0.25}},
                              {"update_foreign_keys", {9, 2}}});
  const std::pair<DdlOperation, OperationTries> expected[] = {
      {DdlOperation::kCreateTriggers, {5, 0.5}},
      {DdlOperation::kDropTriggers, {4, 0}},
      {DdlOperation::kSwapTables, {3, 0.25}},
      {DdlOperation::kUpdateForeignKeys, {9, 2}},
  };
  for (const auto& [op, tries] : expected) {
    const DdlRetryPolicy p = PolicyFor(Base(), c, op);
    EXPECT_EQ(p.tries, tries.tries);
    ASSERT_TRUE(p.pause_seconds.has_value());
    EXPECT_DOUBLE_EQ(*p.pause_seconds, tries.wait_seconds);
    EXPECT_DOUBLE_EQ(p.lock_wait_timeout_seconds, 1.5);  // each try's wait is still its own
  }
  EXPECT_EQ(PolicyFor(Base(), c, DdlOperation::kOther).tries, 7u);
}

// A run's cleanup never gives up early, whatever drop_triggers says: only its pause is taken.
TEST(DdlPoliciesTest, CleanupKeepsItsFloorOfThirtyTries) {
  EXPECT_EQ(CleanupPolicy(Base(), Config()).tries, 30u);
  DdlRetryPolicy many = Base();
  many.tries = 50;
  EXPECT_EQ(CleanupPolicy(many, Config()).tries, 50u);
  const DdlRetryPolicy given = CleanupPolicy(Base(), WithTries({{"drop_triggers", {4, 1}}}));
  EXPECT_EQ(given.tries, 30u);
  EXPECT_EQ(given.pause_seconds, 1.0);
  EXPECT_EQ(CleanupPolicy(Base(), WithTries({{"drop_triggers", {40, 0}}})).tries, 40u);
}

TEST(DdlPoliciesTest, OperationsWithNoStatementAreNamedAsUnused) {
  EXPECT_TRUE(UnusedTries(WithTries({{"swap_tables", {3, 1}}})).empty());
  const std::vector<std::string> unused =
      UnusedTries(WithTries({{"copy_rows", {10, 0.25}}, {"analyze_table", {10, 0.5}}}));
  ASSERT_EQ(unused.size(), 2u);
  EXPECT_NE(unused[0].find("--tries copy_rows: not used"), std::string::npos) << unused[0];
  EXPECT_NE(unused[1].find("--tries analyze_table: not used"), std::string::npos) << unused[1];
}

}  // namespace
}  // namespace shadowalter
