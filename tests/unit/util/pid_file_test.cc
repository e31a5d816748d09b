// --pid FILE (util/pid_file.h) against real files and processes.
#include "util/pid_file.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "scratch_dir.h"

namespace shadowalter {
namespace {

class PidFileTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.empty()); }
  std::string Contents() const {
    std::ifstream in(path_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  testing::ScratchDir scratch_{"sa-pid"};
  const std::string dir_ = scratch_.path();
  const std::string path_ = dir_ + "/run.pid";
};

TEST_F(PidFileTest, HoldsOurPidAndIsRemovedAtTheEnd) {
  {
    auto pid = PidFile::Create(path_);
    ASSERT_TRUE(pid.ok()) << pid.status().message();
    EXPECT_EQ(Contents(), std::to_string(getpid()) + "\n");
  }
  EXPECT_NE(access(path_.c_str(), F_OK), 0);
}

TEST_F(PidFileTest, ALiveProcessKeepsItsFile) {
  std::ofstream(path_) << getppid() << "\n";  // our parent: alive
  auto pid = PidFile::Create(path_);
  ASSERT_FALSE(pid.ok());
  EXPECT_EQ(pid.status().code(), Code::kUsage);
  EXPECT_NE(pid.status().message().find("process " + std::to_string(getppid()) + " (another run?)"),
            std::string::npos)
      << pid.status().message();
  EXPECT_EQ(Contents(), std::to_string(getppid()) + "\n");
}

TEST_F(PidFileTest, ADeadProcessesFileIsTakenOver) {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  waitpid(child, nullptr, 0);  // reaped: no process has this id now
  std::ofstream(path_) << child << "\n";
  auto pid = PidFile::Create(path_);
  ASSERT_TRUE(pid.ok()) << pid.status().message();
  EXPECT_EQ(Contents(), std::to_string(getpid()) + "\n");
}

TEST_F(PidFileTest, AFileSomeoneReplacedIsNotRemoved) {
  {
    auto pid = PidFile::Create(path_);
    ASSERT_TRUE(pid.ok());
    std::ofstream(path_) << "12345678\n";
  }
  EXPECT_EQ(Contents(), "12345678\n");
}

TEST_F(PidFileTest, AnUnwritablePlaceIsAUsageError) {
  auto pid = PidFile::Create(dir_ + "/no/such/dir/run.pid");
  ASSERT_FALSE(pid.ok());
  EXPECT_EQ(pid.status().code(), Code::kUsage);
  EXPECT_NE(pid.status().message().find("give a file in a directory you can write to"),
            std::string::npos);
}

}  // namespace
}  // namespace shadowalter
