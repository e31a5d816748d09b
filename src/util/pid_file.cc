#include "util/pid_file.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace shadowalter {
namespace {

// The process id the file names, or 0 when it names none (missing, empty, not a number).
pid_t PidIn(const std::string& path) {
  std::ifstream in(path);
  long pid = 0;
  if (!(in >> pid) || pid <= 0) return 0;
  return static_cast<pid_t>(pid);
}

bool Alive(pid_t pid) { return kill(pid, 0) == 0 || errno == EPERM; }

}  // namespace

StatusOr<std::unique_ptr<PidFile>> PidFile::Create(const std::string& path) {
  const pid_t other = PidIn(path);
  if (other != 0 && other != getpid() && Alive(other)) {
    return UsageError("--pid " + path + ": process " + std::to_string(other) +
                      " (another run?) is alive and wrote it: wait for it to end, or give "
                      "another --pid");
  }
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return UsageError("--pid " + path + ": " + std::strerror(errno) +
                      ": give a file in a directory you can write to");
  }
  const std::string text = std::to_string(getpid()) + "\n";
  const bool written = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(fd);
  if (!written) return UsageError("--pid " + path + ": could not write the process id");
  return std::unique_ptr<PidFile>(new PidFile(path));
}

PidFile::~PidFile() {
  if (PidIn(path_) == getpid()) unlink(path_.c_str());
}

}  // namespace shadowalter
