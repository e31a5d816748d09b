#include "control/control_socket.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

namespace shadowalter {
namespace {

constexpr size_t kMaxCommandBytes = 4096;
constexpr int kReadTimeoutMs = 2000;  // a client that connects and says nothing is dropped

std::string Errno() { return std::strerror(errno); }

StatusOr<sockaddr_un> Address(const std::string& path) {
  sockaddr_un addr;
  std::memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path) {
    return UsageError("--control-socket '" + path + "' is " +
                      (path.empty() ? std::string("empty") : "too long for a unix socket") +
                      ": give a path of at most " + std::to_string(sizeof addr.sun_path - 1) +
                      " bytes");
  }
  std::memcpy(addr.sun_path, path.data(), path.size());
  return addr;
}

// A connected socket to `path`, or -1 with errno set.
int ConnectTo(const sockaddr_un& addr) {
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    const int saved = errno;
    close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

// Makes room at `path`: nothing there, or a socket file nobody listens on (removed).
Status ClearStaleSocket(const std::string& path, const sockaddr_un& addr) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return Status::Ok();
  if (!S_ISSOCK(st.st_mode)) {
    return UsageError("--control-socket " + path +
                      " exists and is not a socket: remove it or choose another path");
  }
  const int fd = ConnectTo(addr);
  if (fd >= 0) {
    close(fd);
    return UsageError("--control-socket " + path +
                      ": another process listens there (another run?): choose another path");
  }
  if (unlink(path.c_str()) != 0) {
    return UsageError("--control-socket " + path + ": cannot remove the stale socket: " + Errno());
  }
  return Status::Ok();
}

// Waits up to `ms` for `fd` to be readable; false on timeout or error.
bool WaitReadable(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  int r;
  do {
    r = poll(&p, 1, ms);
  } while (r < 0 && errno == EINTR);
  return r > 0;
}

void SendAll(int fd, const std::string& text) {
  for (size_t sent = 0; sent < text.size();) {
    const ssize_t n = send(fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the client went away: nothing to tell anyone
    sent += static_cast<size_t>(n);
  }
}

}  // namespace

StatusOr<std::unique_ptr<ControlSocket>> ControlSocket::Open(const std::string& path,
                                                             Answerer answer) {
  SA_ASSIGN_OR_RETURN(sockaddr_un addr, Address(path));
  SA_RETURN_IF_ERROR(ClearStaleSocket(path, addr));
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return UsageError("--control-socket " + path + ": " + Errno());
  // Until the chmod below the file has the umask's mode, which never grants others write
  // permission by default; connecting to a unix socket needs write permission.
  if (bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
      chmod(path.c_str(), 0600) != 0 || listen(fd, 8) != 0) {
    const std::string why = Errno();
    close(fd);
    return UsageError("--control-socket " + path + ": " + why +
                      ": give a path in an existing directory you can write to");
  }
  int wake[2];
  if (pipe2(wake, O_CLOEXEC) != 0) {
    const std::string why = Errno();
    close(fd);
    unlink(path.c_str());
    return UsageError("--control-socket " + path + ": " + why);
  }
  std::unique_ptr<ControlSocket> s(
      new ControlSocket(path, fd, wake[0], wake[1], std::move(answer)));
  struct stat st;
  if (stat(path.c_str(), &st) == 0) {
    s->device_ = st.st_dev;
    s->inode_ = st.st_ino;
  }
  s->thread_ = std::thread([raw = s.get()] { raw->Serve(); });
  return s;
}

ControlSocket::ControlSocket(std::string path, int listen_fd, int wake_read, int wake_write,
                             Answerer answer)
    : path_(std::move(path)),
      listen_fd_(listen_fd),
      wake_read_(wake_read),
      wake_write_(wake_write),
      answer_(std::move(answer)) {}

ControlSocket::~ControlSocket() {
  const char byte = 0;
  if (write(wake_write_, &byte, 1) < 0) {
    // The pipe is ours and empty: this can't fail in a way that matters; the join below ends it.
  }
  if (thread_.joinable()) thread_.join();
  close(listen_fd_);
  close(wake_read_);
  close(wake_write_);
  struct stat st;
  if (stat(path_.c_str(), &st) == 0 && st.st_dev == device_ && st.st_ino == inode_) {
    unlink(path_.c_str());
  }
}

void ControlSocket::Serve() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_read_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    AnswerConnection(fd);
    close(fd);
  }
}

void ControlSocket::AnswerConnection(int fd) {
  std::string line;
  char buf[512];
  while (line.find('\n') == std::string::npos && line.size() < kMaxCommandBytes) {
    if (!WaitReadable(fd, kReadTimeoutMs)) break;
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    line.append(buf, static_cast<size_t>(n));
  }
  if (const size_t nl = line.find('\n'); nl != std::string::npos) line.resize(nl);
  if (line.size() >= kMaxCommandBytes) {
    SendAll(fd, "error: command too long: send one short line, e.g. status\n");
    return;
  }
  std::string answer = answer_(line);
  if (answer.empty() || answer.back() != '\n') answer += '\n';
  SendAll(fd, answer);
}

StatusOr<std::string> SendControlCommand(const std::string& path, std::string_view command,
                                         double timeout_seconds) {
  StatusOr<sockaddr_un> addr = Address(path);
  if (!addr.ok()) return UsageError(addr.status().message());
  const int fd = ConnectTo(*addr);
  if (fd < 0) {
    return Status(Code::kUnreachable, "cannot reach the control socket " + path + ": " + Errno() +
                                          " (is the run still going, with --control-socket " +
                                          path + "?)");
  }
  SendAll(fd, std::string(command) + "\n");
  shutdown(fd, SHUT_WR);
  std::string answer;
  char buf[4096];
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(int(timeout_seconds * 1000));
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !WaitReadable(fd, static_cast<int>(left.count()))) {
      close(fd);
      return InternalError("the control socket " + path + " did not answer within " +
                           std::to_string(int(timeout_seconds)) + " s");
    }
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string why = Errno();
      close(fd);
      return InternalError("reading the control socket " + path + "'s answer: " + why);
    }
    if (n == 0) break;
    answer.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  while (!answer.empty() && answer.back() == '\n') answer.pop_back();
  return answer;
}

}  // namespace shadowalter
