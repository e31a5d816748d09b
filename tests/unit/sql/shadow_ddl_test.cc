#include "sql/shadow_ddl.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shadowalter {
namespace {

std::string Rewrite(std::string_view ddl, std::string_view name) {
  auto out = RewriteCreateTable(ddl, name, ToggleConstraintName);
  EXPECT_TRUE(out.ok()) << out.status().message();
  return out.ok() ? *out : std::string();
}

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

TEST(RewriteCreateTableTest, RenamesTableAndConstraints) {
  const std::string ddl =
      "CREATE TABLE `orders` (\n"
      "  `id` int NOT NULL AUTO_INCREMENT,\n"
      "  `customer_id` int NOT NULL,\n"
      "  `qty` int DEFAULT NULL,\n"
      "  PRIMARY KEY (`id`),\n"
      "  KEY `fk_customer` (`customer_id`),\n"
      "  CONSTRAINT `fk_customer` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`) ON "
      "DELETE CASCADE,\n"
      "  CONSTRAINT `_chk_qty` CHECK ((`qty` > 0))\n"
      ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci";
  EXPECT_EQ(Rewrite(ddl, "_orders_new"),
            "CREATE TABLE `_orders_new` (\n"
            "  `id` int NOT NULL AUTO_INCREMENT,\n"
            "  `customer_id` int NOT NULL,\n"
            "  `qty` int DEFAULT NULL,\n"
            "  PRIMARY KEY (`id`),\n"
            "  KEY `fk_customer` (`customer_id`),\n"
            "  CONSTRAINT `_fk_customer` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`) "
            "ON DELETE CASCADE,\n"
            "  CONSTRAINT `chk_qty` CHECK ((`qty` > 0))\n"
            ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci");
}

TEST(RewriteCreateTableTest, StringsContainingKeywordsAreUntouched) {
  const std::string ddl =
      "CREATE TABLE `t` (\n"
      "  `a` varchar(50) DEFAULT 'CREATE TABLE `x` (' COMMENT 'see CONSTRAINT `x`',\n"
      "  `b` int DEFAULT NULL COMMENT 'it''s \\' CONSTRAINT `y`',\n"
      "  CONSTRAINT `c1` CHECK ((`b` <> 1))\n"
      ") ENGINE=InnoDB COMMENT='CONSTRAINT `z` here'";
  EXPECT_EQ(Rewrite(ddl, "t_new"),
            "CREATE TABLE `t_new` (\n"
            "  `a` varchar(50) DEFAULT 'CREATE TABLE `x` (' COMMENT 'see CONSTRAINT `x`',\n"
            "  `b` int DEFAULT NULL COMMENT 'it''s \\' CONSTRAINT `y`',\n"
            "  CONSTRAINT `_c1` CHECK ((`b` <> 1))\n"
            ") ENGINE=InnoDB COMMENT='CONSTRAINT `z` here'");
}

TEST(RewriteCreateTableTest, ColumnNamedConstraintIsNotAConstraint) {
  const std::string ddl = "CREATE TABLE `t` (`constraint` int, `x` int)";
  EXPECT_EQ(Rewrite(ddl, "s"), "CREATE TABLE `s` (`constraint` int, `x` int)");
}

TEST(RewriteCreateTableTest, BackticksAndUnicodeInNames) {
  const std::string ddl =
      "CREATE TABLE `we``ird \xF0\x9F\x90\xAC` (\n"
      "  `id` int,\n"
      "  CONSTRAINT `fk``q \xC3\xA9` FOREIGN KEY (`id`) REFERENCES `p``q` (`id`)\n"
      ")";
  EXPECT_EQ(Rewrite(ddl, "_we`ird \xF0\x9F\x90\xAC_new"),
            "CREATE TABLE `_we``ird \xF0\x9F\x90\xAC_new` (\n"
            "  `id` int,\n"
            "  CONSTRAINT `_fk``q \xC3\xA9` FOREIGN KEY (`id`) REFERENCES `p``q` (`id`)\n"
            ")");
}

TEST(RewriteCreateTableTest, CallsRenameWithUnquotedNames) {
  std::vector<std::string> seen;
  auto out = RewriteCreateTable(
      "CREATE TABLE t (a int, constraint `a``b` foreign key (a) references p (id), "
      "CONSTRAINT plain CHECK (a > 0))",
      "n", [&seen](const std::string& name) {
        seen.push_back(name);
        return "new_" + name;
      });
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(seen, (std::vector<std::string>{"a`b", "plain"}));
  EXPECT_EQ(*out,
            "CREATE TABLE `n` (a int, constraint `new_a``b` foreign key (a) references p (id), "
            "CONSTRAINT `new_plain` CHECK (a > 0))");
}

TEST(RewriteCreateTableTest, UnnamedConstraintsAreLeftAlone) {
  auto out = RewriteCreateTable(
      "CREATE TABLE t (a int, CONSTRAINT FOREIGN KEY (a) REFERENCES p (id), "
      "CONSTRAINT CHECK (a > 0), CONSTRAINT UNIQUE (a), CONSTRAINT PRIMARY KEY (a))",
      "n", ToggleConstraintName);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out,
            "CREATE TABLE `n` (a int, CONSTRAINT FOREIGN KEY (a) REFERENCES p (id), "
            "CONSTRAINT CHECK (a > 0), CONSTRAINT UNIQUE (a), CONSTRAINT PRIMARY KEY (a))");
}

TEST(RewriteCreateTableTest, EmptyRenameFunctionKeepsNames) {
  auto out = RewriteCreateTable("CREATE TABLE t (CONSTRAINT c CHECK (1))", "n", nullptr);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "CREATE TABLE `n` (CONSTRAINT `c` CHECK (1))");
}

