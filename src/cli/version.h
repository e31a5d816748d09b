// The --version text: the release and how this binary was built.
#pragma once

#include <string>

namespace shadowalter {

struct BuildInfo {
  std::string version;         // PROJECT_VERSION, e.g. "0.1.0"
  std::string git_commit;      // at configure time, e.g. "36e0700abcde-dirty"; empty outside git
  std::string build_type;      // CMAKE_BUILD_TYPE, e.g. "RelWithDebInfo"; may be empty
  std::string compiler;        // e.g. "GNU 12.2.0"
  std::string client_library;  // mysql_get_client_info() of the loaded library, e.g. "3.3.8"
  std::string client_headers;  // the Connector/C version compiled against
  std::string license;         // SPDX identifier, e.g. "Apache-2.0" (the repository's LICENSE)
};

// This binary's build information.
BuildInfo CurrentBuildInfo();

// The text `shadowalter --version` prints; its first line is "shadowalter <version>". The
// compile-time Connector/C version is named only when it differs from the loaded one.
std::string VersionText(const BuildInfo& info);
std::string VersionText();

}  // namespace shadowalter
