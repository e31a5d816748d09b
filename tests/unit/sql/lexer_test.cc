#include "sql/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shadowalter {
namespace {

using std::string_literals::operator""s;

std::vector<Token> Lex(std::string_view sql) {
  auto tokens = Tokenize(sql);
  EXPECT_TRUE(tokens.ok()) << tokens.status().message();
  return tokens.ok() ? *tokens : std::vector<Token>{};
}

// The token texts, for compact expectations.
std::vector<std::string> Texts(std::string_view sql) {
  std::vector<std::string> out;
  for (const Token& t : Lex(sql)) out.push_back(t.text);
  return out;
}

std::vector<Token::Kind> Kinds(std::string_view sql) {
  std::vector<Token::Kind> out;
  for (const Token& t : Lex(sql)) out.push_back(t.kind);
  return out;
}

using Strings = std::vector<std::string>;

TEST(LexerTest, EmptyAndBlank) {
  EXPECT_TRUE(Lex("").empty());
  EXPECT_TRUE(Lex(" \t\r\n\f\v ").empty());
}

TEST(LexerTest, WordsNumbersPunctWithOffsets) {
  auto t = Lex("SELECT a1, 42 FROM t");
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t[0].kind, Token::kWord);
  EXPECT_EQ(t[0].text, "SELECT");
  EXPECT_EQ(t[0].begin, 0u);
  EXPECT_EQ(t[0].end, 6u);
  EXPECT_EQ(t[1].text, "a1");
  EXPECT_EQ(t[2].kind, Token::kPunct);
  EXPECT_EQ(t[2].text, ",");
  EXPECT_EQ(t[2].begin, 9u);
  EXPECT_EQ(t[3].kind, Token::kNumber);
  EXPECT_EQ(t[3].text, "42");
  EXPECT_EQ(t[3].begin, 11u);
  EXPECT_EQ(t[3].end, 13u);
  EXPECT_EQ(t[5].text, "t");
  EXPECT_EQ(t[5].end, 20u);
}

TEST(LexerTest, Numbers) {
  EXPECT_EQ(Kinds("1 1.5 .5 1e10 1.5E-3 2e+7 0x1F 0b101 1."),
            std::vector<Token::Kind>(9, Token::kNumber));
  EXPECT_EQ(Texts("1.5E-3 0x1F"), (Strings{"1.5E-3", "0x1F"}));
}

TEST(LexerTest, NamesStartingWithDigits) {
  auto t = Lex("1abc 0xZZ 12e 1e5x");
  ASSERT_EQ(t.size(), 4u);
  for (const Token& tok : t) EXPECT_EQ(tok.kind, Token::kWord) << tok.text;
  EXPECT_EQ(t[0].text, "1abc");
  EXPECT_EQ(t[3].text, "1e5x");
}

TEST(LexerTest, QualifiedNames) {
  auto t = Lex("db.t1.5col `a b`.`c`");
  ASSERT_EQ(t.size(), 8u);
  EXPECT_EQ(t[0].text, "db");
  EXPECT_EQ(t[1].text, ".");
  EXPECT_EQ(t[2].text, "t1");
  EXPECT_EQ(t[3].text, ".");
  EXPECT_EQ(t[4].kind, Token::kWord);
  EXPECT_EQ(t[4].text, "5col");
  EXPECT_EQ(t[5].kind, Token::kQuotedIdentifier);
  EXPECT_EQ(t[5].text, "a b");
  EXPECT_EQ(t[6].kind, Token::kPunct);
  EXPECT_EQ(t[7].text, "c");
}

// Found by tests/fuzz/alter.cc: "t..5" made an empty word between the dots.
TEST(LexerTest, NoEmptyTokenAfterAQualifierDot) {
  EXPECT_EQ(Texts("t..5"), (Strings{"t", ".", ".5"}));
  EXPECT_EQ(Kinds("t..5"), (std::vector<Token::Kind>{Token::kWord, Token::kPunct, Token::kNumber}));
  for (const Token& t : Lex("a.b..1e5 x.`y`..2")) EXPECT_LT(t.begin, t.end) << t.text;
}

TEST(LexerTest, UnicodeWordsAndDollar) {
  auto t = Lex("caf\xC3\xA9 \xF0\x9F\x90\xAC $x");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].text, "caf\xC3\xA9");
  EXPECT_EQ(t[1].kind, Token::kWord);
  EXPECT_EQ(t[1].text, "\xF0\x9F\x90\xAC");
  EXPECT_EQ(t[2].text, "$x");
}

