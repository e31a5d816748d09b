#include "sql/shadow_match.h"

#include <gtest/gtest.h>

#include "test_tables.h"

namespace shadowalter {
namespace {

using test_tables::Col;

TEST(ComparesAlikeTest, SameTypeAndCollation) {
  EXPECT_TRUE(ComparesAlike(Col("k", "int"), Col("k", "int")));
  EXPECT_TRUE(ComparesAlike(Col("k", "int"), Col("k", "bigint", "bigint(20) unsigned")));
  EXPECT_TRUE(
      ComparesAlike(Col("k", "varchar", "varchar(10)"), Col("k", "varchar", "varchar(90)")));
}

TEST(ComparesAlikeTest, ChangedCollationCharsetOrTypeDoNot) {
  EXPECT_FALSE(ComparesAlike(Col("k", "varchar", "varchar(10)", "utf8mb4_general_ci"),
                             Col("k", "varchar", "varchar(10)", "utf8mb4_bin")));
  EXPECT_FALSE(ComparesAlike(Col("k", "varchar", "varchar(10)", "utf8mb3_general_ci"),
                             Col("k", "varchar", "varchar(10)", "utf8mb4_general_ci")));
  EXPECT_FALSE(ComparesAlike(Col("k", "int"), Col("k", "varchar", "varchar(20)")));
  EXPECT_FALSE(ComparesAlike(Col("k", "char", "char(4)"), Col("k", "varchar", "varchar(4)")));
  EXPECT_FALSE(ComparesAlike(Col("k", "int"), Col("k", "year")));  // 1 becomes 2001
  EXPECT_FALSE(
      ComparesAlike(Col("k", "decimal", "decimal(10,2)"), Col("k", "decimal", "decimal(10,0)")));
}

TEST(ShadowValueTest, UnchangedColumnIsTheValueItself) {
  EXPECT_EQ(ShadowValue(Col("k", "int"), Col("k", "int"), "OLD.`k`"), "OLD.`k`");
}

TEST(ShadowValueTest, TextIsConvertedAndComparedInTheNewCollation) {
  EXPECT_EQ(ShadowValue(Col("k", "varchar", "varchar(9)", "utf8mb3_general_ci"),
                        Col("k", "varchar", "varchar(9)", "utf8mb4_bin"), "OLD.`k`"),
            "CONVERT(OLD.`k` USING utf8mb4) COLLATE utf8mb4_bin");
  EXPECT_EQ(ShadowValue(Col("k", "int"), Col("k", "varchar", "varchar(20)"), "o.`k`"),
            "CONVERT(o.`k` USING utf8mb4) COLLATE utf8mb4_general_ci");
}

TEST(ShadowValueTest, TextBecomesBytesInTheOriginalsCharacterSet) {
  EXPECT_EQ(ShadowValue(Col("k", "varchar", "varchar(9)", "latin1_swedish_ci"),
                        Col("k", "varbinary", "varbinary(9)"), "'x'"),
            "CAST(CONVERT('x' USING latin1) AS BINARY)");
}

TEST(ShadowValueTest, TextIntoANumberIsCastAsTheCopyConvertsIt) {
  EXPECT_EQ(ShadowValue(Col("k", "varchar", "varchar(9)"),
                        Col("k", "bigint", "bigint(20) unsigned"), "OLD.`k`"),
            "CAST(OLD.`k` AS UNSIGNED)");
  EXPECT_EQ(ShadowValue(Col("k", "varchar", "varchar(9)"), Col("k", "decimal", "decimal(12,4)"),
                        "OLD.`k`"),
            "CAST(OLD.`k` AS decimal(12,4))");
  EXPECT_EQ(ShadowValue(Col("k", "int"), Col("k", "bigint"), "OLD.`k`"), "OLD.`k`");
}

TEST(SameBytesTest, TextAsBytesOthersByValue) {
  EXPECT_EQ(SameBytes(Col("k", "varchar"), "`k`", "VALUES(`k`)"),
            "CAST(`k` AS BINARY) <=> CAST(VALUES(`k`) AS BINARY)");
  EXPECT_EQ(SameBytes(Col("k", "int"), "`k`", "VALUES(`k`)"), "`k` <=> VALUES(`k`)");
}

TEST(ShadowRowMatchTest, ChangedTextKeyIsMatchedByIndexThenByBytes) {
  ChunkKey key;
  key.match.push_back({Col("k", "varchar", "varchar(9)", "utf8mb4_bin"),
                       Col("k", "varchar", "varchar(9)", "utf8mb4_general_ci")});
  EXPECT_EQ(ShadowRowMatch(key, "s.", [](const Column& c) { return "o.`" + c.name + "`"; }),
            "s.`k` <=> CONVERT(o.`k` USING utf8mb4) COLLATE utf8mb4_general_ci AND "
            "CAST(s.`k` AS BINARY) <=> CAST(CONVERT(o.`k` USING utf8mb4) COLLATE "
            "utf8mb4_general_ci AS BINARY)");
}

TEST(ShadowRowMatchTest, UnchangedColumnsNeedNoByteComparison) {
  ChunkKey key;
  key.match.push_back({Col("id", "int"), Col("id", "int")});
  key.match.push_back({Col("k", "varchar", "varchar(9)"), Col("k", "varchar", "varchar(9)")});
  EXPECT_EQ(ShadowRowMatch(key, "", [](const Column& c) { return "OLD.`" + c.name + "`"; }),
            "`id` <=> OLD.`id` AND `k` <=> OLD.`k`");
}

}  // namespace
}  // namespace shadowalter
