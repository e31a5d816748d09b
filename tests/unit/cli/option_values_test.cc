// The typed option values of cli/option_values.h: what each accepts and the error it gives.
#include "cli/option_values.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <span>
#include <string>
#include <vector>

namespace shadowalter {
namespace {

// The usage error's message, or a marker when there was no (usage) error.
template <typename T>
std::string ErrorOf(const StatusOr<T>& result) {
  if (result.ok()) return "<accepted>";
  if (result.status().code() != Code::kUsage) return "<not a usage error>";
  return result.status().message();
}

TEST(OptionValuesTest, BadValueQuotesTheTextWhole) {
  const Status status = BadValue("port", "x y", "give a number");
  EXPECT_EQ(status.code(), Code::kUsage);
  EXPECT_EQ(status.message(), "bad --port 'x y': give a number");
}

TEST(OptionValuesTest, NonEmptyRefusesOnlyTheEmptyString) {
  EXPECT_EQ(ParseNonEmpty("log-file", "/tmp/x").value(), "/tmp/x");
  EXPECT_EQ(ParseNonEmpty("log-file", " ").value(), " ");
  EXPECT_EQ(ErrorOf(ParseNonEmpty("log-file", "")),
            "--log-file is empty: give a value or leave the option out");
}

TEST(OptionValuesTest, CountTakesDigitsFromOneToMax) {
  EXPECT_EQ(ParseCount("threads", "1", 32).value(), 1u);
  EXPECT_EQ(ParseCount("threads", "32", 32).value(), 32u);
  EXPECT_EQ(ParseCount("threads", "007", 32).value(), 7u);
  for (const char* bad :
       {"0", "33", "", "+4", "-4", " 4", "4 ", "4.0", "1e1", "x", "99999999999999999999999"}) {
    EXPECT_EQ(ErrorOf(ParseCount("threads", bad, 32)),
              "bad --threads '" + std::string(bad) + "': give a whole number from 1 to 32")
        << bad;
  }
}

// pt-online-schema-change's size suffixes: k, M, G multiply by 1024, 1024^2, 1024^3.
TEST(OptionValuesTest, RowCountTakesSizeSuffixes) {
  EXPECT_EQ(ParseRowCount("chunk-size", "1000", 1000000).value(), 1000u);
  EXPECT_EQ(ParseRowCount("chunk-size", "10k", 1000000).value(), 10240u);
  EXPECT_EQ(ParseRowCount("chunk-size", "976k", 1000000).value(), 999424u);
  EXPECT_EQ(ParseRowCount("chunk-size", "1M", kAnyCount).value(), 1048576u);
  EXPECT_EQ(ParseRowCount("chunk-size", "3G", kAnyCount).value(), 3221225472u);
  for (const char* bad : {"0", "0k", "977k", "1M", "1G", "k", "10K", "10m", "10kk", "1.5k", "10 k",
                          "-1k", "", "1000001"}) {
    EXPECT_EQ(ErrorOf(ParseRowCount("chunk-size", bad, 1000000)),
              "bad --chunk-size '" + std::string(bad) +
                  "': give a whole number from 1 to 1000000, optionally with k, M or G (x1024)")
        << bad;
  }
  EXPECT_FALSE(ParseRowCount("chunk-size", "4G", kAnyCount).ok());
}

TEST(OptionValuesTest, SetVarsTakesPtOnlineSchemaChangesForm) {
  auto vars = ParseSetVars("set-vars",
                           "wait_timeout=28800,@@session.Long_Query_Time=0.5,"
                           "optimizer_switch=index_merge=off\\,mrr=on");
  ASSERT_TRUE(vars.ok()) << vars.status().message();
  ASSERT_EQ(vars->size(), 3u);
  EXPECT_EQ((*vars)[0].name, "wait_timeout");
  EXPECT_EQ((*vars)[0].value, "28800");
  EXPECT_EQ((*vars)[1].name, "long_query_time");
  EXPECT_EQ((*vars)[2].name, "optimizer_switch");
  EXPECT_EQ((*vars)[2].value, "index_merge=off,mrr=on");
}

TEST(OptionValuesTest, SetVarsRefusesWhatTheRunManagesAndBadElements) {
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"sql_mode=''", "shadowalter sets sql_mode itself"},
      {"innodb_lock_wait_timeout=1", "use --lock-wait-timeout"},
      {"LOCK_WAIT_TIMEOUT=5", "use --lock-wait-timeout"},
      {"@@session.time_zone=SYSTEM", "shadowalter sets time_zone itself"},
      {"sql_log_bin=0", "replicas must get the same changes"},
      {"foreign_key_checks=0", "shadowalter sets foreign_key_checks itself"},
      {"transaction_isolation=READ-COMMITTED", "REPEATABLE READ"},
      {"wait_timeout", "give name=value pairs"},
      {"=1", "give name=value pairs"},
      {"wait-timeout=1", "letters, digits and '_'"},
      {"`x`=1", "letters, digits and '_'"},
      {"wait_timeout=", "give a value after '='"},
      {"wait_timeout=1,wait_timeout=2", "wait_timeout is given twice"},
      {"", "give name=value pairs"},
  };
  for (const auto& [text, advice] : refused) {
    const std::string error = ErrorOf(ParseSetVars("set-vars", text));
    EXPECT_EQ(error.rfind("bad --set-vars '", 0), 0u) << text << ": " << error;
    EXPECT_NE(error.find(advice), std::string::npos) << text << ": " << error;
  }
}

