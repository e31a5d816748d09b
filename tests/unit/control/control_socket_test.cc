// The control socket's transport (control/control_socket.h) and the `control` command's client
// (migration/control_client.h), in-process over a real unix socket in a scratch directory.
#include "control/control_socket.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "migration/control_client.h"
#include "migration/exit_codes.h"
#include "scratch_dir.h"

namespace shadowalter {
namespace {

class ControlSocketTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.empty()); }
  // An answerer that echoes what it got and counts the commands.
  ControlSocket::Answerer Echo() {
    return [this](std::string_view line) {
      ++answered_;
      return "got " + std::string(line);
    };
  }
  testing::ScratchDir scratch_{"sa-control"};
  const std::string dir_ = scratch_.path();
  const std::string path_ = dir_ + "/run.sock";
  std::atomic<int> answered_{0};
};

TEST_F(ControlSocketTest, AnswersEachCommandAndIsOnlyForItsOwner) {
  StatusOr<std::unique_ptr<ControlSocket>> s = ControlSocket::Open(path_, Echo());
  ASSERT_TRUE(s.ok()) << s.status().message();
  struct stat st;
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  StatusOr<std::string> a = SendControlCommand(path_, "status");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(*a, "got status");
  StatusOr<std::string> b = SendControlCommand(path_, "pause");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, "got pause");
  EXPECT_EQ(answered_.load(), 2);
}

TEST_F(ControlSocketTest, RemovedAtTheEnd) {
  {
    auto s = ControlSocket::Open(path_, Echo());
    ASSERT_TRUE(s.ok());
  }
  EXPECT_NE(access(path_.c_str(), F_OK), 0);
  StatusOr<std::string> a = SendControlCommand(path_, "status");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), Code::kUnreachable);
}

TEST_F(ControlSocketTest, AStaleSocketIsReplacedAnotherFileIsRefused) {
  // A socket file nobody listens on, as a killed run leaves it.
  const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  close(fd);
  auto replaced = ControlSocket::Open(path_, Echo());
  ASSERT_TRUE(replaced.ok()) << replaced.status().message();
  // Another run listening there is not taken over.
  auto second = ControlSocket::Open(path_, Echo());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kUsage);
  EXPECT_NE(second.status().message().find("another process listens there"), std::string::npos);
  replaced->reset();
  // A file that is not a socket is the DBA's: refused, kept.
  std::ofstream(path_) << "mine";
  auto over_file = ControlSocket::Open(path_, Echo());
  ASSERT_FALSE(over_file.ok());
  EXPECT_NE(over_file.status().message().find("exists and is not a socket"), std::string::npos);
  EXPECT_EQ(access(path_.c_str(), F_OK), 0);
}

TEST_F(ControlSocketTest, BadPathsAreOneLineUsageErrors) {
  auto missing_dir = ControlSocket::Open(dir_ + "/no/such/dir.sock", Echo());
  ASSERT_FALSE(missing_dir.ok());
  EXPECT_EQ(missing_dir.status().code(), Code::kUsage);
  auto too_long = ControlSocket::Open(dir_ + "/" + std::string(200, 'x'), Echo());
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.status().message().find("too long"), std::string::npos);
}

TEST_F(ControlSocketTest, TheClientsExitCodes) {
  auto s = ControlSocket::Open(path_, [](std::string_view line) -> std::string {
    return line == "status" ? "{\"phase\":\"copy\"}" : "error: unknown command 'x'";
  });
  ASSERT_TRUE(s.ok());
  std::ostringstream out, err;
  EXPECT_EQ(RunControlClient({path_, "status"}, out, err), kExitDone);
  EXPECT_EQ(out.str(), "{\"phase\":\"copy\"}\n");
  EXPECT_EQ(RunControlClient({path_, "x"}, out, err), kExitUsage);
  EXPECT_EQ(err.str(), "shadowalter: unknown command 'x'\n");
  std::ostringstream out2, err2;
  EXPECT_EQ(RunControlClient({dir_ + "/none.sock", "status"}, out2, err2), kExitUnreachable);
  EXPECT_NE(err2.str().find("cannot reach the control socket"), std::string::npos);
  EXPECT_EQ(RunControlClient({path_}, out2, err2), kExitUsage);
}

}  // namespace
}  // namespace shadowalter
