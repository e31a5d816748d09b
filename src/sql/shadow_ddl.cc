#include "sql/shadow_ddl.h"

#include <cstdint>
#include <cstdio>
#include <regex>
#include <vector>

#include "db/quote.h"
#include "sql/lexer.h"

namespace shadowalter {
namespace {

constexpr size_t kMaxNameCodePoints = 64;
constexpr size_t kHashSuffixCodePoints = 9;  // '_' and 8 hex digits

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

size_t CountCodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += IsContinuationByte(c) ? 0 : 1;
  return n;
}

// The first `count` code points of s (fewer if s is shorter), never cutting a sequence.
std::string_view PrefixCodePoints(std::string_view s, size_t count) {
  size_t seen = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!IsContinuationByte(s[i]) && seen++ == count) return s.substr(0, i);
  }
  return s;
}

uint32_t Fnv1a32(std::string_view s) {
  uint32_t h = 2166136261u;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

struct Replacement {
  size_t begin, end;
  std::string text;
};

}  // namespace

StatusOr<std::string> RewriteCreateTable(
    std::string_view show_create_table, std::string_view new_table_name,
    const std::function<std::string(const std::string&)>& rename_constraint,
    std::string_view self_table, CheckConstraintNames checks) {
  auto tokens_or = Tokenize(show_create_table);
  if (!tokens_or.ok()) {
    return InternalError("reading SHOW CREATE TABLE output: " + tokens_or.status().message());
  }
  const std::vector<Token>& t = *tokens_or;
  auto kw = [&t](size_t i, std::string_view keyword) {
    return i < t.size() && IsKeyword(t[i], keyword);
  };
  size_t i = 0;
  if (!kw(i, "CREATE")) {
    return InternalError("SHOW CREATE TABLE output does not start with CREATE TABLE");
  }
  ++i;
  if (kw(i, "TEMPORARY")) ++i;
  if (!kw(i, "TABLE")) {
    return InternalError("SHOW CREATE TABLE output does not start with CREATE TABLE");
  }
  ++i;
  if (kw(i, "IF") && kw(i + 1, "NOT") && kw(i + 2, "EXISTS")) i += 3;
  if (i >= t.size() || !IsIdentifier(t[i])) {
    return InternalError("SHOW CREATE TABLE output has no table name after CREATE TABLE");
  }
  if (i + 2 < t.size() && IsPunct(t[i + 1], ".") && IsIdentifier(t[i + 2])) i += 2;

  std::vector<Replacement> edits;
  edits.push_back({t[i].begin, t[i].end, QuoteIdentifier(new_table_name)});
  for (size_t k = i + 1; k + 1 < t.size(); ++k) {
    if (!self_table.empty() && kw(k, "REFERENCES") && IsIdentifier(t[k + 1]) &&
        t[k + 1].text == self_table && !(k + 2 < t.size() && IsPunct(t[k + 2], "."))) {
      edits.push_back({t[k + 1].begin, t[k + 1].end, QuoteIdentifier(new_table_name)});
      ++k;
      continue;
    }
    if (!kw(k, "CONSTRAINT") || !IsIdentifier(t[k + 1])) continue;
    // An unnamed constraint: the next word is what it constrains, not a name.
    if (kw(k + 1, "FOREIGN") || kw(k + 1, "CHECK") || kw(k + 1, "UNIQUE") || kw(k + 1, "PRIMARY")) {
      continue;
    }
    if (checks == CheckConstraintNames::kKeep && kw(k + 2, "CHECK")) {
      ++k;
      continue;
    }
    const std::string& name = t[k + 1].text;
    edits.push_back({t[k + 1].begin, t[k + 1].end,
                     QuoteIdentifier(rename_constraint ? rename_constraint(name) : name)});
    ++k;
  }

  std::string out;
  out.reserve(show_create_table.size() + 64);
  size_t copied = 0;
  for (const Replacement& e : edits) {
    out += show_create_table.substr(copied, e.begin - copied);
    out += e.text;
    copied = e.end;
  }
  out += show_create_table.substr(copied);
  return out;
}

std::string ToggleConstraintName(const std::string& name) {
  std::string toggled = !name.empty() && name[0] == '_' ? name.substr(1) : "_" + name;
  if (CountCodePoints(toggled) <= kMaxNameCodePoints) return toggled;
  char hash[9];
  std::snprintf(hash, sizeof hash, "%08x", static_cast<unsigned>(Fnv1a32(name)));
  return std::string(PrefixCodePoints(toggled, kMaxNameCodePoints - kHashSuffixCodePoints)) + "_" +
         hash;
}

namespace {

// `create` without its table options' AUTO_INCREMENT=<n>: the counter, not the definition.
std::string WithoutCounter(std::string create) {
  static const std::regex kCounter(R"( AUTO_INCREMENT=[0-9]+)");
  const size_t options = create.rfind(')');
  if (options == std::string::npos) return create;
  return create.substr(0, options) + std::regex_replace(create.substr(options), kCounter, "");
}

}  // namespace

StatusOr<bool> SameDefinition(std::string_view original_create, std::string_view original_name,
                              std::string_view new_create, std::string_view new_name,
                              CheckConstraintNames checks) {
  SA_ASSIGN_OR_RETURN(std::string back, RewriteCreateTable(new_create, original_name,
                                                           ToggleConstraintName, new_name, checks));
  return WithoutCounter(std::move(back)) == WithoutCounter(std::string(original_create));
}

}  // namespace shadowalter