TEST(OptionValuesTest, CountWithoutMaximumSaysAtLeastOne) {
  EXPECT_EQ(ParseCount("tries", "4294967295", kAnyCount).value(), 4294967295u);
  EXPECT_EQ(ErrorOf(ParseCount("tries", "4294967296", kAnyCount)),
            "bad --tries '4294967296': give a whole number of at least 1");
  EXPECT_EQ(ErrorOf(ParseCount("tries", "0", kAnyCount)),
            "bad --tries '0': give a whole number of at least 1");
}

TEST(OptionValuesTest, PortIsOneTo65535) {
  EXPECT_EQ(ParsePort("port", "1").value(), 1u);
  EXPECT_EQ(ParsePort("port", "65535").value(), 65535u);
  for (const char* bad : {"0", "65536", "", "+1", " 1", "http"}) {
    EXPECT_EQ(ErrorOf(ParsePort("port", bad)),
              "bad --port '" + std::string(bad) + "': give a number from 1 to 65535")
        << bad;
  }
}

TEST(OptionValuesTest, SecondsAboveZeroRefuseZeroAndMoreThanAYear) {
  EXPECT_DOUBLE_EQ(ParseSeconds("chunk-time", "0.5", SecondsAboveZero()).value(), 0.5);
  EXPECT_DOUBLE_EQ(ParseSeconds("chunk-time", "1e-3", SecondsAboveZero()).value(), 0.001);
  EXPECT_DOUBLE_EQ(ParseSeconds("chunk-time", "31536000", SecondsAboveZero()).value(), 31536000);
  for (const char* bad : {"0", "-1", "31536001", "", "x", "1s", "+1", " 1", "inf", "nan"}) {
    EXPECT_EQ(ErrorOf(ParseSeconds("chunk-time", bad, SecondsAboveZero())),
              "bad --chunk-time '" + std::string(bad) + "': give seconds above 0, e.g. 1 or 0.5")
        << bad;
  }
}

TEST(OptionValuesTest, SecondsFromZeroTakeZero) {
  EXPECT_DOUBLE_EQ(ParseSeconds("max-lag", "0", SecondsFromZero()).value(), 0);
  EXPECT_EQ(ErrorOf(ParseSeconds("max-lag", "-0.1", SecondsFromZero())),
            "bad --max-lag '-0.1': give seconds (0 or more), e.g. 1 or 0.5");
}

TEST(OptionValuesTest, SecondsGiveTheRangesOwnAdvice) {
  const SecondsRange range{.zero_allowed = true, .max = 10, .advice = "give 0 to 10"};
  EXPECT_DOUBLE_EQ(ParseSeconds("wait", "10", range).value(), 10);
  EXPECT_EQ(ErrorOf(ParseSeconds("wait", "10.5", range)), "bad --wait '10.5': give 0 to 10");
}

