#include "check/grants.h"

#include <algorithm>
#include <cctype>

namespace shadowalter {
namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool StartsWithWord(std::string_view s, size_t at, std::string_view word) {
  return s.size() >= at + word.size() && Upper(s.substr(at, word.size())) == word;
}

// Reads `*`, a `quoted` name or a bare name at `at`; advances `at`. nullopt when none is there.
std::optional<std::string> ReadName(std::string_view s, size_t& at) {
  if (at >= s.size()) return std::nullopt;
  if (s[at] == '*') {
    ++at;
    return "*";
  }
  std::string name;
  if (s[at] == '`') {
    for (size_t i = at + 1; i < s.size(); ++i) {
      if (s[i] != '`') {
        name += s[i];
        continue;
      }
      if (i + 1 < s.size() && s[i + 1] == '`') {
        name += '`';
        ++i;
        continue;
      }
      at = i + 1;
      return name;
    }
    return std::nullopt;  // unterminated
  }
  while (at < s.size() && s[at] != '.' && s[at] != ' ') name += s[at++];
  if (name.empty()) return std::nullopt;
  return name;
}

}  // namespace

std::optional<Grant> ParseGrant(std::string_view line) {
  if (!StartsWithWord(line, 0, "GRANT ")) return std::nullopt;
  // The privilege list runs to the first " ON " outside backticks and parentheses.
  size_t on = std::string_view::npos;
  int depth = 0;
  bool quoted = false;
  for (size_t i = 6; i + 4 <= line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '`') quoted = false;  // a doubled `` just re-enters
    } else if (c == '`') {
      quoted = true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (depth == 0 && StartsWithWord(line, i, " ON ")) {
      on = i;
      break;
    }
  }
  if (on == std::string_view::npos) return std::nullopt;  // a role granted: GRANT `r` TO ...
  Grant grant;
  std::string_view list = line.substr(6, on - 6);
  depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= list.size(); ++i) {
    if (i < list.size() && list[i] == '(') ++depth;
    if (i < list.size() && list[i] == ')') --depth;
    if (i < list.size() && (list[i] != ',' || depth > 0)) continue;
    const std::string_view item = Trim(list.substr(start, i - start));
    // Column privileges, e.g. SELECT (a, b), don't cover the whole table.
    if (!item.empty() && item.find('(') == std::string_view::npos) {
      grant.privileges.push_back(Upper(item));
    }
    start = i + 1;
  }
  if (std::find(grant.privileges.begin(), grant.privileges.end(), "PROXY") !=
      grant.privileges.end()) {
    return std::nullopt;
  }
  size_t at = on + 4;
  for (std::string_view routine : {"FUNCTION ", "PROCEDURE ", "PACKAGE "}) {
    if (StartsWithWord(line, at, routine)) return std::nullopt;
  }
  if (StartsWithWord(line, at, "TABLE ")) at += 6;
  std::optional<std::string> schema = ReadName(line, at);
  if (!schema || at >= line.size() || line[at] != '.') return std::nullopt;
  ++at;
  std::optional<std::string> table = ReadName(line, at);
  if (!table) return std::nullopt;
  grant.schema = *schema;
  grant.table = *table;
  return grant;
}

bool MatchesSchemaPattern(std::string_view pattern, std::string_view text) {
  if (pattern.empty()) return text.empty();
  if (pattern[0] == '%') {
    for (size_t skip = 0; skip <= text.size(); ++skip) {
      if (MatchesSchemaPattern(pattern.substr(1), text.substr(skip))) return true;
    }
    return false;
  }
  if (text.empty()) return false;
  if (pattern[0] == '\\' && pattern.size() > 1) {
    return pattern[1] == text[0] && MatchesSchemaPattern(pattern.substr(2), text.substr(1));
  }
  if (pattern[0] == '_' || pattern[0] == text[0]) {
    return MatchesSchemaPattern(pattern.substr(1), text.substr(1));
  }
  return false;
}

std::vector<std::string> MissingPrivileges(const std::vector<Grant>& grants,
                                           const std::string& schema,
                                           const std::vector<std::string>& needed,
                                           bool global_only) {
  auto covers = [&](const Grant& g) {
    if (g.table != "*") return false;
    if (g.schema == "*") return true;
    return !global_only && MatchesSchemaPattern(g.schema, schema);
  };
  std::vector<std::string> missing;
  for (const std::string& privilege : needed) {
    const bool held = std::any_of(grants.begin(), grants.end(), [&](const Grant& g) {
      if (!covers(g)) return false;
      for (const std::string& p : g.privileges) {
        if (p == privilege || p == "ALL" || p == "ALL PRIVILEGES") return true;
      }
      return false;
    });
    if (!held) missing.push_back(privilege);
  }
  return missing;
}

}  // namespace shadowalter
