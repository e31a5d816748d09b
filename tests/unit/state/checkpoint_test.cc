#include "state/checkpoint.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shadowalter {
namespace {

TEST(RunPhaseTest, NamesRoundTripInOrder) {
  const RunPhase all[] = {RunPhase::kStarted,  RunPhase::kNewTable, RunPhase::kTriggers,
                          RunPhase::kCopying,  RunPhase::kCopied,   RunPhase::kVerified,
                          RunPhase::kSwapping, RunPhase::kSwapped};
  for (size_t i = 0; i < std::size(all); ++i) {
    EXPECT_EQ(ParseRunPhase(RunPhaseName(all[i])), all[i]) << RunPhaseName(all[i]);
    if (i > 0) {
      EXPECT_LT(all[i - 1], all[i]);
    }
  }
  EXPECT_EQ(ParseRunPhase("copying"), RunPhase::kCopying);
  EXPECT_FALSE(ParseRunPhase("Copying").has_value());
  EXPECT_FALSE(ParseRunPhase("").has_value());
}

TEST(PositionTest, EveryByteSurvivesTheRoundTrip) {
  const std::vector<std::vector<std::string>> keys = {
      {"12"},
      {"a,b", ""},
      {std::string("\0\xff\x01,x", 5), "it's", "x3132"},
      {"", ""},
  };
  for (const auto& key : keys) {
    const std::string text = EncodePosition(key);
    EXPECT_EQ(DecodePosition(text), key) << text;
  }
  EXPECT_EQ(EncodePosition({"12", ""}), "x3132,x");
}

TEST(PositionTest, MalformedTextIsRejected) {
  for (const char* bad : {"", "3132", "x313", "x31,", ",x31", "xzz", "x31,,x32", "x31 "}) {
    EXPECT_FALSE(DecodePosition(bad).has_value()) << bad;
  }
}

TEST(FingerprintTest, StableAndSensitive) {
  // FNV-1a 64 of "" and "a": fixed values, so checkpoints written by one build read in another.
  EXPECT_EQ(Fingerprint(""), "cbf29ce484222325");
  EXPECT_EQ(Fingerprint("a"), "af63dc4c8601ec8c");
  EXPECT_NE(Fingerprint("CREATE TABLE t (a INT)"), Fingerprint("CREATE TABLE t (a BIGINT)"));
  EXPECT_EQ(Fingerprint("x").size(), 16u);
}

TEST(NormalizeCreateTableTest, DropsOnlyTheAutoIncrementCounter) {
  const std::string a =
      "CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) "
      "ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4";
  const std::string b =
      "CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) "
      "ENGINE=InnoDB AUTO_INCREMENT=90210 DEFAULT CHARSET=utf8mb4";
  EXPECT_EQ(NormalizeCreateTable(a), NormalizeCreateTable(b));
  EXPECT_NE(NormalizeCreateTable(a).find("NOT NULL AUTO_INCREMENT,"), std::string::npos);
  EXPECT_EQ(NormalizeCreateTable(a).find("AUTO_INCREMENT=42"), std::string::npos);
  const std::string c = "CREATE TABLE `t` (\n  `id` bigint NOT NULL\n) ENGINE=InnoDB";
  EXPECT_NE(NormalizeCreateTable(a), NormalizeCreateTable(c));
}

TEST(DefinitionFingerprintTest, IgnoresTheAutoIncrementCounter) {
  EXPECT_EQ(DefinitionFingerprint("CREATE TABLE t (a INT) AUTO_INCREMENT=5"),
            DefinitionFingerprint("CREATE TABLE t (a INT) AUTO_INCREMENT=6"));
  EXPECT_EQ(DefinitionFingerprint("CREATE TABLE t (a INT)"), Fingerprint("CREATE TABLE t (a INT)"));
}

TEST(RunIdentityTest, NamesTheOptionsThatMatter) {
  EXPECT_EQ(RunIdentity("", false), "fk=none-given;preserve-triggers=0");
  EXPECT_EQ(RunIdentity("rebuild_constraints", true), "fk=rebuild_constraints;preserve-triggers=1");
}

TEST(NormalizeAlterTextTest, TrimsTheEndsOnly) {
  EXPECT_EQ(NormalizeAlterText("  ADD COLUMN c INT \n"), "ADD COLUMN c INT");
  EXPECT_NE(NormalizeAlterText("ADD COLUMN c VARCHAR(9) DEFAULT 'a  b'"),
            NormalizeAlterText("ADD COLUMN c VARCHAR(9) DEFAULT 'a b'"));
}

TEST(ChunkKeyTextTest, QuotesEachColumn) {
  EXPECT_EQ(ChunkKeyText({"id"}), "`id`");
  EXPECT_EQ(ChunkKeyText({"a,b", "we`ird"}), "`a,b`,`we``ird`");
}

}  // namespace
}  // namespace shadowalter
