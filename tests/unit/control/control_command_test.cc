// The control socket's language (control/control_command.h): what each command reads and how a
// bad one is answered.
#include "control/control_command.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

ControlCommand Parsed(std::string_view line) {
  StatusOr<ControlCommand> c = ParseControlCommand(line);
  EXPECT_TRUE(c.ok()) << line << ": " << c.status().message();
  return c.ok() ? *c : ControlCommand{};
}

std::string ErrorOf(std::string_view line) {
  StatusOr<ControlCommand> c = ParseControlCommand(line);
  EXPECT_FALSE(c.ok()) << line;
  if (c.ok()) return "";
  EXPECT_EQ(c.status().code(), Code::kUsage);
  EXPECT_EQ(c.status().message().find('\n'), std::string::npos);
  return c.status().message();
}

TEST(ControlCommandTest, WordsWithoutValues) {
  EXPECT_EQ(Parsed("status").verb, ControlVerb::kStatus);
  EXPECT_EQ(Parsed("pause\n").verb, ControlVerb::kPause);
  EXPECT_EQ(Parsed("  continue \r\n").verb, ControlVerb::kContinue);
  EXPECT_EQ(Parsed("park").verb, ControlVerb::kPark);
  EXPECT_EQ(Parsed("abort").verb, ControlVerb::kAbort);
  EXPECT_EQ(Parsed("cutover").verb, ControlVerb::kCutover);
  EXPECT_EQ(Parsed("help").verb, ControlVerb::kHelp);
  EXPECT_EQ(Parsed(" park\n").text, "park");
}

TEST(ControlCommandTest, ValuesAreReadAsTheirOptionsReadThem) {
  EXPECT_DOUBLE_EQ(Parsed("chunk-time=1.5").seconds, 1.5);
  EXPECT_EQ(Parsed("chunk-size=2500").rows, 2500u);
  EXPECT_EQ(Parsed("chunk-size=10k").rows, 10240u);
  EXPECT_DOUBLE_EQ(Parsed("max-lag=0").seconds, 0);
  ControlCommand load = Parsed("max-load=Threads_running=30,Threads_connected");
  EXPECT_EQ(load.verb, ControlVerb::kMaxLoad);
  ASSERT_EQ(load.limits.size(), 2u);
  EXPECT_EQ(load.limits[0].variable, "Threads_running");
  EXPECT_EQ(load.limits[0].limit, 30.0);
  EXPECT_FALSE(load.limits[1].limit.has_value());
  ControlCommand critical = Parsed("critical-load=Threads_running:80");
  EXPECT_EQ(critical.verb, ControlVerb::kCriticalLoad);
  ASSERT_EQ(critical.limits.size(), 1u);
  EXPECT_EQ(critical.limits[0].limit, 80.0);
}

TEST(ControlCommandTest, BadCommandsSayWhatToSend) {
  EXPECT_NE(ErrorOf("").find("empty command"), std::string::npos);
  EXPECT_NE(ErrorOf("stop").find("unknown command 'stop'"), std::string::npos);
  EXPECT_NE(ErrorOf("STATUS").find("unknown command"), std::string::npos);
  EXPECT_NE(ErrorOf("park=now").find("park takes no value"), std::string::npos);
  EXPECT_NE(ErrorOf("chunk-time").find("chunk-time needs a value"), std::string::npos);
  EXPECT_NE(ErrorOf("chunk-time=").find("needs a value"), std::string::npos);
  // The option parsers' words, without the option's dashes.
  const std::string zero = ErrorOf("chunk-time=0");
  EXPECT_NE(zero.find("bad chunk-time '0'"), std::string::npos) << zero;
  EXPECT_EQ(zero.find("--"), std::string::npos) << zero;
  EXPECT_NE(ErrorOf("chunk-size=0").find("bad chunk-size"), std::string::npos);
  EXPECT_NE(ErrorOf("chunk-size=1000001").find("bad chunk-size"), std::string::npos);
  // The same values as --chunk-size: "10k" is 10240 (x1024), "10K" is nothing.
  EXPECT_NE(ErrorOf("chunk-size=10K").find("bad chunk-size"), std::string::npos);
  EXPECT_NE(ErrorOf("chunk-size=1M").find("bad chunk-size"), std::string::npos);
  EXPECT_NE(ErrorOf("max-lag=-1").find("bad max-lag"), std::string::npos);
  EXPECT_NE(ErrorOf("max-lag=soon").find("bad max-lag"), std::string::npos);
  const std::string load = ErrorOf("max-load=Threads running=3");
  EXPECT_NE(load.find("bad max-load"), std::string::npos) << load;
}

TEST(ControlCommandTest, HelpNamesEveryCommand) {
  const std::string help = ControlHelpText();
  for (const char* word : {"status", "pause", "continue", "chunk-time=", "chunk-size=", "max-lag=",
                           "max-load=", "critical-load=", "park", "abort", "cutover"}) {
    EXPECT_NE(help.find(word), std::string::npos) << word;
  }
}

}  // namespace
}  // namespace shadowalter
