// A directory of its own under /tmp for one test's files, removed with everything in it when the
// test ends. path() is empty when it could not be made (the test should assert it is not).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace shadowalter::testing {

class ScratchDir {
 public:
  // `prefix`: the start of the directory's name, e.g. "sa-hooks".
  explicit ScratchDir(const std::string& prefix) {
    std::string name = "/tmp/" + prefix + "-XXXXXX";
    if (mkdtemp(name.data()) != nullptr) path_ = name;
  }
  ~ScratchDir() {
    std::error_code
        ignored;  // a test that failed half-way may leave anything; remove what is there
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace shadowalter::testing
