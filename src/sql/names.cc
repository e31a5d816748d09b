#include "sql/names.h"

#include <cstdint>
#include <cstdio>

namespace shadowalter {
namespace {

constexpr size_t kMaxIdentifierChars = 64;

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The byte length of the first `chars` code points of s.
size_t PrefixBytes(const std::string& s, size_t chars) {
  size_t i = 0;
  while (i < s.size() && chars > 0) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    --chars;
  }
  return i;
}

std::string Fnv1aHex(const std::string& s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", h);
  return buf;
}

}  // namespace

std::string FitIdentifier(const std::string& prefix, const std::string& table,
                          const std::string& suffix) {
  std::string full = prefix + table + suffix;
  if (CodePoints(full) <= kMaxIdentifierChars) return full;
  const std::string hash = "_" + Fnv1aHex(table);
  size_t room = kMaxIdentifierChars - CodePoints(prefix) - CodePoints(suffix) - hash.size();
  return prefix + table.substr(0, PrefixBytes(table, room)) + hash + suffix;
}

ArtifactNames NamesFor(const std::string& table) {
  ArtifactNames n;
  n.shadow_table = FitIdentifier("_", table, "_new");
  n.old_table = FitIdentifier("_", table, "_old");
  n.insert_trigger = FitIdentifier("sa_", table, "_ins");
  n.update_trigger = FitIdentifier("sa_", table, "_upd");
  n.delete_trigger = FitIdentifier("sa_", table, "_del");
  n.heartbeat_table = FitIdentifier("_", table, "_hb");
  n.refusals_table = FitIdentifier("_", table, "_refused");
  n.checkpoint_table = FitIdentifier("_", table, "_state");
  n.trigger_check_table = FitIdentifier("_", table, "_trg");
  n.reverse_insert_trigger = FitIdentifier("sa_", table, "_rins");
  n.reverse_update_trigger = FitIdentifier("sa_", table, "_rupd");
  n.reverse_delete_trigger = FitIdentifier("sa_", table, "_rdel");
  n.reverse_refusals_table = FitIdentifier("_", table, "_rrefused");
  n.fence_insert_trigger = FitIdentifier("sa_", table, "_fins");
  n.fence_update_trigger = FitIdentifier("sa_", table, "_fupd");
  n.fence_delete_trigger = FitIdentifier("sa_", table, "_fdel");
  return n;
}

std::string TriggerCheckName(const std::string& table, size_t n) {
  return FitIdentifier("sa_", table, "_chk" + std::to_string(n));
}

std::string RunLockName(const std::string& schema, const std::string& table) {
  return FitIdentifier("shadowalter:", schema + "." + table, "");
}

}  // namespace shadowalter
