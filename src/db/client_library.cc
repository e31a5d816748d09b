#include "db/client_library.h"

#include <mariadb/mysql.h>

namespace shadowalter {

std::string ClientLibraryVersion() {
  const char* version = mysql_get_client_info();
  return version != nullptr ? version : "";
}

std::string ClientLibraryBuildVersion() {
#ifdef MARIADB_PACKAGE_VERSION
  return MARIADB_PACKAGE_VERSION;
#else
  return "";
#endif
}

}  // namespace shadowalter