TEST(RewriteCreateTableTest, VariantsOfTheHeader) {
  EXPECT_EQ(Rewrite("create table IF NOT EXISTS `t` (a int)", "n"),
            "create table IF NOT EXISTS `n` (a int)");
  EXPECT_EQ(Rewrite("CREATE TEMPORARY TABLE `t` (a int)", "n"),
            "CREATE TEMPORARY TABLE `n` (a int)");
  EXPECT_EQ(Rewrite("CREATE TABLE `db`.`t` (a int)", "n"), "CREATE TABLE `db`.`n` (a int)");
  EXPECT_EQ(Rewrite("/* lead */ CREATE TABLE t(a int)", "n"), "/* lead */ CREATE TABLE `n`(a int)");
}

TEST(RewriteCreateTableTest, KeepsExecutableComments) {
  const std::string ddl =
      "CREATE TABLE `t` (\n  `id` int NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB\n"
      "/*!50100 PARTITION BY HASH (`id`)\nPARTITIONS 4 */";
  EXPECT_EQ(Rewrite(ddl, "t2"),
            "CREATE TABLE `t2` (\n  `id` int NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB\n"
            "/*!50100 PARTITION BY HASH (`id`)\nPARTITIONS 4 */");
}

TEST(RewriteCreateTableTest, RejectsOtherStatements) {
  for (const char* text : {"", "CREATE VIEW v AS SELECT 1", "SELECT 1", "CREATE TABLE",
                           "CREATE TABLE (a int)", "CREATE TABLE 'x' (a int)"}) {
    auto out = RewriteCreateTable(text, "n", ToggleConstraintName);
    ASSERT_FALSE(out.ok()) << text;
    EXPECT_EQ(out.status().code(), Code::kInternal) << text;
  }
  auto out = RewriteCreateTable("CREATE TABLE t (a int COMMENT 'x", "n", ToggleConstraintName);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Code::kInternal);
  EXPECT_NE(out.status().message().find("unterminated string"), std::string::npos);
}

