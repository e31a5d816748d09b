// Which columns of the new table get their type's implicit value, and which literal.
#include "sql/implicit_fills.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

Column NotNull(std::string name, std::string data_type) {
  Column c;
  c.name = std::move(name);
  c.column_type = c.data_type = std::move(data_type);
  return c;
}

TEST(ImplicitFillsTest, OnlyUnfedNotNullColumnsWithoutDefault) {
  TableInfo shadow;
  shadow.columns = {NotNull("id", "int"), NotNull("added", "int")};
  Column nullable = NotNull("maybe", "int");
  nullable.nullable = true;
  Column defaulted = NotNull("defaulted", "int");
  defaulted.has_default = true;
  Column counter = NotNull("seq", "bigint");
  counter.auto_increment = true;
  Column computed = NotNull("computed", "int");
  computed.generated = true;
  shadow.columns.insert(shadow.columns.end(), {nullable, defaulted, counter, computed});
  const StatusOr<std::vector<ImplicitFill>> fills = ImplicitFills(shadow, {{"id", "id"}});
  ASSERT_TRUE(fills.ok()) << fills.status().message();
  ASSERT_EQ(fills->size(), 1u);
  EXPECT_EQ((*fills)[0].target, "added");
  EXPECT_EQ((*fills)[0].literal, "0");
  EXPECT_EQ(DescribeFills(*fills), "`added` gets 0");
}

// The value a native ALTER gives existing rows (checked against MariaDB 10.11 by
// tests/integration/implicit_fill_test.cc).
TEST(ImplicitFillsTest, EachTypesImplicitLiteral) {
  const std::pair<const char*, const char*> cases[] = {
      {"tinyint", "0"},
      {"bigint", "0"},
      {"decimal", "0"},
      {"double", "0"},
      {"bit", "0"},
      {"year", "0"},
      {"varchar", "''"},
      {"text", "''"},
      {"binary", "''"},
      {"longblob", "''"},
      {"set", "''"},
      {"enum", "1"},
      {"date", "'0000-00-00'"},
      {"datetime", "'0000-00-00 00:00:00'"},
      {"timestamp", "'0000-00-00 00:00:00'"},
      {"time", "'00:00:00'"},
  };
  for (const auto& [type, literal] : cases) {
    TableInfo shadow;
    shadow.columns = {NotNull("id", "int"), NotNull("c", type)};
    const auto fills = ImplicitFills(shadow, {{"id", "id"}});
    ASSERT_TRUE(fills.ok()) << type << ": " << fills.status().message();
    ASSERT_EQ(fills->size(), 1u) << type;
    EXPECT_EQ((*fills)[0].literal, literal) << type;
  }
}

TEST(ImplicitFillsTest, ATypeWithoutALiteralIsRefused) {
  for (const char* type : {"json", "point", "geometry", "inet6", "uuid"}) {
    TableInfo shadow;
    shadow.columns = {NotNull("id", "int"), NotNull("c", type)};
    const auto fills = ImplicitFills(shadow, {{"id", "id"}});
    ASSERT_FALSE(fills.ok()) << type;
    EXPECT_EQ(fills.status().code(), Code::kRefused);
    EXPECT_NE(fills.status().message().find("column `c` (" + std::string(type) +
                                            ") is NOT NULL without a DEFAULT"),
              std::string::npos)
        << fills.status().message();
  }
}

}  // namespace
}  // namespace shadowalter
