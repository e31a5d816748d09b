// --hook-dir: which hooks run, what they see, and how a failure is reported.
#include "hooks/hooks.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "scratch_dir.h"

namespace shadowalter {
namespace {

class HooksTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.empty()); }

  void Script(const std::string& name, const std::string& body, mode_t mode = 0755) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    chmod(path.c_str(), mode);
  }
  std::string Read(const std::string& name) {
    std::ifstream in(dir_ + "/" + name);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  testing::ScratchDir scratch_{"sa_hooks_test"};
  const std::string dir_ = scratch_.path();
  StopFlag stop_;
};

TEST_F(HooksTest, NoDirOrMissingHookIsNothing) {
  EXPECT_TRUE(Hooks("", stop_).Run("startup", {}).ok());
  EXPECT_TRUE(Hooks(dir_, stop_).Run("startup", {}).ok());
}

TEST_F(HooksTest, NonExecutableIsSkipped) {
  Script("startup", "touch \"$(dirname \"$0\")/ran\"", 0644);
  EXPECT_TRUE(Hooks(dir_, stop_).Run("startup", {}).ok());
  EXPECT_EQ(access((dir_ + "/ran").c_str(), F_OK), -1);
}

TEST_F(HooksTest, SeesItsVariablesButNotThePassword) {
  setenv("MYSQL_PWD", "s3cret", 1);
  Script("validated", "echo \"$SHADOWALTER_TABLE [$MYSQL_PWD]\" > \"$(dirname \"$0\")/out\"");
  EXPECT_TRUE(Hooks(dir_, stop_).Run("validated", {{"SHADOWALTER_TABLE", "orders"}}).ok());
  unsetenv("MYSQL_PWD");
  EXPECT_EQ(Read("out"), "orders []\n");
}

TEST_F(HooksTest, FailureNamesTheHookAndItsStatus) {
  Script("before-cutover", "echo not now; exit 3");
  Status s = Hooks(dir_, stop_).Run("before-cutover", {});
  EXPECT_EQ(s.code(), Code::kHook);
  EXPECT_NE(s.message().find("before-cutover"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("exit status 3"), std::string::npos) << s.message();
}

TEST_F(HooksTest, TimeoutKillsTheHook) {
  Script("before-copy", "sleep 30");
  Status s = Hooks(dir_, stop_, 0.3).Run("before-copy", {});
  EXPECT_EQ(s.code(), Code::kHook);
  EXPECT_NE(s.message().find("still running"), std::string::npos) << s.message();
}

TEST_F(HooksTest, AStopCutsAHookShortUnlessItMayNotBe) {
  Script("before-copy", "sleep 30");
  Script("failure", "sleep 0.2; echo reported > \"$(dirname \"$0\")/out\"");
  stop_.Request(SIGTERM);
  Status s = Hooks(dir_, stop_).Run("before-copy", {});
  EXPECT_EQ(s.code(), Code::kAborted) << s.message();
  EXPECT_TRUE(Hooks(dir_, stop_).Run("failure", {}, /*stoppable=*/false).ok());
  EXPECT_EQ(Read("out"), "reported\n");
}

}  // namespace
}  // namespace shadowalter
