#include "check/grants.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

std::vector<Grant> Parse(const std::vector<std::string>& lines) {
  std::vector<Grant> out;
  for (const std::string& l : lines) {
    if (auto g = ParseGrant(l)) out.push_back(*g);
  }
  return out;
}

const std::vector<std::string> kSchemaPrivileges = {"SELECT", "INSERT", "TRIGGER", "DROP"};

TEST(ParseGrantTest, ReadsPrivilegesAndObject) {
  auto g = ParseGrant("GRANT SELECT, INSERT, TRIGGER ON `shop`.* TO `sa`@`10.%`");
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->privileges, (std::vector<std::string>{"SELECT", "INSERT", "TRIGGER"}));
  EXPECT_EQ(g->schema, "shop");
  EXPECT_EQ(g->table, "*");
}

TEST(ParseGrantTest, ReadsGlobalGrantsWithOptionsAfterThem) {
  auto g = ParseGrant(
      "GRANT ALL PRIVILEGES ON *.* TO `sandbox`@`127.0.0.1` IDENTIFIED BY "
      "PASSWORD '*AB' WITH GRANT OPTION");
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->privileges, std::vector<std::string>{"ALL PRIVILEGES"});
  EXPECT_EQ(g->schema, "*");
  EXPECT_EQ(g->table, "*");
}

TEST(ParseGrantTest, UnquotesDoubledBackticksAndSkipsColumnPrivileges) {
  auto g = ParseGrant("GRANT SELECT (`a`, `b`), UPDATE ON `we``ird`.`t on x` TO `u`@`%`");
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->privileges, std::vector<std::string>{"UPDATE"});
  EXPECT_EQ(g->schema, "we`ird");
  EXPECT_EQ(g->table, "t on x");
}

TEST(ParseGrantTest, IgnoresRolesProxiesAndRoutines) {
  EXPECT_FALSE(ParseGrant("GRANT `app_role` TO `u`@`%`").has_value());
  EXPECT_FALSE(ParseGrant("GRANT PROXY ON ''@'%' TO 'root'@'localhost' WITH GRANT OPTION"));
  EXPECT_FALSE(ParseGrant("GRANT EXECUTE ON PROCEDURE `shop`.`p` TO `u`@`%`").has_value());
  EXPECT_FALSE(ParseGrant("REVOKE SELECT ON *.* FROM `u`@`%`").has_value());
}

TEST(MissingPrivilegesTest, NamesWhatNoGrantGives) {
  auto grants = Parse({"GRANT USAGE ON *.* TO `u`@`%`",
                       "GRANT SELECT, INSERT ON `shop`.* TO "
                       "`u`@`%`"});
  EXPECT_EQ(MissingPrivileges(grants, "shop", kSchemaPrivileges, false),
            (std::vector<std::string>{"TRIGGER", "DROP"}));
  EXPECT_EQ(MissingPrivileges(grants, "other", kSchemaPrivileges, false), kSchemaPrivileges);
}

TEST(MissingPrivilegesTest, AllPrivilegesCoverEverythingAtTheirLevel) {
  auto schema_all = Parse({"GRANT ALL PRIVILEGES ON `shop`.* TO `u`@`%`"});
  EXPECT_TRUE(MissingPrivileges(schema_all, "shop", kSchemaPrivileges, false).empty());
  // A schema-level ALL does not give global privileges.
  EXPECT_EQ(MissingPrivileges(schema_all, "shop", {"PROCESS"}, true),
            std::vector<std::string>{"PROCESS"});
  auto global_all = Parse({"GRANT ALL ON *.* TO `u`@`%`"});
  EXPECT_TRUE(MissingPrivileges(global_all, "shop", {"PROCESS", "SUPER"}, true).empty());
}

TEST(MissingPrivilegesTest, TableGrantsDontCoverTheNewTables) {
  auto grants = Parse({"GRANT SELECT, INSERT, TRIGGER, DROP ON `shop`.`orders` TO `u`@`%`"});
  EXPECT_EQ(MissingPrivileges(grants, "shop", kSchemaPrivileges, false), kSchemaPrivileges);
}

TEST(MissingPrivilegesTest, SchemaPatternsMatchLikeTheServer) {
  auto grants = Parse({"GRANT SELECT, INSERT, TRIGGER, DROP ON `shop\\_%`.* TO `u`@`%`"});
  EXPECT_TRUE(MissingPrivileges(grants, "shop_eu", kSchemaPrivileges, false).empty());
  // The escaped _ is a literal underscore.
  EXPECT_EQ(MissingPrivileges(grants, "shopXeu", kSchemaPrivileges, false), kSchemaPrivileges);
}

TEST(MatchesSchemaPatternTest, Wildcards) {
  EXPECT_TRUE(MatchesSchemaPattern("shop", "shop"));
  EXPECT_FALSE(MatchesSchemaPattern("shop", "shops"));
  EXPECT_TRUE(MatchesSchemaPattern("sh_p", "ship"));
  EXPECT_TRUE(MatchesSchemaPattern("%", ""));
  EXPECT_TRUE(MatchesSchemaPattern("a%z", "abcz"));
  EXPECT_FALSE(MatchesSchemaPattern("a%z", "abc"));
  EXPECT_TRUE(MatchesSchemaPattern("a\\%", "a%"));
  EXPECT_FALSE(MatchesSchemaPattern("a\\%", "ab"));
}

}  // namespace
}  // namespace shadowalter
