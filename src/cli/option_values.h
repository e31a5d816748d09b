// Typed values of command-line options: one parser per kind of value, each turning an option's
// text into what Config holds. Pure apart from ParseDirectory, which looks at the file system.
//
// Every parser takes the option's name without dashes (`option`, e.g. "max-lag") and its text,
// and fails with a one-line Code::kUsage error that names the option and quotes the text whole
// ('...'), so that a password that ended up in the wrong option can still be redacted. Unless a
// parser says otherwise the message reads
//   bad --<option> '<text>': <advice>
// Numbers are read without units or surrounding white space unless stated otherwise.
#pragma once

#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/config.h"
#include "db/session_variables.h"
#include "util/status.h"
#include "util/time_of_day.h"

namespace shadowalter {

// The usage error "bad --<option> '<text>': <advice>" that every parser here returns.
Status BadValue(std::string_view option, std::string_view text, std::string_view advice);

// Any text but the empty string, returned as is.
// Error: "--<option> is empty: give a value or leave the option out".
StatusOr<std::string> ParseNonEmpty(std::string_view option, std::string_view text);

// The largest `max` ParseCount takes; with it the advice does not name a maximum.
inline constexpr unsigned kAnyCount = std::numeric_limits<unsigned>::max();

// A count of things from 1 to `max`, in decimal digits only ("8"; not "+8", "8.0" or "1e3").
// Advice: "give a whole number from 1 to <max>", or for max == kAnyCount "give a whole number of
// at least 1".
StatusOr<unsigned> ParseCount(std::string_view option, std::string_view text, unsigned max);

// ParseCount with pt-online-schema-change's size suffixes: k, M or G after the digits multiply
// by 1024, 1024^2 or 1024^3 ("10k" is 10240), as pt-osc's --chunk-size reads them.
// Advice: "give a whole number from 1 to <max>, optionally with k, M or G (x1024)".
StatusOr<unsigned> ParseRowCount(std::string_view option, std::string_view text, unsigned max);

// The operations --tries OP:TRIES:WAIT names, as pt-online-schema-change does.
inline constexpr const char* kTriesOperations[] = {"create_triggers", "drop_triggers",
                                                   "swap_tables",     "update_foreign_keys",
                                                   "copy_rows",       "analyze_table"};

// --tries in pt-online-schema-change's form: comma-separated OP:TRIES:WAIT, each OP one of
// kTriesOperations at most once, TRIES a count of at least 1, WAIT seconds from 0 ("0.5").
// Errors name the element and what to give.
StatusOr<std::map<std::string, OperationTries>> ParseOperationTries(std::string_view option,
                                                                    std::string_view text);

// A TCP port, 1 to 65535, as dsn.h's ParsePortNumber reads it.
// Advice: "give a number from 1 to 65535".
StatusOr<unsigned> ParsePort(std::string_view option, std::string_view text);

// How ParseSeconds reads the number.
enum class NumberSyntax {
  kPlain,     // what std::from_chars reads: "2", "0.5", "-1", "1e-3"; no '+', no white space
  kCLibrary,  // what std::strtod reads: also leading white space, a '+' sign and hexadecimal
};

// Which numbers of seconds an option accepts, and what its error advises instead.
struct SecondsRange {
  bool zero_allowed = false;  // else the value must be above 0
  double max = 0;             // the largest value accepted
  std::string advice;         // e.g. "give seconds above 0, e.g. 1 or 0.5"
  NumberSyntax syntax = NumberSyntax::kPlain;
};

// MySQL's own ceiling for lock_wait_timeout (one year); any longer wait is surely a typo.
inline constexpr double kMaxWaitSeconds = 31536000;

// The ranges most options share: a wait or interval above 0, and a wait that may be 0, both up to
// kMaxWaitSeconds (which their advice does not mention).
SecondsRange SecondsAboveZero();
SecondsRange SecondsFromZero();

// A finite number of seconds, fractions allowed, inside `range`. Advice: range.advice.
StatusOr<double> ParseSeconds(std::string_view option, std::string_view text,
                              const SecondsRange& range);

// A percentage from 0 to 100, fractions allowed, read as NumberSyntax::kPlain.
// Advice: "give a percentage from 0 (off) to 100, e.g. 75" (0 turns the limit off).
StatusOr<double> ParsePercentage(std::string_view option, std::string_view text);

// A duration as time_of_day.h's ParseDuration reads it ("90s", "45m", "2h", "1h30m", "600"), in
// seconds. Advice: "give a duration such as 90s, 45m, 2h or 1h30m".
StatusOr<double> ParseDurationValue(std::string_view option, std::string_view text);

// A time of day, HH:MM (local) or HH:MMZ (UTC), as ParseClockTime reads it.
// Advice: "give a time of day as HH:MM (local) or HH:MMZ (UTC), e.g. 06:30".
StatusOr<ClockTime> ParseTimeOfDay(std::string_view option, std::string_view text);

// A daily window, HH:MM-HH:MM (local) or HH:MMZ-HH:MMZ (UTC), as ParseClockWindow reads it.
// Advice: "give HH:MM-HH:MM (local) or HH:MMZ-HH:MMZ (UTC), e.g. 01:00-05:00".
StatusOr<ClockWindow> ParseDailyWindow(std::string_view option, std::string_view text);

// One word of a fixed set and what it stands for.
template <typename T>
struct Choice {
  std::string_view word;
  T value;
};

enum class LetterCase { kExact, kIgnored };

// The value of the choice whose word `text` is; with LetterCase::kIgnored ASCII letters match
// either case. Advice: "give <w1>, <w2> or <w3>", the words in the order of `choices`.
template <typename T>
StatusOr<T> ParseChoice(std::string_view option, std::string_view text,
                        std::span<const Choice<T>> choices, LetterCase letter_case);

// A comma-separated list of names, each non-empty ("a,b"; "a,,b", "a," and "" are refused).
// Error: "empty name in --<option> '<text>'".
StatusOr<std::vector<std::string>> ParseNameList(std::string_view option, std::string_view text);

// A directory that exists now (checked when parsing: a typo must not surface hours into a run).
// An empty text is refused as by ParseNonEmpty; otherwise advice: "not a directory".
StatusOr<std::string> ParseDirectory(std::string_view option, std::string_view text);

// A replica's DSN, as dsn.h's ParseDsn reads it, with h= or S= and none of the ssl-* keys (a
// replica takes the primary's TLS settings). Errors, not in the "bad --" form:
//   "--<option>: <ParseDsn's error>";
//   "--<option>: a replica takes the primary's TLS settings; give ssl-mode=, ssl-ca=, ssl-cert=
//   and ssl-key= in the primary's DSN or as --ssl-* options";
//   "--<option> needs at least h= (and usually P=), e.g. h=10.0.0.2,P=3306".
StatusOr<ConnectionConfig> ParseReplicaDsn(std::string_view option, std::string_view text);

// --set-vars: "name=value,name=value" as pt-online-schema-change takes it. Names are letters,
// digits and '_' (an optional "@@session." / "session." prefix is dropped); a value runs to the
// next comma ("\," for a comma inside it). Refused, naming the option to use instead or why:
// variables the run sets itself or relies on (sql_mode, time_zone, the isolation level, lock
// waits, foreign and unique checks, binary logging, autocommit, the character set, row limits
// and statement time limits). Errors: "bad --set-vars '<element>': <advice>".
StatusOr<std::vector<SessionVariable>> ParseSetVars(std::string_view option, std::string_view text);

// Implementation details of ParseChoice.
namespace option_values_internal {
bool SameWord(std::string_view a, std::string_view b, LetterCase letter_case);
std::string ChoiceAdvice(const std::vector<std::string_view>& words);
}  // namespace option_values_internal

template <typename T>
StatusOr<T> ParseChoice(std::string_view option, std::string_view text,
                        std::span<const Choice<T>> choices, LetterCase letter_case) {
  std::vector<std::string_view> words;
  for (const Choice<T>& choice : choices) {
    if (option_values_internal::SameWord(text, choice.word, letter_case)) return choice.value;
    words.push_back(choice.word);
  }
  return BadValue(option, text, option_values_internal::ChoiceAdvice(words));
}

}  // namespace shadowalter
