// --pid FILE: a file holding the process id of the shadowalter run that made it, as
// pt-online-schema-change's --pid does. A run refuses to start while the file names a process
// that is still alive (another run, most likely); a file naming a dead process (a run killed
// with -9) is taken over. The file is removed when the run ends, unless someone replaced it.
#pragma once

#include <memory>
#include <string>

#include "util/status.h"

namespace shadowalter {

class PidFile {
 public:
  // Writes this process's id into `path`. kUsage, naming the path and the live process id,
  // when the file names a running process; kUsage too when it can't be written.
  static StatusOr<std::unique_ptr<PidFile>> Create(const std::string& path);
  ~PidFile();
  PidFile(const PidFile&) = delete;
  PidFile& operator=(const PidFile&) = delete;

 private:
  explicit PidFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace shadowalter
