// Quoting of identifiers and values spliced into SQL text sent to MySQL/MariaDB.
//
// Any name or value the tool puts into a statement goes through these functions, never through
// ad-hoc string building. They assume a utf8mb4 connection (db/session.h sets one up) but no
// particular sql_mode: the output means the same with and without NO_BACKSLASH_ESCAPES. They do not
// assume ANSI_QUOTES either, since backticks and single quotes work in every mode.
#pragma once

#include <string>
#include <string_view>

namespace shadowalter {

// Returns `name` as a backtick-quoted identifier, doubling embedded backticks. Works for any bytes
// (spaces, reserved words, unicode); whether the server accepts the name is the server's business.
std::string QuoteIdentifier(std::string_view name);

// Returns "`schema`.`table`", each part quoted with QuoteIdentifier.
std::string QualifiedName(std::string_view schema, std::string_view table);

// Returns `value` as a string literal that denotes exactly these bytes in every sql_mode:
//   - 'text' with single quotes doubled, when `value` is valid UTF-8 without backslash or NUL.
//     Doubling is the one escape both backslash modes agree on.
//   - _utf8mb4 X'..' when `value` is valid UTF-8 but holds a backslash or a NUL byte. A backslash
//     is an escape in the default mode and a plain character under NO_BACKSLASH_ESCAPES; a hex
//     literal has no escapes at all. The introducer keeps the literal a utf8mb4 text string (its
//     collation is utf8mb4's default instead of collation_connection).
//   - X'..', a binary string, when `value` is not valid UTF-8: no utf8mb4 text literal can carry
//     those bytes.
std::string QuoteString(std::string_view value);

// Returns the hex literal X'..' of `bytes`, uppercase digits ("\n\x1b" -> X'0A1B', "" -> X'').
// The literal is a binary string.
std::string HexLiteral(std::string_view bytes);

// True when `bytes` is well-formed UTF-8 that utf8mb4 accepts (no overlong forms, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(std::string_view bytes);

}  // namespace shadowalter
