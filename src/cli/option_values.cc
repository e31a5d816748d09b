#include "cli/option_values.h"

#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "cli/dsn.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

std::string Flag(std::string_view option) { return "--" + std::string(option); }

std::optional<uint64_t> ReadWholeNumber(std::string_view text) {
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> ReadNumber(std::string_view text, NumberSyntax syntax) {
  double value = 0;
  if (syntax == NumberSyntax::kCLibrary) {
    // strtod stops at the first NUL, as the C string of `text` does.
    const std::string c_text(text);
    char* end = nullptr;
    value = std::strtod(c_text.c_str(), &end);
    if (c_text.empty() || *end != '\0') return std::nullopt;
  } else {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      return std::nullopt;
    }
  }
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

Status BadValue(std::string_view option, std::string_view text, std::string_view advice) {
  return UsageError("bad " + Flag(option) + " '" + std::string(text) + "': " + std::string(advice));
}

StatusOr<std::string> ParseNonEmpty(std::string_view option, std::string_view text) {
  if (text.empty()) {
    return UsageError(Flag(option) + " is empty: give a value or leave the option out");
  }
  return std::string(text);
}

StatusOr<unsigned> ParseCount(std::string_view option, std::string_view text, unsigned max) {
  const std::optional<uint64_t> n = ReadWholeNumber(text);
  if (!n.has_value() || *n < 1 || *n > max) {
    return BadValue(option, text,
                    max == kAnyCount ? "give a whole number of at least 1"
                                     : "give a whole number from 1 to " + std::to_string(max));
  }
  return static_cast<unsigned>(*n);
}

StatusOr<unsigned> ParseRowCount(std::string_view option, std::string_view text, unsigned max) {
  uint64_t factor = 1;
  std::string_view digits = text;
  if (!text.empty()) {
    switch (text.back()) {
      case 'k':
        factor = 1024;
        break;
      case 'M':
        factor = 1024 * 1024;
        break;
      case 'G':
        factor = 1024 * 1024 * 1024;
        break;
      default:
        break;
    }
    if (factor > 1) digits.remove_suffix(1);
  }
  const std::optional<uint64_t> n = ReadWholeNumber(digits);
  if (!n.has_value() || *n < 1 || *n > max / factor) {
    return BadValue(option, text,
                    "give a whole number from 1 to " + std::to_string(max) +
                        ", optionally with k, M or G (x1024)");
  }
  return static_cast<unsigned>(*n * factor);
}

StatusOr<std::map<std::string, OperationTries>> ParseOperationTries(std::string_view option,
                                                                    std::string_view text) {
  const std::string advice =
      "give OP:TRIES:WAIT, comma-separated, OP one of create_triggers, drop_triggers, "
      "swap_tables, update_foreign_keys, copy_rows, analyze_table, e.g. "
      "create_triggers:5:0.5,swap_tables:10:1";
  std::map<std::string, OperationTries> out;
  for (const std::string& element : Split(std::string(text), ',')) {
    const std::vector<std::string> parts = Split(element, ':');
    if (parts.size() != 3) return BadValue(option, element, advice);
    const auto known = std::find_if(std::begin(kTriesOperations), std::end(kTriesOperations),
                                    [&](const char* op) { return parts[0] == op; });
    if (known == std::end(kTriesOperations)) return BadValue(option, element, advice);
    if (out.count(parts[0]) != 0) {
      return BadValue(option, element, parts[0] + " is given twice; give each operation once");
    }
    OperationTries tries;
    StatusOr<unsigned> count = ParseCount(option, parts[1], kAnyCount);
    if (!count.ok()) return BadValue(option, element, "TRIES must be a whole number of at least 1");
    tries.tries = *count;
    StatusOr<double> wait = ParseSeconds(option, parts[2], SecondsFromZero());
    if (!wait.ok()) return BadValue(option, element, "WAIT must be seconds from 0, e.g. 0.5");
    tries.wait_seconds = *wait;
    out[parts[0]] = tries;
  }
  return out;
}

StatusOr<unsigned> ParsePort(std::string_view option, std::string_view text) {
  const std::optional<unsigned> port = ParsePortNumber(text);
  if (!port.has_value()) return BadValue(option, text, "give a number from 1 to 65535");
  return *port;
}

SecondsRange SecondsAboveZero() {
  return {.zero_allowed = false,
          .max = kMaxWaitSeconds,
          .advice = "give seconds above 0, e.g. 1 or 0.5"};
}

SecondsRange SecondsFromZero() {
  return {.zero_allowed = true,
          .max = kMaxWaitSeconds,
          .advice = "give seconds (0 or more), e.g. 1 or 0.5"};
}

StatusOr<double> ParseSeconds(std::string_view option, std::string_view text,
                              const SecondsRange& range) {
  const std::optional<double> seconds = ReadNumber(text, range.syntax);
  if (!seconds.has_value() || *seconds < 0 || (!range.zero_allowed && *seconds == 0) ||
      *seconds > range.max) {
    return BadValue(option, text, range.advice);
  }
  return *seconds;
}

StatusOr<double> ParsePercentage(std::string_view option, std::string_view text) {
  const std::optional<double> percent = ReadNumber(text, NumberSyntax::kPlain);
  if (!percent.has_value() || *percent < 0 || *percent > 100) {
    return BadValue(option, text, "give a percentage from 0 (off) to 100, e.g. 75");
  }
  return *percent;
}

StatusOr<double> ParseDurationValue(std::string_view option, std::string_view text) {
  const std::optional<double> seconds = ParseDuration(text);
  if (!seconds.has_value()) {
    return BadValue(option, text, "give a duration such as 90s, 45m, 2h or 1h30m");
  }
  return *seconds;
}

StatusOr<ClockTime> ParseTimeOfDay(std::string_view option, std::string_view text) {
  const std::optional<ClockTime> time = ParseClockTime(text);
  if (!time.has_value()) {
    return BadValue(option, text,
                    "give a time of day as HH:MM (local) or HH:MMZ (UTC), e.g. 06:30");
  }
  return *time;
}

StatusOr<ClockWindow> ParseDailyWindow(std::string_view option, std::string_view text) {
  const std::optional<ClockWindow> window = ParseClockWindow(text);
  if (!window.has_value()) {
    return BadValue(option, text,
                    "give HH:MM-HH:MM (local) or HH:MMZ-HH:MMZ (UTC), e.g. 01:00-05:00");
  }
  return *window;
}

StatusOr<std::vector<std::string>> ParseNameList(std::string_view option, std::string_view text) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    if (comma == start) {
      return UsageError("empty name in " + Flag(option) + " '" + std::string(text) + "'");
    }
    names.emplace_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return names;
}

