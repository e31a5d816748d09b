// The commands and options of resumable runs: status, resume, cleanup, --resume, --max-runtime,
// --stop-at, --on-limit, --cutover-window, --reconnect-timeout.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/options.h"

namespace shadowalter {
namespace {

StatusOr<ParsedCommandLine> Parse(const std::vector<std::string>& args) {
  std::vector<const char*> argv = {"shadowalter"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  return ParseCommandLine(static_cast<int>(argv.size()), argv.data(),
                          [](const std::string&) -> StatusOr<std::string> {
                            return InternalError("no prompt expected");
                          });
}

Config MustParse(const std::vector<std::string>& args) {
  StatusOr<ParsedCommandLine> parsed = Parse(args);
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  return parsed.ok() ? parsed->config : Config{};
}

std::string ErrorOf(const std::vector<std::string>& args) {
  StatusOr<ParsedCommandLine> parsed = Parse(args);
  EXPECT_FALSE(parsed.ok());
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.status().code(), Code::kUsage);
  EXPECT_EQ(parsed.status().message().find('\n'), std::string::npos);
  return parsed.status().message();
}

const std::string kDsn = "D=shop,t=orders";

TEST(CommandsTest, StatusResumeAndCleanupNeedNoAlter) {
  const Config status = MustParse({"status", kDsn});
  EXPECT_EQ(status.mode, RunMode::kStatus);
  EXPECT_TRUE(status.alter.empty());
  const Config resume = MustParse({"resume", kDsn});
  EXPECT_EQ(resume.mode, RunMode::kExecute);
  EXPECT_EQ(resume.resume, ResumePolicy::kRequired);
  const Config cleanup = MustParse({"cleanup", kDsn});
  EXPECT_EQ(cleanup.mode, RunMode::kCleanup);
  EXPECT_FALSE(cleanup.cleanup_dry_run);
  EXPECT_TRUE(MustParse({"cleanup", kDsn, "--dry-run"}).cleanup_dry_run);
}

TEST(CommandsTest, ResumeOnARun) {
  EXPECT_EQ(MustParse({kDsn, "--alter", "ADD c INT", "--execute"}).resume, ResumePolicy::kRefuse);
  EXPECT_EQ(MustParse({kDsn, "--alter", "ADD c INT", "--execute", "--resume"}).resume,
            ResumePolicy::kIfStopped);
  EXPECT_NE(ErrorOf({kDsn, "--alter", "ADD c INT", "--dry-run", "--resume"}).find("--execute"),
            std::string::npos);
}

TEST(CommandsTest, MisusedCommandsSayWhy) {
  EXPECT_NE(ErrorOf({"status", kDsn, "--execute"}).find("status changes nothing"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"cleanup", kDsn, "--execute"}).find("cleanup needs no --execute"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"resume", kDsn, "--dry-run"}).find("drop --dry-run"), std::string::npos);
  EXPECT_NE(ErrorOf({"status", kDsn, "--resume"}).find("shadowalter resume"), std::string::npos);
  EXPECT_NE(ErrorOf({"resume", kDsn, "--alter", " "}).find("--alter is empty"), std::string::npos);
}

TEST(CommandsTest, RevertAndFinishActOnTheRunOnRecord) {
  const Config revert = MustParse({"revert", kDsn});
  EXPECT_EQ(revert.mode, RunMode::kRevert);
  EXPECT_FALSE(revert.cleanup_dry_run);
  EXPECT_TRUE(MustParse({"revert", kDsn, "--dry-run"}).cleanup_dry_run);
  const Config finish = MustParse({"finish", kDsn, "--no-drop-old-table"});
  EXPECT_EQ(finish.mode, RunMode::kFinish);
  EXPECT_FALSE(finish.drop_old_table);
  EXPECT_NE(ErrorOf({"revert", kDsn, "--execute"}).find("revert needs no --execute"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"finish", kDsn, "--resume"}).find("shadowalter resume"), std::string::npos);
}

TEST(CommandsTest, RevertibleNeedsASwapThatKeepsTheOldTable) {
  const Config c = MustParse({kDsn, "--alter", "ADD c INT", "--execute", "--revertible"});
  EXPECT_TRUE(c.revertible);
  EXPECT_FALSE(c.attempt_instant) << "an instant ALTER leaves no old table to swap back";
  EXPECT_FALSE(MustParse({kDsn, "--alter", "ADD c INT", "--execute"}).revertible);
  EXPECT_NE(ErrorOf({kDsn, "--alter", "ADD c INT", "--execute", "--revertible", "--no-swap-tables"})
                .find("drop --no-swap-tables"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf({kDsn, "--alter", "ADD c INT", "--execute", "--revertible", "--no-drop-old-table"})
          .find("--no-drop-old-table"),
      std::string::npos);
  EXPECT_NE(ErrorOf({kDsn, "--alter", "ADD c INT", "--execute", "--revertible",
                     "--alter-foreign-keys-method", "drop_swap"})
                .find("drop_swap"),
            std::string::npos);
}

TEST(WindowOptionsTest, Defaults) {
  const Config c = MustParse({kDsn, "--alter", "ADD c INT", "--execute"});
  EXPECT_FALSE(c.max_runtime.has_value());
  EXPECT_FALSE(c.stop_at.has_value());
  EXPECT_EQ(c.on_limit, LimitAction::kPark);
  EXPECT_FALSE(c.cutover_window.has_value());
  EXPECT_EQ(c.reconnect_timeout, 60);
}

TEST(WindowOptionsTest, ValuesAreParsed) {
  const Config c = MustParse({kDsn, "--alter", "ADD c INT", "--execute", "--max-runtime", "1h30m",
                              "--stop-at", "06:15Z", "--on-limit", "abort", "--cutover-window",
                              "22:00-02:00", "--reconnect-timeout", "5"});
  EXPECT_EQ(c.max_runtime, 5400);
  EXPECT_EQ(c.stop_at, (ClockTime{6, 15, true}));
  EXPECT_EQ(c.on_limit, LimitAction::kAbort);
  ASSERT_TRUE(c.cutover_window.has_value());
  EXPECT_EQ(c.cutover_window->from, (ClockTime{22, 0, false}));
  EXPECT_EQ(c.reconnect_timeout, 5);
}

TEST(WindowOptionsTest, BadValuesNameTheOptionAndTheForm) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--max-runtime", "90 min"}, "bad --max-runtime '90 min': give a duration"},
      {{"--stop-at", "25:00"}, "bad --stop-at '25:00': give a time of day"},
      {{"--on-limit", "wait"}, "bad --on-limit 'wait': give park or abort"},
      {{"--cutover-window", "01:00"}, "bad --cutover-window '01:00'"},
      {{"--reconnect-timeout", "-1"}, "bad --reconnect-timeout '-1'"},
  };
  for (const auto& [extra, words] : cases) {
    std::vector<std::string> args = {kDsn, "--alter", "ADD c INT", "--execute"};
    args.insert(args.end(), extra.begin(), extra.end());
    EXPECT_NE(ErrorOf(args).find(words), std::string::npos) << words;
  }
}

}  // namespace
}  // namespace shadowalter
