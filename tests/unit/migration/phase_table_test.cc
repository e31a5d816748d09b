// The orchestrator's phase table without a server: which phases each kind of command runs, in
// which order, which run kinds each belongs to, and the hooks each declares. The ids are a
// contract (events, hooks, scripts): every one must be listed in docs/events.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "migration/migration.h"

namespace shadowalter {
namespace {

using Strings = std::vector<std::string>;

Config ExecuteConfig() {
  Config c;
  c.mode = RunMode::kExecute;
  c.conn.database = "shop";
  c.conn.table = "orders";
  return c;
}

Strings Ids(const Config& c) {
  Strings ids;
  for (const Migration::Phase& p : Migration::PhasesFor(c)) ids.push_back(p.id);
  return ids;
}

const Migration::Phase& Find(const std::vector<Migration::Phase>& phases, const std::string& id) {
  for (const Migration::Phase& p : phases) {
    if (p.id == id) return p;
  }
  ADD_FAILURE() << "no phase " << id;
  return phases.front();
}

TEST(PhaseTableTest, AnExecuteRunGoesFromAnalyzingToDroppingTheOldTable) {
  EXPECT_EQ(Ids(ExecuteConfig()), (Strings{"analyze",
                                           "connect",
                                           "run_lock",
                                           "find_stopped_run",
                                           "inspect",
                                           "find_replicas",
                                           "preflight",
                                           "record_checkpoint",
                                           "create_new_table",
                                           "alter_new_table",
                                           "compare_definitions",
                                           "check_new_table",
                                           "plan_copy",
                                           "check_stopped_run",
                                           "check_unique_keys",
                                           "alter_instantly",
                                           "create_triggers",
                                           "copy",
                                           "verify",
                                           "swap",
                                           "finish_swap",
                                           "drop_old_table"}));
}

TEST(PhaseTableTest, ARevertibleOrResumingRunPlansAndKeepsTheReverseSide) {
  for (bool revertible : {true, false}) {
    Config c = ExecuteConfig();
    c.revertible = revertible;
    if (!revertible) c.resume = ResumePolicy::kRequired;  // learns it from the stopped run
    const Strings ids = Ids(c);
    const auto plan = std::find(ids.begin(), ids.end(), "plan_revert");
    ASSERT_NE(plan, ids.end());
    EXPECT_LT(plan, std::find(ids.begin(), ids.end(), "create_triggers"));
    EXPECT_EQ(ids.back(), "keep_revertible");
  }
}

TEST(PhaseTableTest, ADryRunReportsThePlanAndCreatesNoTrigger) {
  Config c = ExecuteConfig();
  c.mode = RunMode::kDryRun;
  const Strings ids = Ids(c);
  EXPECT_EQ(ids.back(), "report_plan");
  for (const char* never :
       {"find_stopped_run", "record_checkpoint", "create_triggers", "copy", "swap"}) {
    EXPECT_EQ(std::count(ids.begin(), ids.end(), never), 0) << never;
  }
}

TEST(PhaseTableTest, VerifyComparesAndChangesNothing) {
  Config c = ExecuteConfig();
  c.mode = RunMode::kVerify;
  EXPECT_EQ(Ids(c), (Strings{"analyze", "connect", "inspect", "find_new_table", "plan_comparison",
                             "verify"}));
}

TEST(PhaseTableTest, OptionsAddTheirPhasesWhereTheyBelong) {
  Config c = ExecuteConfig();
  c.verify = false;
  c.preserve_triggers = true;
  c.heartbeat = true;
  c.postpone_cutover_file = "/tmp/hold";
  c.cutover_window = ClockWindow{};
  c.foreign_keys_method = ForeignKeyMethod::kRebuildConstraints;
  const Strings ids = Ids(c);
  auto at = [&](const char* id) { return std::find(ids.begin(), ids.end(), id) - ids.begin(); };
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "verify"), 0);
  EXPECT_LT(at("check_unique_keys"), at("check_own_triggers"));
  EXPECT_LT(at("check_own_triggers"), at("alter_instantly"));
  EXPECT_LT(at("start_heartbeat"), at("create_triggers"));
  EXPECT_LT(at("copy"), at("wait_for_cutover"));
  EXPECT_LT(at("wait_for_cutover"), at("cutover_window"));
  EXPECT_LT(at("cutover_window"), at("repoint_foreign_keys"));
  EXPECT_EQ(at("repoint_foreign_keys") + 1, at("swap"));
}

