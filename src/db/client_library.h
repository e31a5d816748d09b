// Which MariaDB Connector/C the program runs with, for --version. Kept here because only src/db/
// calls the client library.
#pragma once

#include <string>

namespace shadowalter {

// The version of the client library loaded at run time, mysql_get_client_info(), e.g. "3.3.8".
std::string ClientLibraryVersion();

// The Connector/C package version of the headers this program was compiled against, e.g.
// "3.3.8" (MARIADB_PACKAGE_VERSION); the library loaded at run time may be a newer release.
std::string ClientLibraryBuildVersion();

}  // namespace shadowalter
