#include "throttle/panic_file.h"

#include <sys/stat.h>

namespace shadowalter {

Status CheckPanicFile(const std::string& path) {
  struct stat st;
  if (path.empty() || stat(path.c_str(), &st) != 0) return Status::Ok();
  return AbortedError("panic file " + path + " exists (--panic-file)");
}

}  // namespace shadowalter