TEST(LexerTest, QuotedIdentifiers) {
  auto t = Lex("`select` `a``b` `with space` `\xF0\x9F\x98\x80` ``");
  ASSERT_EQ(t.size(), 5u);
  for (const Token& tok : t) EXPECT_EQ(tok.kind, Token::kQuotedIdentifier);
  EXPECT_EQ(t[0].text, "select");
  EXPECT_EQ(t[1].text, "a`b");
  EXPECT_EQ(t[1].begin, 9u);
  EXPECT_EQ(t[1].end, 15u);
  EXPECT_EQ(t[2].text, "with space");
  EXPECT_EQ(t[3].text, "\xF0\x9F\x98\x80");
  EXPECT_EQ(t[4].text, "");
}

TEST(LexerTest, QuotedIdentifierKeepsBackslashAndQuotes) {
  auto t = Lex("`a\\b'c\"d`");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].text, "a\\b'c\"d");
}

TEST(LexerTest, Strings) {
  auto t = Lex("'it''s' \"say \"\"hi\"\"\" '' 'a\"b' \"a'b\"");
  ASSERT_EQ(t.size(), 5u);
  for (const Token& tok : t) EXPECT_EQ(tok.kind, Token::kString);
  EXPECT_EQ(t[0].text, "it's");
  EXPECT_EQ(t[0].end, 7u);
  EXPECT_EQ(t[1].text, "say \"hi\"");
  EXPECT_EQ(t[2].text, "");
  EXPECT_EQ(t[3].text, "a\"b");
  EXPECT_EQ(t[4].text, "a'b");
}

TEST(LexerTest, BackslashEscapes) {
  auto t = Lex(R"('\n\t\r\0\\\'\"\Z\b' 'a\qb' '\%\_' 'x\'y')");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].text, "\n\t\r\0\\'\"\x1A\b"s);
  EXPECT_EQ(t[1].text, "aqb");
  EXPECT_EQ(t[2].text, "\\%\\_");
  EXPECT_EQ(t[3].text, "x'y");
}

TEST(LexerTest, EscapedQuoteDoesNotEndString) {
  auto t = Lex(R"('a\' , b' c)");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].text, "a' , b");
  EXPECT_EQ(t[1].text, "c");
}

TEST(LexerTest, StringWithNulByteAndNewline) {
  auto t = Lex("'a\0b\nc'"s);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].text, "a\0b\nc"s);
}

TEST(LexerTest, Introducers) {
  auto t = Lex("_utf8mb4'x' N'y' X'0A1B' x'ff' B'01' _binary 'z'");
  ASSERT_EQ(t.size(), 12u);
  EXPECT_EQ(t[0].kind, Token::kWord);
  EXPECT_EQ(t[0].text, "_utf8mb4");
  EXPECT_EQ(t[1].kind, Token::kString);
  EXPECT_EQ(t[1].text, "x");
  EXPECT_EQ(t[2].text, "N");
  EXPECT_EQ(t[4].text, "X");
  EXPECT_EQ(t[5].text, "0A1B");
  EXPECT_EQ(t[9].text, "01");
  EXPECT_EQ(t[10].text, "_binary");
  EXPECT_EQ(t[11].text, "z");
}

TEST(LexerTest, LineComments) {
  EXPECT_EQ(Texts("a -- comment , b\nc # another ( \n d"), (Strings{"a", "c", "d"}));
  EXPECT_EQ(Texts("a --\tx\nb"), (Strings{"a", "b"}));
  EXPECT_EQ(Texts("a --"), (Strings{"a"}));
  // "--" without whitespace after it is two minus signs (5--3 is 5 - -3).
  EXPECT_EQ(Texts("5--3"), (Strings{"5", "-", "-", "3"}));
}

TEST(LexerTest, BlockComments) {
  EXPECT_EQ(Texts("a /* b, 'c' `d */ e"), (Strings{"a", "e"}));
  EXPECT_EQ(Texts("a/**/b"), (Strings{"a", "b"}));
  EXPECT_EQ(Texts("a /*+ HINT */ b"), (Strings{"a", "b"}));
  EXPECT_EQ(Texts("a /* multi\nline */ b"), (Strings{"a", "b"}));
}

TEST(LexerTest, CommentMarkersInsideStringsAreText) {
  auto t = Lex("'-- x' '/* y */' '# z' `/*`");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].text, "-- x");
  EXPECT_EQ(t[1].text, "/* y */");
  EXPECT_EQ(t[2].text, "# z");
  EXPECT_EQ(t[3].text, "/*");
}

TEST(LexerTest, ExecutableComments) {
  EXPECT_EQ(Texts("a /*! b */ c"), (Strings{"a", "b", "c"}));
  EXPECT_EQ(Texts("a /*!50100 PARTITION BY HASH (id) */"),
            (Strings{"a", "PARTITION", "BY", "HASH", "(", "id", ")"}));
  EXPECT_EQ(Texts("/*!80023 INVISIBLE */"), (Strings{"INVISIBLE"}));
  EXPECT_EQ(Texts("/*M! b */"), (Strings{"b"}));
  EXPECT_EQ(Texts("/*M!100100 x=1*/"), (Strings{"x", "=", "1"}));
  EXPECT_EQ(Texts("/*!b*/"), (Strings{"b"}));
  // A short digit run is code, not a version.
  EXPECT_EQ(Texts("/*!12 */"), (Strings{"12"}));
  // "*/" inside a string within the executable comment does not close it.
  EXPECT_EQ(Texts("/*! 'x */ y' */ z"), (Strings{"x */ y", "z"}));
}