StatusOr<std::string> ParseDirectory(std::string_view option, std::string_view text) {
  SA_ASSIGN_OR_RETURN(std::string path, ParseNonEmpty(option, text));
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return BadValue(option, text, "not a directory");
  }
  return path;
}

StatusOr<ConnectionConfig> ParseReplicaDsn(std::string_view option, std::string_view text) {
  StatusOr<ConnectionConfig> replica = ParseDsn(text);
  if (!replica.ok()) return replica.status().With(Flag(option));
  if (!replica->dsn_tls.empty()) {
    return UsageError(Flag(option) +
                      ": a replica takes the primary's TLS settings; give ssl-mode=, ssl-ca=, "
                      "ssl-cert= and ssl-key= in the primary's DSN or as --ssl-* options");
  }
  if (!replica->host && !replica->socket) {
    return UsageError(Flag(option) + " needs at least h= (and usually P=), e.g. h=10.0.0.2,P=3306");
  }
  return replica;
}

namespace {

// The variables a run sets on its sessions or whose value its statements rely on, each with
// what to do instead.
const char* ManagedVariable(const std::string& name) {
  static const std::pair<const char*, const char*> kManaged[] = {
      {"sql_mode", "the run's strict sql_mode is what turns a truncated value into an error"},
      {"time_zone", "the run reads TIMESTAMPs in '+00:00' on purpose"},
      {"transaction_isolation", "the copy and the verification need REPEATABLE READ"},
      {"tx_isolation", "the copy and the verification need REPEATABLE READ"},
      {"lock_wait_timeout", "use --lock-wait-timeout"},
      {"innodb_lock_wait_timeout", "use --lock-wait-timeout; the copy's never wait"},
      {"foreign_key_checks", "the run sets it where it may (see --alter-foreign-keys-method)"},
      {"unique_checks", "the new table's unique keys must be checked"},
      {"sql_log_bin", "replicas must get the same changes as the primary"},
      {"autocommit", "the copy's transactions are its own"},
      {"character_set_client", "every session talks utf8mb4"},
      {"character_set_connection", "every session talks utf8mb4"},
      {"character_set_results", "every session talks utf8mb4"},
      {"collation_connection", "every session talks utf8mb4"},
      {"names", "every session talks utf8mb4"},
      {"sql_select_limit", "it would cut the reads the copy relies on short"},
      {"max_statement_time", "a copy or verification statement cut off would be retried forever"},
      {"max_execution_time", "a copy or verification statement cut off would be retried forever"},
      {"sql_safe_updates", "the copy deletes rows by key lists it reads itself"},
      {"binlog_format", "set it on the server; the run checks it"},
  };
  for (const auto& [variable, why] : kManaged) {
    if (name == variable) return why;
  }
  return nullptr;
}

}  // namespace

StatusOr<std::vector<SessionVariable>> ParseSetVars(std::string_view option,
                                                    std::string_view text) {
  std::vector<SessionVariable> out;
  std::vector<std::string> elements(1);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == ',') {
      elements.back() += text[++i];
    } else if (text[i] == ',') {
      elements.emplace_back();
    } else {
      elements.back() += text[i];
    }
  }
  for (const std::string& element : elements) {
    const size_t eq = element.find('=');
    if (eq == std::string::npos || eq == 0) {
      return BadValue(option, element, "give name=value pairs separated by commas");
    }
    std::string name = AsciiLower(element.substr(0, eq));
    for (const char* prefix : {"@@session.", "session.", "@@"}) {
      if (name.rfind(prefix, 0) == 0) name.erase(0, std::string(prefix).size());
    }
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        })) {
      return BadValue(option, element, "a variable name is letters, digits and '_'");
    }
    if (const char* why = ManagedVariable(name)) {
      return BadValue(option, element, "shadowalter sets " + name + " itself: " + why);
    }
    const std::string value = element.substr(eq + 1);
    if (value.empty()) return BadValue(option, element, "give a value after '='");
    if (std::any_of(out.begin(), out.end(),
                    [&](const SessionVariable& v) { return v.name == name; })) {
      return BadValue(option, element, name + " is given twice");
    }
    out.push_back({name, value});
  }
  return out;
}

namespace option_values_internal {

bool SameWord(std::string_view a, std::string_view b, LetterCase letter_case) {
  if (letter_case == LetterCase::kExact) return a == b;
  const auto upper = [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return upper(x) == upper(y); });
}

std::string ChoiceAdvice(const std::vector<std::string_view>& words) {
  std::string advice = "give";
  for (size_t i = 0; i < words.size(); ++i) {
    advice += i == 0 ? " " : (i + 1 == words.size() ? " or " : ", ");
    advice += words[i];
  }
  return advice;
}

}  // namespace option_values_internal
}  // namespace shadowalter