TEST(RewriteCreateTableTest, LongConstraintNames) {
  const std::string name(64, 'f');
  auto out = RewriteCreateTable("CREATE TABLE t (a int, CONSTRAINT `" + name + "` CHECK (a > 0))",
                                "n", ToggleConstraintName);
  ASSERT_TRUE(out.ok());
  const std::string expected = ToggleConstraintName(name);
  EXPECT_EQ(expected.size(), 64u);
  EXPECT_EQ(*out, "CREATE TABLE `n` (a int, CONSTRAINT `" + expected + "` CHECK (a > 0))");
}

TEST(ToggleConstraintNameTest, PrependsOrRemovesOneUnderscore) {
  EXPECT_EQ(ToggleConstraintName("fk_order"), "_fk_order");
  EXPECT_EQ(ToggleConstraintName("_fk_order"), "fk_order");
  EXPECT_EQ(ToggleConstraintName("__fk"), "_fk");
  EXPECT_EQ(ToggleConstraintName("_"), "");
  EXPECT_EQ(ToggleConstraintName(""), "_");
  EXPECT_EQ(ToggleConstraintName("\xF0\x9F\x90\xAC"), "_\xF0\x9F\x90\xAC");
  EXPECT_EQ(ToggleConstraintName(ToggleConstraintName("chk_1")), "chk_1");
}

TEST(ToggleConstraintNameTest, FitsWithoutShortening) {
  const std::string name63(63, 'a');
  EXPECT_EQ(ToggleConstraintName(name63), "_" + name63);
  const std::string name64 = "_" + std::string(63, 'b');
  EXPECT_EQ(ToggleConstraintName(name64), std::string(63, 'b'));
}

TEST(ToggleConstraintNameTest, ShortensLongNamesWithStableHash) {
  const std::string name(64, 'a');
  const std::string out = ToggleConstraintName(name);
  ASSERT_EQ(out.size(), 64u);
  EXPECT_EQ(out.substr(0, 55), "_" + std::string(54, 'a'));
  EXPECT_EQ(out[55], '_');
  // FNV-1a 32-bit of the original 64 'a's, computed independently (FNV-1a("a") is e40c292c).
  EXPECT_EQ(out.substr(56), "d96f0f85");
  EXPECT_EQ(ToggleConstraintName(name), out);  // deterministic
  EXPECT_NE(out, name);
}

TEST(ToggleConstraintNameTest, LongNamesDifferingAtTheEndGetDifferentResults) {
  const std::string a = std::string(63, 'x') + "1";
  const std::string b = std::string(63, 'x') + "2";
  EXPECT_NE(ToggleConstraintName(a), ToggleConstraintName(b));
  EXPECT_EQ(ToggleConstraintName(a).substr(0, 55), ToggleConstraintName(b).substr(0, 55));
}

TEST(ToggleConstraintNameTest, CountsCodePointsNotBytes) {
  // 40 two-byte characters: 80 bytes but 41 code points once toggled, so no shortening.
  std::string name;
  for (int i = 0; i < 40; ++i) name += "\xC3\xA9";
  EXPECT_EQ(ToggleConstraintName(name), "_" + name);

  // 64 four-byte emoji: shortened to 55 code points of "_" + emoji, then "_" + 8 hex digits.
  std::string emoji;
  for (int i = 0; i < 64; ++i) emoji += "\xF0\x9F\x90\xAC";
  const std::string out = ToggleConstraintName(emoji);
  EXPECT_EQ(CodePoints(out), 64u);
  std::string prefix = "_";
  for (int i = 0; i < 54; ++i) prefix += "\xF0\x9F\x90\xAC";
  EXPECT_EQ(out.substr(0, prefix.size()), prefix);
  EXPECT_EQ(out.size(), prefix.size() + 9);
  EXPECT_EQ(out[prefix.size()], '_');
}

