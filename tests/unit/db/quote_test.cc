#include "db/quote.h"

#include <gtest/gtest.h>

#include <string>

namespace shadowalter {
namespace {

using std::string_literals::operator""s;

TEST(QuoteIdentifierTest, WrapsInBackticks) {
  EXPECT_EQ(QuoteIdentifier("orders"), "`orders`");
  EXPECT_EQ(QuoteIdentifier(""), "``");
}

TEST(QuoteIdentifierTest, ReservedWordsAndSpaces) {
  EXPECT_EQ(QuoteIdentifier("select"), "`select`");
  EXPECT_EQ(QuoteIdentifier("order by"), "`order by`");
  EXPECT_EQ(QuoteIdentifier(" lead"), "` lead`");
}

TEST(QuoteIdentifierTest, DoublesBackticks) {
  EXPECT_EQ(QuoteIdentifier("a`b"), "`a``b`");
  EXPECT_EQ(QuoteIdentifier("`"), "````");
  EXPECT_EQ(QuoteIdentifier("``x``"), "`````x`````");
}

TEST(QuoteIdentifierTest, OtherQuotesUntouched) {
  EXPECT_EQ(QuoteIdentifier("it's \"x\""), "`it's \"x\"`");
  EXPECT_EQ(QuoteIdentifier("a\\b"), "`a\\b`");
}

TEST(QuoteIdentifierTest, Unicode) {
  EXPECT_EQ(QuoteIdentifier("caf\xC3\xA9"), "`caf\xC3\xA9`");
  EXPECT_EQ(QuoteIdentifier("\xF0\x9F\x90\xAC"), "`\xF0\x9F\x90\xAC`");  // dolphin emoji
}

TEST(QualifiedNameTest, QuotesBothParts) {
  EXPECT_EQ(QualifiedName("shop", "orders"), "`shop`.`orders`");
  EXPECT_EQ(QualifiedName("my db", "t`1"), "`my db`.`t``1`");
  EXPECT_EQ(QualifiedName("a.b", "c"), "`a.b`.`c`");
}

TEST(HexLiteralTest, Encodes) {
  EXPECT_EQ(HexLiteral(""), "X''");
  EXPECT_EQ(HexLiteral("\n\x1b"), "X'0A1B'");
  EXPECT_EQ(HexLiteral("\xff\x00\x7f"s), "X'FF007F'");
  EXPECT_EQ(HexLiteral("ab"), "X'6162'");
}

TEST(QuoteStringTest, PlainText) {
  EXPECT_EQ(QuoteString(""), "''");
  EXPECT_EQ(QuoteString("hello world"), "'hello world'");
  EXPECT_EQ(QuoteString("\"double\""), "'\"double\"'");
  EXPECT_EQ(QuoteString("line\nbreak\ttab"), "'line\nbreak\ttab'");
}

TEST(QuoteStringTest, DoublesSingleQuotes) {
  EXPECT_EQ(QuoteString("it's"), "'it''s'");
  EXPECT_EQ(QuoteString("'"), "''''");
  EXPECT_EQ(QuoteString("''"), "''''''");
}

TEST(QuoteStringTest, UnicodeStaysText) {
  EXPECT_EQ(QuoteString("\xF0\x9F\x98\x80 ok"), "'\xF0\x9F\x98\x80 ok'");
}

TEST(QuoteStringTest, BackslashUsesTextHexLiteral) {
  // 'a\b' would mean "ab" or "a\b" depending on NO_BACKSLASH_ESCAPES; the hex literal does not.
  EXPECT_EQ(QuoteString("a\\b"), "_utf8mb4 X'615C62'");
  EXPECT_EQ(QuoteString("\\"), "_utf8mb4 X'5C'");
  EXPECT_EQ(QuoteString("it's \\"), "_utf8mb4 X'69742773205C'");
  EXPECT_EQ(QuoteString("\\'"), "_utf8mb4 X'5C27'");
}

TEST(QuoteStringTest, NulUsesTextHexLiteral) {
  EXPECT_EQ(QuoteString("a\0b"s), "_utf8mb4 X'610062'");
  EXPECT_EQ(QuoteString("\0"s), "_utf8mb4 X'00'");
}

TEST(QuoteStringTest, InvalidUtf8UsesBinaryHexLiteral) {
  EXPECT_EQ(QuoteString("\xff"), "X'FF'");
  EXPECT_EQ(QuoteString("a\xC3"), "X'61C3'");                 // truncated sequence
  EXPECT_EQ(QuoteString("\xC0\xAF"), "X'C0AF'");              // overlong '/'
  EXPECT_EQ(QuoteString("\xED\xA0\x80"), "X'EDA080'");        // surrogate
  EXPECT_EQ(QuoteString("\xF4\x90\x80\x80"), "X'F4908080'");  // above U+10FFFF
}

TEST(IsValidUtf8Test, Boundaries) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("\0"s));
  EXPECT_TRUE(IsValidUtf8("\xC2\x80"));
  EXPECT_TRUE(IsValidUtf8("\xE0\xA0\x80"));
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBF"));
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));
  EXPECT_FALSE(IsValidUtf8("\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));
  EXPECT_FALSE(IsValidUtf8("\xE0\x9F\xBF"));
  EXPECT_FALSE(IsValidUtf8("\xF0\x8F\xBF\xBF"));
  EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));
  EXPECT_FALSE(IsValidUtf8("\xE2\x28\xA1"));
}

}  // namespace
}  // namespace shadowalter