TEST(OptionValuesTest, SecondsInCLibrarySyntaxAlsoTakeWhatStrtodTakes) {
  const SecondsRange range{.zero_allowed = true,
                           .max = 86400,
                           .advice = "give seconds from 0 to 86400, e.g. 60",
                           .syntax = NumberSyntax::kCLibrary};
  EXPECT_DOUBLE_EQ(ParseSeconds("reconnect-timeout", "+60", range).value(), 60);
  EXPECT_DOUBLE_EQ(ParseSeconds("reconnect-timeout", " 60", range).value(), 60);
  EXPECT_DOUBLE_EQ(ParseSeconds("reconnect-timeout", "0x10", range).value(), 16);
  for (const char* bad : {"", "60 ", "86401", "-1", "nan", "inf", "1e400"}) {
    EXPECT_EQ(
        ErrorOf(ParseSeconds("reconnect-timeout", bad, range)),
        "bad --reconnect-timeout '" + std::string(bad) + "': give seconds from 0 to 86400, e.g. 60")
        << bad;
  }
}

TEST(OptionValuesTest, PercentageIsZeroToHundred) {
  EXPECT_DOUBLE_EQ(ParsePercentage("max-checkpoint-age", "0").value(), 0);
  EXPECT_DOUBLE_EQ(ParsePercentage("max-checkpoint-age", "75.5").value(), 75.5);
  EXPECT_DOUBLE_EQ(ParsePercentage("max-checkpoint-age", "100").value(), 100);
  for (const char* bad : {"-1", "100.5", "75%", "", "x"}) {
    EXPECT_EQ(ErrorOf(ParsePercentage("max-checkpoint-age", bad)),
              "bad --max-checkpoint-age '" + std::string(bad) +
                  "': give a percentage from 0 (off) to 100, e.g. 75")
        << bad;
  }
}

TEST(OptionValuesTest, DurationIsInSeconds) {
  EXPECT_DOUBLE_EQ(ParseDurationValue("max-runtime", "1h30m").value(), 5400);
  EXPECT_DOUBLE_EQ(ParseDurationValue("max-runtime", "600").value(), 600);
  for (const char* bad : {"0", "90x", "", "30m1h"}) {
    EXPECT_EQ(ErrorOf(ParseDurationValue("max-runtime", bad)),
              "bad --max-runtime '" + std::string(bad) +
                  "': give a duration such as 90s, 45m, 2h or 1h30m")
        << bad;
  }
}

TEST(OptionValuesTest, TimeOfDayIsLocalOrUtc) {
  EXPECT_EQ(ParseTimeOfDay("stop-at", "06:30").value(), (ClockTime{6, 30, false}));
  EXPECT_EQ(ParseTimeOfDay("stop-at", "23:59Z").value(), (ClockTime{23, 59, true}));
  for (const char* bad : {"24:00", "6", "", "06:30z "}) {
    EXPECT_EQ(ErrorOf(ParseTimeOfDay("stop-at", bad)),
              "bad --stop-at '" + std::string(bad) +
                  "': give a time of day as HH:MM (local) or HH:MMZ (UTC), e.g. 06:30")
        << bad;
  }
}

TEST(OptionValuesTest, DailyWindowMaySpanMidnight) {
  const ClockWindow window = ParseDailyWindow("cutover-window", "22:00-02:00").value();
  EXPECT_EQ(window.from, (ClockTime{22, 0, false}));
  EXPECT_EQ(window.to, (ClockTime{2, 0, false}));
  for (const char* bad : {"01:00-05:00Z", "01:00", ""}) {
    EXPECT_EQ(ErrorOf(ParseDailyWindow("cutover-window", bad)),
              "bad --cutover-window '" + std::string(bad) +
                  "': give HH:MM-HH:MM (local) or HH:MMZ-HH:MMZ (UTC), e.g. 01:00-05:00")
        << bad;
  }
}

enum class Fruit { kApple, kPear, kPlum };
constexpr Choice<Fruit> kFruits[] = {
    {"apple", Fruit::kApple}, {"pear", Fruit::kPear}, {"PLUM", Fruit::kPlum}};