TEST(PhaseTableTest, HooksAttachWherePhasesDeclareThem) {
  Config c = ExecuteConfig();
  std::vector<Migration::Phase> plain = Migration::PhasesFor(c);
  EXPECT_STREQ(Find(plain, "preflight").hook_after, "validated");
  EXPECT_STREQ(Find(plain, "copy").hook_before, "before-copy");
  EXPECT_STREQ(Find(plain, "swap").hook_before, "before-cutover");
  // Repointing children starts the cut-over: the hook moves there, and runs once.
  c.foreign_keys_method = ForeignKeyMethod::kAuto;
  std::vector<Migration::Phase> repointing = Migration::PhasesFor(c);
  EXPECT_STREQ(Find(repointing, "repoint_foreign_keys").hook_before, "before-cutover");
  EXPECT_STREQ(Find(repointing, "swap").hook_before, "");
}

TEST(PhaseTableTest, EachPhaseBelongsToTheRunKindsThatNeedIt) {
  std::vector<Migration::Phase> phases = Migration::PhasesFor(ExecuteConfig());
  EXPECT_EQ(Find(phases, "record_checkpoint").runs, unsigned{kFresh});
  EXPECT_EQ(Find(phases, "create_new_table").runs, unsigned{kFresh});
  EXPECT_EQ(Find(phases, "check_stopped_run").runs, unsigned{kResumed});
  EXPECT_EQ(Find(phases, "finish_swap").runs, unsigned{kFinishing});
  EXPECT_EQ(Find(phases, "drop_old_table").runs, unsigned{kEvery});
  EXPECT_EQ(Find(phases, "copy").runs, unsigned{kFresh | kResumed});
}

TEST(PhaseTableTest, EveryPhaseIdIsListedInTheEventsDocument) {
  std::ifstream in(std::string(SHADOWALTER_SOURCE_DIR) + "/docs/events.md");
  ASSERT_TRUE(in) << "docs/events.md not found";
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const size_t from = readme.find("Phase ids, in the order they run:");
  ASSERT_NE(from, std::string::npos) << "the list of phase ids moved";
  const std::string list = readme.substr(from, readme.find("\n## ", from) - from);

  Config every = ExecuteConfig();
  every.preserve_triggers = every.heartbeat = true;
  every.postpone_cutover_file = "/tmp/hold";
  every.cutover_window = ClockWindow{};
  every.foreign_keys_method = ForeignKeyMethod::kAuto;
  std::set<std::string> ids;
  for (RunMode mode : {RunMode::kExecute, RunMode::kDryRun, RunMode::kVerify}) {
    every.mode = mode;
    for (const std::string& id : Ids(every)) ids.insert(id);
  }
  for (const std::string& id : ids) {
    EXPECT_NE(list.find("`" + id + "`"), std::string::npos) << id << " is not in docs/events.md";
  }
}

TEST(PhaseTableTest, NoSwapTablesEndsAfterTheVerificationOrParksThere) {
  Config rehearsal = ExecuteConfig();
  rehearsal.swap_tables = false;
  Strings ids = Ids(rehearsal);
  EXPECT_EQ(ids.back(), "verify");
  Config parks = rehearsal;
  parks.drop_triggers = false;
  ids = Ids(parks);
  ASSERT_GE(ids.size(), 2u);
  EXPECT_EQ(ids[ids.size() - 2], "verify");
  EXPECT_EQ(ids.back(), "stop_before_swap");
  parks.verify = false;
  ids = Ids(parks);
  EXPECT_EQ(ids[ids.size() - 2], "copy");
}

}  // namespace
}  // namespace shadowalter
