#include "schema/table.h"

#include <gtest/gtest.h>

#include <string>

#include "test_tables.h"

namespace shadowalter {
namespace {

using namespace test_tables;

void ExpectKind(const char* type, ValueKind kind) {
  EXPECT_EQ(ValueKindForDataType(type), kind) << "data type " << type;
}

TEST(ValueKindForDataTypeTest, Integers) {
  for (const char* t : {"tinyint", "smallint", "mediumint", "int", "integer", "bigint", "year"}) {
    ExpectKind(t, ValueKind::kInteger);
  }
}

TEST(ValueKindForDataTypeTest, Decimals) {
  ExpectKind("decimal", ValueKind::kDecimal);
  ExpectKind("numeric", ValueKind::kDecimal);
}

TEST(ValueKindForDataTypeTest, ApproximateNumbers) {
  ExpectKind("float", ValueKind::kFloat);
  ExpectKind("double", ValueKind::kFloat);
  ExpectKind("real", ValueKind::kFloat);
}

TEST(ValueKindForDataTypeTest, Text) {
  for (const char* t : {"char", "varchar", "tinytext", "text", "mediumtext", "longtext"}) {
    ExpectKind(t, ValueKind::kString);
  }
}

TEST(ValueKindForDataTypeTest, BinaryStrings) {
  for (const char* t : {"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"}) {
    ExpectKind(t, ValueKind::kBinary);
  }
}

// The client library returns BIT values as raw bytes, not digits, so they must be written as hex
// literals: a BIT(8) value 0x31 arrives as "1" and would otherwise read as the integer 1.
// (table.h's comment on kInteger still lists BIT; the implementation maps it to kBinary.)
TEST(ValueKindForDataTypeTest, BitIsWrittenAsHex) { ExpectKind("bit", ValueKind::kBinary); }

TEST(ValueKindForDataTypeTest, Temporal) {
  for (const char* t : {"date", "time", "datetime", "timestamp"}) {
    ExpectKind(t, ValueKind::kTemporal);
  }
}

TEST(ValueKindForDataTypeTest, EnumAndSet) {
  ExpectKind("enum", ValueKind::kEnumSet);
  ExpectKind("set", ValueKind::kEnumSet);
}

TEST(ValueKindForDataTypeTest, EverythingElseIsOther) {
  for (const char* t : {"json", "geometry", "point", "polygon", "linestring", "multipoint",
                        "geometrycollection", "uuid", "inet6", "vector", ""}) {
    ExpectKind(t, ValueKind::kOther);
  }
}

TEST(ValueKindForDataTypeTest, ExpectsLowerCaseDataTypes) {
  // information_schema.COLUMNS.DATA_TYPE is lower case; the inspector passes it unchanged.
  ExpectKind("int", ValueKind::kInteger);
  ExpectKind("varchar", ValueKind::kString);
}

TEST(SameColumnNameTest, AsciiCaseInsensitive) {
  EXPECT_TRUE(SameColumnName("id", "id"));
  EXPECT_TRUE(SameColumnName("Id", "iD"));
  EXPECT_TRUE(SameColumnName("CUSTOMER_ID", "customer_id"));
  EXPECT_TRUE(SameColumnName("", ""));
}

TEST(SameColumnNameTest, DifferentNames) {
  EXPECT_FALSE(SameColumnName("id", "ids"));
  EXPECT_FALSE(SameColumnName("ids", "id"));
  EXPECT_FALSE(SameColumnName("id", ""));
  EXPECT_FALSE(SameColumnName("a_b", "a b"));
}

TEST(SameColumnNameTest, NonAsciiComparedExactly) {
  EXPECT_TRUE(SameColumnName("näme", "näme"));
  EXPECT_TRUE(SameColumnName("NÄME", "nÄme"));  // only the ASCII letters fold
  EXPECT_FALSE(SameColumnName("näme", "nÄme"));
}

TEST(TableInfoTest, FindColumnIsCaseInsensitive) {
  TableInfo t = Table("db", "t", {Col("id", "int"), Col("Customer_Name", "varchar")},
                      {Primary({"id"})});
  ASSERT_NE(t.FindColumn("customer_name"), nullptr);
  EXPECT_EQ(t.FindColumn("customer_name")->name, "Customer_Name");
  EXPECT_EQ(t.FindColumn("CUSTOMER_NAME"), &t.columns[1]);
  EXPECT_EQ(t.FindColumn("ID"), &t.columns[0]);
  EXPECT_EQ(t.FindColumn("missing"), nullptr);
  EXPECT_EQ(t.FindColumn(""), nullptr);
}

TEST(TableInfoTest, FindIndexIsCaseInsensitive) {
  TableInfo t = Table("db", "t", {Col("id", "int"), Col("email", "varchar")},
                      {Primary({"id"}), Unique("UX_Email", {"email"})});
  ASSERT_NE(t.FindIndex("primary"), nullptr);
  EXPECT_TRUE(t.FindIndex("primary")->primary);
  EXPECT_EQ(t.FindIndex("ux_email"), &t.indexes[1]);
  EXPECT_EQ(t.FindIndex("nope"), nullptr);
}

}  // namespace
}  // namespace shadowalter
