// The control socket (--control-socket PATH): a unix socket on which a running migration takes
// one command per connection and answers it (control/control_handler.h), plus the client side
// that `shadowalter control PATH COMMAND` uses. Plain POSIX sockets; no SQL.
//
// The socket file is made with mode 0600 (only the run's own user may connect: a command can
// stop the run) and removed when the run ends. A socket file left by a killed run, on which
// nobody listens, is replaced; any other file at PATH is refused rather than removed.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "util/status.h"

namespace shadowalter {

class ControlSocket {
 public:
  // Answers one command line (without its newline); the answer is sent back with a newline.
  using Answerer = std::function<std::string(std::string_view line)>;

  // Listens at `path` and answers on a thread of its own until destroyed. kUsage, naming the
  // path, when it is too long for a unix socket, its directory is missing, something other than
  // a socket is there, or another process listens on it.
  static StatusOr<std::unique_ptr<ControlSocket>> Open(const std::string& path, Answerer answer);

  // Stops answering and removes the socket file, unless someone replaced it meanwhile.
  ~ControlSocket();
  ControlSocket(const ControlSocket&) = delete;
  ControlSocket& operator=(const ControlSocket&) = delete;

  const std::string& path() const { return path_; }

 private:
  ControlSocket(std::string path, int listen_fd, int wake_read, int wake_write, Answerer answer);
  void Serve();
  void AnswerConnection(int fd);

  std::string path_;
  int listen_fd_;
  int wake_read_, wake_write_;  // a pipe: writing to it ends Serve()
  dev_t device_ = 0;            // the socket file's identity, to remove only our own
  ino_t inode_ = 0;
  Answerer answer_;
  std::thread thread_;
};

// Sends `command` to the control socket at `path` and returns the answer without its trailing
// newline. kUnreachable when nothing listens there (no such file, or a run that has ended);
// kFailed-style kInternal on a broken exchange or after `timeout_seconds`.
StatusOr<std::string> SendControlCommand(const std::string& path, std::string_view command,
                                         double timeout_seconds = 10);

}  // namespace shadowalter
