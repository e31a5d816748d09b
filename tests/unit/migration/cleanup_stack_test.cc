#include "migration/cleanup_stack.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace shadowalter {
namespace {

using Strings = std::vector<std::string>;

// A runner that records what it ran and fails on the statements in `fail_on`.
struct Recorder {
  Strings ran;
  Strings fail_on;
  Status operator()(const std::string& sql) {
    ran.push_back(sql);
    for (const auto& f : fail_on) {
      if (f == sql) return Status(Code::kServer, "denied", 1142);
    }
    return Status::Ok();
  }
};

CleanupStack ThreeArtifacts() {
  CleanupStack stack;
  stack.Push("new table", "DROP TABLE IF EXISTS `db`.`_t_new`");
  stack.Push("insert trigger", "DROP TRIGGER IF EXISTS `db`.`sa_t_ins`");
  stack.Push("update trigger", "DROP TRIGGER IF EXISTS `db`.`sa_t_upd`");
  return stack;
}

TEST(CleanupStackTest, EmptyStackRunsNothing) {
  CleanupStack stack;
  EXPECT_TRUE(stack.empty());
  Recorder r;
  EXPECT_TRUE(stack.Unwind(std::ref(r)).empty());
  EXPECT_TRUE(r.ran.empty());
  EXPECT_TRUE(stack.empty());
}

TEST(CleanupStackTest, RemembersThatSomethingWasPushedAfterItIsGone) {
  CleanupStack stack;
  EXPECT_FALSE(stack.ever_pushed());
  stack.Push("new table `_t_new`", "DROP TABLE IF EXISTS `_t_new`");
  stack.Release();
  EXPECT_TRUE(stack.empty());
  EXPECT_TRUE(stack.ever_pushed());
}

TEST(CleanupStackTest, UnwindsNewestFirst) {
  CleanupStack stack = ThreeArtifacts();
  EXPECT_FALSE(stack.empty());
  Recorder r;
  EXPECT_TRUE(stack.Unwind(std::ref(r)).empty());
  EXPECT_EQ(r.ran, (Strings{"DROP TRIGGER IF EXISTS `db`.`sa_t_upd`",
                            "DROP TRIGGER IF EXISTS `db`.`sa_t_ins`",
                            "DROP TABLE IF EXISTS `db`.`_t_new`"}));
  EXPECT_TRUE(stack.empty());
  // Nothing is left to run a second time.
  Recorder again;
  EXPECT_TRUE(stack.Unwind(std::ref(again)).empty());
  EXPECT_TRUE(again.ran.empty());
}

TEST(CleanupStackTest, StopsAtFirstFailureAndReturnsWhatIsLeftInOrder) {
  CleanupStack stack = ThreeArtifacts();
  Recorder r;
  r.fail_on = {"DROP TRIGGER IF EXISTS `db`.`sa_t_ins`"};
  Strings left = stack.Unwind(std::ref(r));
  // The newest ran and succeeded; the failing one stopped the unwind before the table drop.
  EXPECT_EQ(r.ran, (Strings{"DROP TRIGGER IF EXISTS `db`.`sa_t_upd`",
                            "DROP TRIGGER IF EXISTS `db`.`sa_t_ins`"}));
  EXPECT_EQ(left, (Strings{"DROP TRIGGER IF EXISTS `db`.`sa_t_ins`",
                           "DROP TABLE IF EXISTS `db`.`_t_new`"}));
  EXPECT_TRUE(stack.empty());
}

TEST(CleanupStackTest, FailureOfTheNewestReturnsEverything) {
  CleanupStack stack = ThreeArtifacts();
  Recorder r;
  r.fail_on = {"DROP TRIGGER IF EXISTS `db`.`sa_t_upd`"};
  Strings left = stack.Unwind(std::ref(r));
  EXPECT_EQ(r.ran, (Strings{"DROP TRIGGER IF EXISTS `db`.`sa_t_upd`"}));
  EXPECT_EQ(left, (Strings{"DROP TRIGGER IF EXISTS `db`.`sa_t_upd`",
                           "DROP TRIGGER IF EXISTS `db`.`sa_t_ins`",
                           "DROP TABLE IF EXISTS `db`.`_t_new`"}));
}

TEST(CleanupStackTest, FailureOfTheOldestReturnsOnlyIt) {
  CleanupStack stack = ThreeArtifacts();
  Recorder r;
  r.fail_on = {"DROP TABLE IF EXISTS `db`.`_t_new`"};
  EXPECT_EQ(stack.Unwind(std::ref(r)), (Strings{"DROP TABLE IF EXISTS `db`.`_t_new`"}));
  EXPECT_EQ(r.ran.size(), 3u);
}

TEST(CleanupStackTest, ReleaseForgetsEverything) {
  CleanupStack stack = ThreeArtifacts();
  stack.Release();
  EXPECT_TRUE(stack.empty());
  Recorder r;
  EXPECT_TRUE(stack.Unwind(std::ref(r)).empty());
  EXPECT_TRUE(r.ran.empty());
}

TEST(CleanupStackTest, PendingListsUnwindOrderWithoutRunning) {
  CleanupStack stack = ThreeArtifacts();
  const Strings pending = stack.Pending();
  EXPECT_EQ(pending, (Strings{"DROP TRIGGER IF EXISTS `db`.`sa_t_upd`",
                              "DROP TRIGGER IF EXISTS `db`.`sa_t_ins`",
                              "DROP TABLE IF EXISTS `db`.`_t_new`"}));
  EXPECT_FALSE(stack.empty());  // nothing ran, nothing was forgotten
  Recorder r;
  EXPECT_TRUE(stack.Unwind(std::ref(r)).empty());
  EXPECT_EQ(r.ran, pending);
  EXPECT_TRUE(stack.Pending().empty());
}

TEST(CleanupStackTest, PendingOfEmptyAndReleasedStacks) {
  EXPECT_TRUE(CleanupStack().Pending().empty());
  CleanupStack stack = ThreeArtifacts();
  stack.Release();
  EXPECT_TRUE(stack.Pending().empty());
}

TEST(CleanupStackTest, PushAfterReleaseIsKept) {
  CleanupStack stack = ThreeArtifacts();
  stack.Release();
  stack.Push("old table", "DROP TABLE IF EXISTS `db`.`_t_old`");
  Recorder r;
  EXPECT_TRUE(stack.Unwind(std::ref(r)).empty());
  EXPECT_EQ(r.ran, (Strings{"DROP TABLE IF EXISTS `db`.`_t_old`"}));
}

TEST(CleanupStackTest, AMultiStatementItemRunsInOrderAndResumesWhereItFailed) {
  CleanupStack stack;
  stack.Push("new table", "DROP TABLE IF EXISTS `db`.`_t_new`");
  stack.Push("trigger", Strings{"SET SESSION sql_mode = 'A'", "CREATE TRIGGER x", "SET back"});
  EXPECT_EQ(stack.Pending(), (Strings{"SET SESSION sql_mode = 'A'", "CREATE TRIGGER x", "SET back",
                                      "DROP TABLE IF EXISTS `db`.`_t_new`"}));
  Recorder r;
  r.fail_on = {"CREATE TRIGGER x"};
  // What is left starts at the failed statement: the SET before it already ran.
  EXPECT_EQ(stack.Unwind(std::ref(r)),
            (Strings{"CREATE TRIGGER x", "SET back", "DROP TABLE IF EXISTS `db`.`_t_new`"}));
  EXPECT_EQ(r.ran, (Strings{"SET SESSION sql_mode = 'A'", "CREATE TRIGGER x"}));
}

}  // namespace
}  // namespace shadowalter