// On MariaDB a CHECK constraint's name is per table: renamed in the copy, it would stay renamed
// after the swap (found by the hostile-names integration test). Foreign keys still toggle.
TEST(RewriteCreateTableTest, KeepsCheckNamesWhenAsked) {
  const std::string create =
      "CREATE TABLE `t` (\n  `a` int(11) NOT NULL,\n"
      "  CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `p` (`id`),\n"
      "  CONSTRAINT `chk` CHECK (`a` > 0)\n) ENGINE=InnoDB";
  auto keep =
      RewriteCreateTable(create, "_t_new", ToggleConstraintName, "t", CheckConstraintNames::kKeep);
  ASSERT_TRUE(keep.ok()) << keep.status().message();
  EXPECT_NE(keep->find("CONSTRAINT `_fk` FOREIGN KEY"), std::string::npos) << *keep;
  EXPECT_NE(keep->find("CONSTRAINT `chk` CHECK"), std::string::npos) << *keep;
  auto rename = RewriteCreateTable(create, "_t_new", ToggleConstraintName, "t");
  ASSERT_TRUE(rename.ok()) << rename.status().message();
  EXPECT_NE(rename->find("CONSTRAINT `_chk` CHECK"), std::string::npos) << *rename;
}

// The original, and the new table as the server shows it once made from it (name, toggled
// constraint names, a self-reference to itself) and altered.
const char kOriginal[] =
    "CREATE TABLE `orders` (\n"
    "  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
    "  `parent` int(11) DEFAULT NULL,\n"
    "  `note` varchar(100) NOT NULL,\n"
    "  PRIMARY KEY (`id`),\n"
    "  KEY `parent` (`parent`),\n"
    "  CONSTRAINT `fk_parent` FOREIGN KEY (`parent`) REFERENCES `orders` (`id`)\n"
    ") ENGINE=InnoDB AUTO_INCREMENT=5001 DEFAULT CHARSET=utf8mb4";

std::string NewTable(const std::string& note_type, const std::string& counter) {
  return "CREATE TABLE `_orders_new` (\n"
         "  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
         "  `parent` int(11) DEFAULT NULL,\n"
         "  `note` " +
         note_type +
         " NOT NULL,\n"
         "  PRIMARY KEY (`id`),\n"
         "  KEY `parent` (`parent`),\n"
         "  CONSTRAINT `_fk_parent` FOREIGN KEY (`parent`) REFERENCES `_orders_new` (`id`)\n"
         ") ENGINE=InnoDB" +
         counter + " DEFAULT CHARSET=utf8mb4";
}

bool Same(const std::string& new_create) {
  StatusOr<bool> same =
      SameDefinition(kOriginal, "orders", new_create, "_orders_new", CheckConstraintNames::kKeep);
  EXPECT_TRUE(same.ok()) << same.status().message();
  return same.ok() && *same;
}

TEST(SameDefinitionTest, TheNewTableTakenBackThroughItsRenamesIsTheOriginal) {
  EXPECT_TRUE(Same(NewTable("varchar(100)", " AUTO_INCREMENT=5001")));
  EXPECT_TRUE(Same(NewTable("varchar(100)", "")));  // the counter is not the definition
}

TEST(SameDefinitionTest, AnyChangeTheAlterMadeIsADifference) {
  EXPECT_FALSE(Same(NewTable("varchar(200)", " AUTO_INCREMENT=5001")));
  EXPECT_FALSE(Same(NewTable("varchar(100) COLLATE utf8mb4_bin", "")));
  // A foreign key that points elsewhere is not the original's.
  std::string elsewhere = NewTable("varchar(100)", "");
  elsewhere.replace(elsewhere.find("REFERENCES `_orders_new`"), 24, "REFERENCES `customers`");
  EXPECT_FALSE(Same(elsewhere));
}

TEST(SameDefinitionTest, AnUnreadableTextIsAnError) {
  EXPECT_FALSE(SameDefinition(kOriginal, "orders", "DROP TABLE x", "_orders_new",
                              CheckConstraintNames::kKeep)
                   .ok());
}

}  // namespace
}  // namespace shadowalter
