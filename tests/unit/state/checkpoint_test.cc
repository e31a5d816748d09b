#include "state/checkpoint.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shadowalter {
namespace {

TEST(RunPhaseTest, NamesRoundTripInOrder) {
  const RunPhase all[] = {RunPhase::kStarted,  RunPhase::kNewTable, RunPhase::kTriggers,
                          RunPhase::kCopying,  RunPhase::kCopied,   RunPhase::kVerified,
                          RunPhase::kSwapping, RunPhase::kSwapped,  RunPhase::kRevertible,
                          RunPhase::kReverting};
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

Trigger SampleTrigger(const std::string& name, uint64_t order) {
  Trigger t;
  t.name = name;
  t.timing = "AFTER";
  t.event = "UPDATE";
  t.action_order = order;
  t.definer = "app@10.0.%";
  static const char kBody[] = "BEGIN\n  SET @x = 'caf\xe9,\n';\0END";  // latin1, NUL, newlines
  t.body = std::string(kBody, sizeof kBody - 1);
  t.sql_mode = "PIPES_AS_CONCAT,STRICT_TRANS_TABLES";
  t.character_set_client = "latin1";
  t.collation_connection = "latin1_swedish_ci";
  t.database_collation = "utf8mb4_general_ci";
  return t;
}

TEST(OwnTriggersTest, EveryFieldAndByteSurvivesTheRoundTrip) {
  const std::vector<Trigger> triggers = {SampleTrigger("a", 1), SampleTrigger("b,`x`\n", 2)};
  const std::string text = EncodeOwnTriggers(triggers);
  EXPECT_EQ(text.rfind("v1\n", 0), 0u) << text;
  EXPECT_EQ(DecodeOwnTriggers(text), triggers);
  // None saved is an empty list, not "not recorded".
  EXPECT_EQ(EncodeOwnTriggers({}), "v1");
  EXPECT_EQ(DecodeOwnTriggers("v1"), std::vector<Trigger>{});
}

TEST(OwnTriggersTest, MalformedTextOrAnotherFormatIsRejected) {
  const std::string good = EncodeOwnTriggers({SampleTrigger("a", 1)});
  EXPECT_FALSE(DecodeOwnTriggers("").has_value());
  EXPECT_FALSE(DecodeOwnTriggers("v2" + good.substr(2)).has_value());
  EXPECT_FALSE(DecodeOwnTriggers(good + "\n").has_value());         // an empty line
  EXPECT_FALSE(DecodeOwnTriggers(good + "\nx61,x62").has_value());  // too few fields
  EXPECT_FALSE(DecodeOwnTriggers(good.substr(0, good.size() - 1)).has_value());
  std::string bad_order = good;
  bad_order.replace(bad_order.find(",x31,"), 5, ",x2d31,");  // "-1"
  EXPECT_FALSE(DecodeOwnTriggers(bad_order).has_value());
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
