#include "state/checkpoint.h"

#include <cctype>
#include <regex>

#include "db/quote.h"

namespace shadowalter {
namespace {

struct PhaseWord {
  RunPhase phase;
  const char* name;
};
constexpr PhaseWord kPhaseWords[] = {
    {RunPhase::kStarted, "started"},       {RunPhase::kNewTable, "new_table"},
    {RunPhase::kTriggers, "triggers"},     {RunPhase::kCopying, "copying"},
    {RunPhase::kCopied, "copied"},         {RunPhase::kVerified, "verified"},
    {RunPhase::kSwapping, "swapping"},     {RunPhase::kSwapped, "swapped"},
    {RunPhase::kRevertible, "revertible"}, {RunPhase::kReverting, "reverting"},
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

const char* RunPhaseName(RunPhase phase) {
  for (const PhaseWord& w : kPhaseWords) {
    if (w.phase == phase) return w.name;
  }
  return "unknown";
}

std::optional<RunPhase> ParseRunPhase(std::string_view name) {
  for (const PhaseWord& w : kPhaseWords) {
    if (name == w.name) return w.phase;
  }
  return std::nullopt;
}

std::string ChunkKeyText(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& c : columns) out += (out.empty() ? "" : ",") + QuoteIdentifier(c);
  return out;
}

std::string EncodePosition(const std::vector<std::string>& key) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) {
    if (i > 0) out += ',';
    out += 'x';
    for (unsigned char c : key[i]) {
      out += kDigits[c >> 4];
      out += kDigits[c & 0xf];
    }
  }
  return out;
}

std::optional<std::vector<std::string>> DecodePosition(std::string_view text) {
  std::vector<std::string> key;
  if (text.empty()) return std::nullopt;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = text.substr(start, end - start);
    if (part.empty() || part[0] != 'x' || (part.size() - 1) % 2 != 0) return std::nullopt;
    std::string value;
    for (size_t i = 1; i < part.size(); i += 2) {
      const int hi = HexValue(part[i]), lo = HexValue(part[i + 1]);
      if (hi < 0 || lo < 0) return std::nullopt;
      value += static_cast<char>(hi * 16 + lo);
    }
    key.push_back(std::move(value));
    start = end + 1;
    if (end == text.size()) break;
  }
  return key;
}

namespace {

constexpr std::string_view kOwnTriggersFormat = "v1";
constexpr size_t kTriggerFields = 10;

}  // namespace

std::string EncodeOwnTriggers(const std::vector<Trigger>& triggers) {
  std::string out(kOwnTriggersFormat);
  for (const Trigger& t : triggers) {
    out += '\n';
    out += EncodePosition({t.name, t.timing, t.event, std::to_string(t.action_order), t.definer,
                           t.body, t.sql_mode, t.character_set_client, t.collation_connection,
                           t.database_collation});
  }
  return out;
}

std::optional<std::vector<Trigger>> DecodeOwnTriggers(std::string_view text) {
  size_t end = text.find('\n');
  if (text.substr(0, end) != kOwnTriggersFormat) return std::nullopt;
  std::vector<Trigger> out;
  while (end != std::string_view::npos) {
    const size_t start = end + 1;
    end = text.find('\n', start);
    std::optional<std::vector<std::string>> f =
        DecodePosition(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (!f || f->size() != kTriggerFields) return std::nullopt;
    const std::string& order = (*f)[3];
    if (order.empty() || order.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    Trigger t;
    t.name = (*f)[0];
    t.timing = (*f)[1];
    t.event = (*f)[2];
    t.action_order = std::stoull(order);
    t.definer = (*f)[4];
    t.body = (*f)[5];
    t.sql_mode = (*f)[6];
    t.character_set_client = (*f)[7];
    t.collation_connection = (*f)[8];
    t.database_collation = (*f)[9];
    out.push_back(std::move(t));
  }
  return out;
}

std::string Fingerprint(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string NormalizeCreateTable(std::string_view create) {
  // Only the table option (after the closing parenthesis) carries "=": a column's AUTO_INCREMENT
  // attribute never does.
  static const std::regex kCounter(R"( AUTO_INCREMENT=[0-9]+)");
  return std::regex_replace(std::string(create), kCounter, "");
}

std::string DefinitionFingerprint(std::string_view create) {
  return Fingerprint(NormalizeCreateTable(create));
}

std::string NormalizeAlterText(std::string_view alter) {
  const auto blank = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!alter.empty() && blank(alter.front())) alter.remove_prefix(1);
  while (!alter.empty() && blank(alter.back())) alter.remove_suffix(1);
  return std::string(alter);
}

}  // namespace shadowalter
