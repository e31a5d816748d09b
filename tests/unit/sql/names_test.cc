#include "sql/names.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "db/quote.h"

namespace shadowalter {
namespace {

constexpr size_t kMax = 64;

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Repeat(const std::string& s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::vector<std::string> All(const ArtifactNames& n) {
  return {n.shadow_table,           n.old_table,
          n.insert_trigger,         n.update_trigger,
          n.delete_trigger,         n.checkpoint_table,
          n.heartbeat_table,        n.trigger_check_table,
          n.refusals_table,         n.reverse_insert_trigger,
          n.reverse_update_trigger, n.reverse_delete_trigger,
          n.reverse_refusals_table};
}

bool StartsWith(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }
bool EndsWith(const std::string& s, const std::string& x) {
  return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}

// Every name: within the limit, valid UTF-8 (no sequence cut), the expected prefix and suffix.
void ExpectWellFormed(const ArtifactNames& n) {
  for (const std::string& name : All(n)) {
    EXPECT_LE(CodePoints(name), kMax) << name;
    EXPECT_TRUE(IsValidUtf8(name)) << name;
  }
  EXPECT_TRUE(StartsWith(n.shadow_table, "_") && EndsWith(n.shadow_table, "_new"))
      << n.shadow_table;
  EXPECT_TRUE(StartsWith(n.old_table, "_") && EndsWith(n.old_table, "_old")) << n.old_table;
  EXPECT_TRUE(StartsWith(n.checkpoint_table, "_") && EndsWith(n.checkpoint_table, "_state"))
      << n.checkpoint_table;
  EXPECT_TRUE(StartsWith(n.insert_trigger, "sa_") && EndsWith(n.insert_trigger, "_ins"));
  EXPECT_TRUE(StartsWith(n.update_trigger, "sa_") && EndsWith(n.update_trigger, "_upd"));
  EXPECT_TRUE(StartsWith(n.delete_trigger, "sa_") && EndsWith(n.delete_trigger, "_del"));
  const std::vector<std::string> all = All(n);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size());
}

TEST(NamesForTest, ShortNames) {
  ArtifactNames n = NamesFor("orders");
  EXPECT_EQ(n.shadow_table, "_orders_new");
  EXPECT_EQ(n.old_table, "_orders_old");
  EXPECT_EQ(n.insert_trigger, "sa_orders_ins");
  EXPECT_EQ(n.update_trigger, "sa_orders_upd");
  EXPECT_EQ(n.delete_trigger, "sa_orders_del");
  EXPECT_EQ(n.reverse_insert_trigger, "sa_orders_rins");
  EXPECT_EQ(n.reverse_update_trigger, "sa_orders_rupd");
  EXPECT_EQ(n.reverse_delete_trigger, "sa_orders_rdel");
  EXPECT_EQ(n.reverse_refusals_table, "_orders_rrefused");
}

TEST(NamesForTest, ShortUnicodeNamesAreKeptAsIs) {
  ArtifactNames n = NamesFor("Bestellungen ä`x");
  EXPECT_EQ(n.shadow_table, "_Bestellungen ä`x_new");  // quoting is the caller's job
  EXPECT_EQ(n.insert_trigger, "sa_Bestellungen ä`x_ins");
}

TEST(NamesForTest, NameThatJustFitsIsNotShortened) {
  // "sa_" + 57 + "_ins" = 64 code points; "_" + 57 + "_new" = 62.
  const std::string t(57, 'a');
  ArtifactNames n = NamesFor(t);
  EXPECT_EQ(n.insert_trigger, "sa_" + t + "_ins");
  EXPECT_EQ(n.shadow_table, "_" + t + "_new");
  // One more character and the trigger names no longer fit.
  const std::string u(58, 'a');
  ArtifactNames m = NamesFor(u);
  EXPECT_EQ(m.shadow_table, "_" + u + "_new");  // 63: still fits
  EXPECT_NE(m.insert_trigger, "sa_" + u + "_ins");
  EXPECT_EQ(CodePoints(m.insert_trigger), kMax);
  ExpectWellFormed(m);
}

TEST(NamesForTest, LongAsciiNameFits) {
  const std::string t(64, 'x');  // the longest table name MySQL allows
  ArtifactNames n = NamesFor(t);
  ExpectWellFormed(n);
  for (const std::string& name : All(n)) EXPECT_EQ(CodePoints(name), kMax) << name;
  // The shortened name keeps a recognizable head of the table name.
  EXPECT_TRUE(StartsWith(n.shadow_table, "_xxxxxxxxxx")) << n.shadow_table;
}

TEST(NamesForTest, LongMultiByteNamesFit) {
  for (const std::string unit : {"ä", "€", "表", "😀", "a😀", "ab€😀"}) {
    const std::string t = Repeat(unit, 64 / CodePoints(unit));
    ASSERT_EQ(CodePoints(t), 64u);
    ArtifactNames n = NamesFor(t);
    ExpectWellFormed(n);
    for (const std::string& name : All(n)) {
      // Far more than 64 bytes, but 64 characters is what the server counts.
      EXPECT_EQ(CodePoints(name), kMax) << name;
    }
  }
}

TEST(NamesForTest, NeverSplitsAUtf8Sequence) {
  // Every cut position: vary the ASCII lead so the cut falls before, inside and after each
  // multi-byte character.
  for (size_t lead = 0; lead < 8; ++lead) {
    for (const std::string unit : {"é", "€", "😀"}) {
      const std::string t = std::string(lead, 'q') + Repeat(unit, 70);
      ArtifactNames n = NamesFor(t);
      ExpectWellFormed(n);
    }
  }
}

TEST(NamesForTest, Deterministic) {
  const std::string t = Repeat("long_table_name_", 4) + "😀é";
  ArtifactNames a = NamesFor(t);
  ArtifactNames b = NamesFor(t);
  EXPECT_EQ(All(a), All(b));
  EXPECT_EQ(FitIdentifier("_", t, "_new"), a.shadow_table);
}

TEST(NamesForTest, DifferentLongNamesGiveDifferentNames) {
  // Same 60-character head, different tails: the cut part alone would collide.
  const std::string head(60, 'k');
  std::set<std::string> shadows, triggers;
  const std::vector<std::string> tails = {"aaaa", "aaab", "baaa", "😀", "😁", "x", ""};
  for (const std::string& tail : tails) {
    ArtifactNames n = NamesFor(head + tail);
    ExpectWellFormed(n);
    shadows.insert(n.shadow_table);
    triggers.insert(n.update_trigger);
  }
  EXPECT_EQ(shadows.size(), tails.size());
  EXPECT_EQ(triggers.size(), tails.size());
}

TEST(NamesForTest, DifferentTablesNeverShareArtifacts) {
  std::set<std::string> all;
  size_t count = 0;
  for (const std::string& t : {std::string("t"), std::string(64, 'a'), std::string(63, 'a'),
                               std::string(62, 'a') + "b", Repeat("表", 64)}) {
    for (const std::string& name : All(NamesFor(t))) {
      all.insert(name);
      ++count;
    }
  }
  EXPECT_EQ(all.size(), count);
}

TEST(FitIdentifierTest, ShortenedFormIsHeadHashSuffix) {
  const std::string t(100, 'z');
  const std::string out = FitIdentifier("pre_", t, "_suf");
  ASSERT_EQ(CodePoints(out), kMax);
  EXPECT_TRUE(StartsWith(out, "pre_zzz"));
  EXPECT_TRUE(EndsWith(out, "_suf"));
  // "_" + 8 lower-case hex digits right before the suffix.
  const std::string hash = out.substr(out.size() - 4 - 9, 9);
  EXPECT_EQ(hash[0], '_');
  for (size_t i = 1; i < hash.size(); ++i) {
    EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(hash[i])) && !std::isupper(hash[i]))
        << hash;
  }
  EXPECT_EQ(out, "pre_" + std::string(64 - 4 - 4 - 9, 'z') + hash + "_suf");
}

TEST(FitIdentifierTest, FittingInputUnchanged) {
  EXPECT_EQ(FitIdentifier("p", "t", "s"), "pts");
  EXPECT_EQ(FitIdentifier("", std::string(64, 'c'), ""), std::string(64, 'c'));
}

}  // namespace
}  // namespace shadowalter

namespace shadowalter {
namespace {

TEST(RunLockNameTest, NamesSchemaAndTableAndFits64) {
  EXPECT_EQ(RunLockName("shop", "orders"), "shadowalter:shop.orders");
  const std::string long_name = RunLockName(std::string(64, 's'), std::string(64, 't'));
  EXPECT_LE(long_name.size(), 64u);
  EXPECT_NE(long_name, RunLockName(std::string(64, 's'), std::string(63, 't') + "u"));
}

}  // namespace
}  // namespace shadowalter
