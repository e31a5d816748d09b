#include "migration/revertible.h"

#include <gtest/gtest.h>

#include "state/run_identity.h"

namespace shadowalter {
namespace {

TEST(RevertibleTest, ReverseTriggerNamesTakeTheMirrorsPlaces) {
  const ArtifactNames names = NamesFor("orders");
  const ArtifactNames reverse = ReverseTriggerNames(names);
  EXPECT_EQ(reverse.insert_trigger, "sa_orders_rins");
  EXPECT_EQ(reverse.update_trigger, "sa_orders_rupd");
  EXPECT_EQ(reverse.delete_trigger, "sa_orders_rdel");
  EXPECT_EQ(reverse.old_table, names.old_table);
}

TEST(RevertibleTest, OnlyARunStartedWithRevertibleIsOne) {
  Checkpoint c;
  c.identity = RunIdentity{"", false, true}.Encode();
  EXPECT_TRUE(IsRevertibleRun(c));
  c.identity = RunIdentity{"", false, false}.Encode();
  EXPECT_FALSE(IsRevertibleRun(c));
  c.identity = "garbage";
  EXPECT_FALSE(IsRevertibleRun(c));
}

TEST(RevertibleTest, TablesWithForeignKeysOrTriggersAreRefused) {
  TableInfo original;
  original.name = "t";
  Column id;
  id.name = "id";
  original.columns = {id};
  TableInfo shadow = original;
  original.referenced_by.push_back(ForeignKeyRef{});
  StatusOr<ReverseSide> refused = PlanReverseSide("db", NamesFor("t"), original, shadow, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kRefused);
  EXPECT_NE(refused.status().message().find("foreign keys"), std::string::npos);
  original.referenced_by.clear();
  original.triggers.push_back(Trigger{});
  refused = PlanReverseSide("db", NamesFor("t"), original, shadow, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("triggers of its own"), std::string::npos);
}

}  // namespace
}  // namespace shadowalter
