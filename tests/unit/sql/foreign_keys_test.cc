#include "sql/foreign_keys.h"

#include <gtest/gtest.h>

#include "sql/shadow_ddl.h"

namespace shadowalter {
namespace {

ForeignKeyRef Child() {
  ForeignKeyRef fk;
  fk.constraint_name = "fk_items_order";
  fk.child_schema = "shop";
  fk.child_table = "items";
  fk.columns = {"order_id", "region"};
  fk.referenced_schema = "shop";
  fk.referenced_table = "orders";
  fk.referenced_columns = {"id", "region"};
  fk.on_delete = "CASCADE";
  fk.on_update = "SET NULL";
  return fk;
}

TEST(RepointForeignKeyTest, OneAlterWithSameColumnsAndRulesAndNoChecks) {
  StatusOr<std::string> sql = RepointForeignKey(Child(), "_fk_items_order", "_orders_new", false);
  ASSERT_TRUE(sql.ok()) << sql.status().message();
  EXPECT_EQ(*sql,
            "SET STATEMENT foreign_key_checks = 0 FOR ALTER TABLE `shop`.`items` DROP FOREIGN KEY "
            "`fk_items_order`, ADD CONSTRAINT `_fk_items_order` FOREIGN KEY (`order_id`, "
            "`region`) REFERENCES `shop`.`_orders_new` (`id`, `region`) ON DELETE CASCADE ON "
            "UPDATE SET NULL, ALGORITHM = INSTANT");
}

TEST(RepointForeignKeyTest, RestrictIsWrittenAsTheDefault) {
  ForeignKeyRef fk = Child();
  fk.on_delete = "RESTRICT";
  fk.on_update = "NO ACTION";
  StatusOr<std::string> sql = RepointForeignKey(fk, "n", "t", false);
  ASSERT_TRUE(sql.ok());
  EXPECT_EQ(sql->find("ON DELETE"), std::string::npos) << *sql;
  EXPECT_NE(sql->find("(`id`, `region`) ON UPDATE NO ACTION, ALGORITHM"), std::string::npos)
      << *sql;
}

TEST(RepointForeignKeyTest, IdempotentFormForUndo) {
  ForeignKeyRef fk = Child();
  fk.constraint_name = "_fk_items_order";
  StatusOr<std::string> sql = RepointForeignKey(fk, "fk_items_order", "orders", true);
  ASSERT_TRUE(sql.ok());
  EXPECT_NE(sql->find("DROP FOREIGN KEY IF EXISTS `_fk_items_order`"), std::string::npos) << *sql;
  EXPECT_NE(sql->find("ADD CONSTRAINT `fk_items_order` FOREIGN KEY IF NOT EXISTS (`order_id`"),
            std::string::npos)
      << *sql;
  EXPECT_NE(sql->find("REFERENCES `shop`.`orders` (`id`, `region`)"), std::string::npos);
}

TEST(RepointForeignKeyTest, QuotesEveryName) {
  ForeignKeyRef fk = Child();
  fk.constraint_name = "f`k";
  fk.child_schema = "my db";
  fk.child_table = "it`ems";
  fk.columns = {"o`id"};
  fk.referenced_columns = {"i d"};
  StatusOr<std::string> sql = RepointForeignKey(fk, "_f`k", "_or`ders_new", false);
  ASSERT_TRUE(sql.ok());
  EXPECT_NE(sql->find("ALTER TABLE `my db`.`it``ems` DROP FOREIGN KEY `f``k`, ADD CONSTRAINT "
                      "`_f``k` FOREIGN KEY (`o``id`) REFERENCES `shop`.`_or``ders_new` (`i d`)"),
            std::string::npos)
      << *sql;
}

TEST(RepointForeignKeyTest, RefusesUnknownRulesAndBadColumns) {
  ForeignKeyRef fk = Child();
  fk.on_delete = "CASCADE; DROP TABLE x";
  EXPECT_EQ(RepointForeignKey(fk, "n", "t", false).status().code(), Code::kInternal);
  fk = Child();
  fk.referenced_columns.pop_back();
  EXPECT_FALSE(RepointForeignKey(fk, "n", "t", false).ok());
  fk.columns.clear();
  fk.referenced_columns.clear();
  EXPECT_FALSE(RepointForeignKey(fk, "n", "t", false).ok());
}

TEST(RepointForeignKeyTest, EveryServerRuleIsAccepted) {
  for (const char* rule : {"RESTRICT", "CASCADE", "SET NULL", "NO ACTION", "SET DEFAULT"}) {
    ForeignKeyRef fk = Child();
    fk.on_delete = rule;
    fk.on_update = rule;
    EXPECT_TRUE(RepointForeignKey(fk, "n", "t", false).ok()) << rule;
  }
}

TEST(DropTableWithoutForeignKeyChecksTest, PerStatementOnly) {
  EXPECT_EQ(DropTableWithoutForeignKeyChecks("shop", "orders"),
            "SET STATEMENT foreign_key_checks = 0 FOR DROP TABLE IF EXISTS `shop`.`orders`");
}

TEST(RenameTableStatementTest, QuotedAndAllowedUnderLockTables) {
  EXPECT_EQ(RenameTableStatement("shop", "_orders_new", "ord`ers"),
            "ALTER TABLE `shop`.`_orders_new` RENAME TO `shop`.`ord``ers`");
}

TEST(LockTablesForDropSwapTest, LocksTheTableTheNewTableAndEachChildOnce) {
  ForeignKeyRef a, b;
  a.child_schema = "shop";
  a.child_table = "items";
  b.child_schema = "billing";
  b.child_table = "lines";
  EXPECT_EQ(LockTablesForDropSwap("shop", "orders", "_orders_new", {a, b, a}),
            "LOCK TABLES `shop`.`orders` WRITE, `shop`.`_orders_new` WRITE, `shop`.`items` "
            "WRITE, `billing`.`lines` WRITE");
}

TEST(RewriteCreateTableSelfReferenceTest, SelfReferenceFollowsTheCopy) {
  const std::string create =
      "CREATE TABLE `tree` (\n  `id` int(11) NOT NULL,\n  `parent_id` int(11) DEFAULT NULL,\n"
      "  `other` int(11) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n"
      "  CONSTRAINT `fk_parent` FOREIGN KEY (`parent_id`) REFERENCES `tree` (`id`),\n"
      "  CONSTRAINT `fk_other` FOREIGN KEY (`other`) REFERENCES `trees` (`id`),\n"
      "  CONSTRAINT `fk_remote` FOREIGN KEY (`other`) REFERENCES `x`.`tree` (`id`)\n"
      ") ENGINE=InnoDB COMMENT='REFERENCES `tree`'";
  StatusOr<std::string> out = RewriteCreateTable(create, "_tree_new", ToggleConstraintName, "tree");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out,
            "CREATE TABLE `_tree_new` (\n  `id` int(11) NOT NULL,\n  `parent_id` int(11) DEFAULT "
            "NULL,\n  `other` int(11) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n"
            "  CONSTRAINT `_fk_parent` FOREIGN KEY (`parent_id`) REFERENCES `_tree_new` (`id`),\n"
            "  CONSTRAINT `_fk_other` FOREIGN KEY (`other`) REFERENCES `trees` (`id`),\n"
            "  CONSTRAINT `_fk_remote` FOREIGN KEY (`other`) REFERENCES `x`.`tree` (`id`)\n"
            ") ENGINE=InnoDB COMMENT='REFERENCES `tree`'");
}

TEST(RewriteCreateTableSelfReferenceTest, WithoutSelfNameReferencesAreKept) {
  const std::string create =
      "CREATE TABLE `tree` (`id` int, CONSTRAINT `f` FOREIGN KEY (`id`) REFERENCES `tree` (`id`))";
  StatusOr<std::string> out = RewriteCreateTable(create, "_tree_new", nullptr);
  ASSERT_TRUE(out.ok());
  EXPECT_NE(out->find("REFERENCES `tree`"), std::string::npos);
}

}  // namespace
}  // namespace shadowalter