TEST(LexerTest, ExecutableCommentOffsetsPointIntoInput) {
  const std::string sql = "x /*!50100 abc */";
  auto t = Lex(sql);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(sql.substr(t[1].begin, t[1].end - t[1].begin), "abc");
}

TEST(LexerTest, Variables) {
  auto t = Lex("@a @@sql_mode @@global.max_connections @'my var' @`q` @x.y");
  ASSERT_EQ(t.size(), 6u);
  for (const Token& tok : t) EXPECT_EQ(tok.kind, Token::kVariable);
  EXPECT_EQ(t[0].text, "@a");
  EXPECT_EQ(t[1].text, "@@sql_mode");
  EXPECT_EQ(t[2].text, "@@global.max_connections");
  EXPECT_EQ(t[3].text, "@my var");
  EXPECT_EQ(t[3].begin, 39u);
  EXPECT_EQ(t[4].text, "@q");
  EXPECT_EQ(t[5].text, "@x.y");
}

TEST(LexerTest, UserAtHost) {
  auto t = Lex("`root`@`localhost` 'u'@'%' bob@host");
  ASSERT_EQ(t.size(), 9u);
  EXPECT_EQ(t[0].kind, Token::kQuotedIdentifier);
  EXPECT_EQ(t[1].kind, Token::kPunct);
  EXPECT_EQ(t[1].text, "@");
  EXPECT_EQ(t[2].text, "localhost");
  EXPECT_EQ(t[4].kind, Token::kPunct);
  EXPECT_EQ(t[5].text, "%");
  EXPECT_EQ(t[7].kind, Token::kPunct);
}

TEST(LexerTest, MultiCharPunct) {
  EXPECT_EQ(Texts("a<=>b<=c>=d!=e<>f:=g->h->>i<<j>>k&&l||m"),
            (Strings{"a",  "<=>", "b",   "<=", "c",  ">=", "d",  "!=", "e",  "<>", "f",  ":=", "g",
                     "->", "h",   "->>", "i",  "<<", "j",  ">>", "k",  "&&", "l",  "||", "m"}));
  EXPECT_EQ(Texts("(a=1);"), (Strings{"(", "a", "=", "1", ")", ";"}));
}

TEST(LexerTest, UnterminatedString) {
  auto t = Tokenize("a 'abc");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Code::kUsage);
  EXPECT_EQ(t.status().message(), "unterminated string at offset 2");
  EXPECT_EQ(Tokenize("\"x\"\"").status().message(), "unterminated string at offset 0");
  EXPECT_EQ(Tokenize("'x\\'").status().message(), "unterminated string at offset 0");
  EXPECT_EQ(Tokenize("'x\\").status().message(), "unterminated string at offset 0");
}

TEST(LexerTest, UnterminatedIdentifier) {
  auto t = Tokenize("ab `cd``");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Code::kUsage);
  EXPECT_EQ(t.status().message(), "unterminated quoted identifier at offset 3");
}

TEST(LexerTest, UnterminatedComments) {
  auto t = Tokenize("a /* b");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Code::kUsage);
  EXPECT_EQ(t.status().message(), "unterminated comment at offset 2");
  EXPECT_EQ(Tokenize("x /*!50100 y").status().message(), "unterminated comment at offset 2");
  EXPECT_EQ(Tokenize("/*M! y").status().message(), "unterminated comment at offset 0");
}

TEST(LexerTest, Helpers) {
  auto t = Lex("Add `add` ( 'add'");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_TRUE(IsKeyword(t[0], "ADD"));
  EXPECT_TRUE(IsKeyword(t[0], "add"));
  EXPECT_FALSE(IsKeyword(t[1], "ADD"));  // quoted: a name, never a keyword
  EXPECT_FALSE(IsKeyword(t[3], "ADD"));
  EXPECT_TRUE(IsPunct(t[2], "("));
  EXPECT_FALSE(IsPunct(t[0], "("));
  EXPECT_TRUE(IsIdentifier(t[0]));
  EXPECT_TRUE(IsIdentifier(t[1]));
  EXPECT_FALSE(IsIdentifier(t[3]));
  EXPECT_TRUE(EqualsIgnoreCase("AbC", "aBc"));
  EXPECT_FALSE(EqualsIgnoreCase("abc", "abcd"));
}

}  // namespace
}  // namespace shadowalter
