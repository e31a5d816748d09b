#include "cli/version.h"

#include <sstream>

#include "build_info.h"
#include "db/client_library.h"

namespace shadowalter {

BuildInfo CurrentBuildInfo() {
  BuildInfo info;
  info.version = SHADOWALTER_VERSION;
  info.git_commit = SHADOWALTER_GIT_COMMIT;
  info.build_type = SHADOWALTER_BUILD_TYPE;
  info.compiler = SHADOWALTER_COMPILER;
  info.client_library = ClientLibraryVersion();
  info.client_headers = ClientLibraryBuildVersion();
  info.license = SHADOWALTER_LICENSE;
  return info;
}

std::string VersionText(const BuildInfo& info) {
  const auto or_unknown = [](const std::string& value) {
    return value.empty() ? std::string("unknown") : value;
  };
  std::ostringstream out;
  out << "shadowalter " << info.version << "\n"
      << "commit:         "
      << (info.git_commit.empty() ? "unknown (not built from a git checkout)" : info.git_commit)
      << "\n"
      << "build type:     " << or_unknown(info.build_type) << "\n"
      << "compiler:       " << or_unknown(info.compiler) << "\n"
      << "client library: MariaDB Connector/C " << or_unknown(info.client_library);
  if (!info.client_headers.empty() && info.client_headers != info.client_library) {
    out << " (built with " << info.client_headers << ")";
  }
  out << "\n"
      << "license:        " << or_unknown(info.license) << "\n";
  return out.str();
}

std::string VersionText() { return VersionText(CurrentBuildInfo()); }

}  // namespace shadowalter