TEST(OptionValuesTest, ChoiceListsTheWordsInOrder) {
  EXPECT_EQ(ParseChoice<Fruit>("fruit", "pear", kFruits, LetterCase::kExact).value(), Fruit::kPear);
  EXPECT_EQ(ErrorOf(ParseChoice<Fruit>("fruit", "Pear", kFruits, LetterCase::kExact)),
            "bad --fruit 'Pear': give apple, pear or PLUM");
  EXPECT_EQ(ErrorOf(ParseChoice<Fruit>("fruit", "", kFruits, LetterCase::kExact)),
            "bad --fruit '': give apple, pear or PLUM");
  const Choice<Fruit> two[] = {{"apple", Fruit::kApple}, {"pear", Fruit::kPear}};
  EXPECT_EQ(ErrorOf(ParseChoice<Fruit>("fruit", "x", two, LetterCase::kExact)),
            "bad --fruit 'x': give apple or pear");
}

TEST(OptionValuesTest, ChoiceMayIgnoreLetterCase) {
  EXPECT_EQ(ParseChoice<Fruit>("fruit", "plum", kFruits, LetterCase::kIgnored).value(),
            Fruit::kPlum);
  EXPECT_EQ(ParseChoice<Fruit>("fruit", "ApPlE", kFruits, LetterCase::kIgnored).value(),
            Fruit::kApple);
  EXPECT_EQ(ErrorOf(ParseChoice<Fruit>("fruit", "plums", kFruits, LetterCase::kIgnored)),
            "bad --fruit 'plums': give apple, pear or PLUM");
}

TEST(OptionValuesTest, NameListSplitsAtCommas) {
  EXPECT_EQ(ParseNameList("skip-check", "privileges").value(),
            std::vector<std::string>{"privileges"});
  EXPECT_EQ(ParseNameList("skip-check", "privileges,free-space").value(),
            (std::vector<std::string>{"privileges", "free-space"}));
  for (const char* bad : {"", ",", "a,,b", "a,", ",a"}) {
    EXPECT_EQ(ErrorOf(ParseNameList("skip-check", bad)),
              "empty name in --skip-check '" + std::string(bad) + "'")
        << bad;
  }
}

TEST(OptionValuesTest, DirectoryMustExist) {
  const char* tmp = std::getenv("TMPDIR");
  const std::string dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  EXPECT_EQ(ParseDirectory("hook-dir", dir).value(), dir);
  const std::string missing = dir + "/shadowalter-no-such-dir-" + std::to_string(getpid());
  EXPECT_EQ(ErrorOf(ParseDirectory("hook-dir", missing)),
            "bad --hook-dir '" + missing + "': not a directory");
  EXPECT_EQ(ErrorOf(ParseDirectory("hook-dir", "/dev/null")),
            "bad --hook-dir '/dev/null': not a directory");
  EXPECT_EQ(ErrorOf(ParseDirectory("hook-dir", "")),
            "--hook-dir is empty: give a value or leave the option out");
}

TEST(OptionValuesTest, ReplicaDsnNeedsAHostAndNoTls) {
  const ConnectionConfig replica = ParseReplicaDsn("replica", "h=10.0.0.2,P=3307,u=repl").value();
  EXPECT_EQ(replica.host, "10.0.0.2");
  EXPECT_EQ(replica.port, 3307u);
  EXPECT_EQ(replica.user, "repl");
  EXPECT_EQ(ParseReplicaDsn("replica", "S=/run/mysqld.sock").value().socket, "/run/mysqld.sock");
  EXPECT_EQ(ErrorOf(ParseReplicaDsn("replica", "P=3307")),
            "--replica needs at least h= (and usually P=), e.g. h=10.0.0.2,P=3306");
  EXPECT_EQ(ErrorOf(ParseReplicaDsn("replica", "h=r,ssl-mode=REQUIRED")),
            "--replica: a replica takes the primary's TLS settings; give ssl-mode=, ssl-ca=, "
            "ssl-cert= and ssl-key= in the primary's DSN or as --ssl-* options");
  const std::string error = ErrorOf(ParseReplicaDsn("replica", "h=r,zz=1"));
  EXPECT_EQ(error.rfind("--replica: unknown DSN key 'zz'", 0), 0u) << error;
}

}  // namespace
}  // namespace shadowalter
