#include "sql/ddl.h"

#include <gtest/gtest.h>

#include <string>

namespace shadowalter {
namespace {

TEST(SwapStatementTest, OneRenameWithBothPairs) {
  EXPECT_EQ(SwapStatement("shop", "orders", "_orders_old", "_orders_new"),
            "RENAME TABLE `shop`.`orders` TO `shop`.`_orders_old`, "
            "`shop`.`_orders_new` TO `shop`.`orders`");
}

TEST(SwapStatementTest, QuotesEveryName) {
  EXPECT_EQ(SwapStatement("my db", "ord`ers", "_ord`ers_old", "_ord`ers_new"),
            "RENAME TABLE `my db`.`ord``ers` TO `my db`.`_ord``ers_old`, "
            "`my db`.`_ord``ers_new` TO `my db`.`ord``ers`");
}

TEST(SwapStatementTest, IsASingleStatement) {
  const std::string sql = SwapStatement("s", "t", "_t_old", "_t_new");
  EXPECT_EQ(sql.find(';'), std::string::npos);
  EXPECT_EQ(sql.rfind("RENAME TABLE", 0), 0u);
  EXPECT_EQ(sql.find("RENAME TABLE", 1), std::string::npos);
  // The original moves away before the new table takes its name.
  EXPECT_LT(sql.find("`s`.`t` TO `s`.`_t_old`"), sql.find("`s`.`_t_new` TO `s`.`t`"));
}

TEST(SetLockWaitsTest, BoundsMetadataAndRowLockWaitsTogether) {
  EXPECT_EQ(SetLockWaits(ServerFlavor::kMariaDB, 2),
            "SET SESSION lock_wait_timeout = 2, innodb_lock_wait_timeout = 2");
}

TEST(SetLockWaitsTest, NoWaitIsZeroOnMariaDbAndMySqlsMinimumOfOneOnMySql) {
  EXPECT_EQ(SetLockWaits(ServerFlavor::kMariaDB, 0),
            "SET SESSION lock_wait_timeout = 0, innodb_lock_wait_timeout = 0");
  EXPECT_EQ(SetLockWaits(ServerFlavor::kMySQL, 0),
            "SET SESSION lock_wait_timeout = 1, innodb_lock_wait_timeout = 1");
  EXPECT_EQ(SetLockWaits(ServerFlavor::kMySQL, 5),
            "SET SESSION lock_wait_timeout = 5, innodb_lock_wait_timeout = 5");
}

TEST(DropTableStatementTest, IfExistsAndQuoted) {
  EXPECT_EQ(DropTableStatement("shop", "_orders_old"), "DROP TABLE IF EXISTS `shop`.`_orders_old`");
  EXPECT_EQ(DropTableStatement("a`b", "c d"), "DROP TABLE IF EXISTS `a``b`.`c d`");
}

TEST(InstantAlterStatementTest, PutsTheAlgorithmBeforeTheClauses) {
  // Before, so that a trailing "-- comment" in the user's clauses can't swallow it.
  EXPECT_EQ(InstantAlterStatement("shop", "orders", "ADD COLUMN x INT -- why"),
            "ALTER TABLE `shop`.`orders` ALGORITHM=INSTANT, ADD COLUMN x INT -- why");
}

TEST(AlterStatementTest, PrefixesTheClauses) {
  EXPECT_EQ(AlterStatement("shop", "_orders_new", "ADD COLUMN x INT"),
            "ALTER TABLE `shop`.`_orders_new` ADD COLUMN x INT");
}

}  // namespace
}  // namespace shadowalter

namespace shadowalter {
namespace {

TEST(FindDuplicateTest, GroupsNonNullValuesOfAllColumns) {
  EXPECT_EQ(FindDuplicate("s", "t`x", {"a", "b c"}),
            "SELECT `a`, `b c`, COUNT(*) FROM `s`.`t``x` WHERE `a` IS NOT NULL AND `b c` IS NOT "
            "NULL GROUP BY `a`, `b c` HAVING COUNT(*) > 1 LIMIT 1");
}

// A column the ALTER converts is grouped as the new table compares it ('abc' = 'ABC' under _ci).
TEST(FindDuplicateTest, ConvertedColumnIsGroupedByItsNewValue) {
  EXPECT_EQ(FindDuplicate("s", "t", {"k", "n"}, {"CONVERT(`k` USING utf8mb4) COLLATE x_ci", ""}),
            "SELECT CONVERT(`k` USING utf8mb4) COLLATE x_ci, `n`, COUNT(*) FROM `s`.`t` WHERE `k` "
            "IS NOT NULL AND `n` IS NOT NULL GROUP BY CONVERT(`k` USING utf8mb4) COLLATE x_ci, `n` "
            "HAVING COUNT(*) > 1 LIMIT 1");
}

TEST(HoldsNamedLockTest, AsksWhetherThisSessionHoldsIt) {
  EXPECT_EQ(HoldsNamedLock("shadowalter:s.t"),
            "SELECT IS_USED_LOCK('shadowalter:s.t') = CONNECTION_ID()");
}

TEST(NamedLockHolderTest, AsksWhoHoldsIt) {
  EXPECT_EQ(NamedLockHolder("shadowalter:s.t"), "SELECT IS_USED_LOCK('shadowalter:s.t')");
  EXPECT_EQ(NamedLockHolder("it's"), "SELECT IS_USED_LOCK('it''s')");
}

TEST(DisableForeignKeyChecksTest, IsTheSessionSetting) {
  EXPECT_EQ(DisableForeignKeyChecks(), "SET SESSION foreign_key_checks = 0");
}

TEST(TakeNamedLockTest, NeverWaits) {
  EXPECT_EQ(TakeNamedLock("shadowalter:s.t"), "SELECT GET_LOCK('shadowalter:s.t', 0)");
}

}  // namespace
}  // namespace shadowalter
