// Tokenizer for MySQL/MariaDB SQL text: the base of every check the tool makes on SQL it did not
// write (the user's --alter clauses, SHOW CREATE TABLE output). Working on tokens instead of raw
// text keeps words inside string literals, comments and quoted names from being mistaken for
// keywords.
//
// What the lexer does:
//   - skips whitespace and comments: "-- " (the "--" must be followed by whitespace, a control
//     character or the end of input, as in MySQL; otherwise it is two '-'), "#", and "/* */";
//   - lexes the content of executable comments "/*! */", "/*!50100 */", "/*M! */",
//     "/*M!100100 */" as code, whatever the version (a 5 or 6 digit version is skipped);
//   - decodes '..' and ".." strings (doubled quote, and backslash escapes \0 \' \" \b \n \r \t \Z
//     \\; \% and \_ keep their backslash as in MySQL; any other \x is x). Double quotes always
//     make a string: ANSI_QUOTES is not supported;
//   - unquotes `..` identifiers (doubled backtick);
//   - keeps introducers as separate tokens: _utf8mb4'a' is a kWord then a kString, and so are
//     N'a', X'0A' (string text "0A") and B'01'; 0x0A and 0b01 are kNumber;
//   - lexes @name, @@name, @@global.name, @'name' as kVariable, except that an '@' right after a
//     name or string (user@host) is kPunct;
//   - lexes a name after "name." as a kWord even if it starts with digits (t.1col).
// Backslash escapes are always decoded: text produced under NO_BACKSLASH_ESCAPES may lex wrongly.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace shadowalter {

struct Token {
  enum Kind { kWord, kQuotedIdentifier, kString, kNumber, kPunct, kVariable };
  Kind kind;
  // kWord, kNumber, kPunct: the source text. kQuotedIdentifier, kString: the unquoted, unescaped
  // value. kVariable: "@" or "@@" then the name (unquoted when it was quoted).
  std::string text;
  size_t begin;  // byte offset of the token's first byte in the input
  size_t end;    // byte offset just past the token (quotes included)
};

// Splits `sql` into tokens. Multi-character operators (<=>, <=, >=, !=, <>, :=, <<, >>, &&, ||,
// ->, ->>) are one kPunct token; every other non-word byte is a kPunct of its own. Fails with
// Code::kUsage "unterminated string|quoted identifier|comment at offset N" (N = where it began).
StatusOr<std::vector<Token>> Tokenize(std::string_view sql);

// True when `token` is an unquoted word equal to `keyword`, ignoring ASCII case.
bool IsKeyword(const Token& token, std::string_view keyword);

// True when `token` is kPunct with exactly the text `punct`.
bool IsPunct(const Token& token, std::string_view punct);

// True when `token` can name something: an unquoted word or a backtick-quoted identifier.
bool IsIdentifier(const Token& token);

// Compares ASCII letters case-insensitively and every other byte exactly.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace shadowalter
