#include "sql/replication_queries.h"

#include "db/quote.h"

namespace shadowalter {

std::string ServerIdQuery() { return "SELECT @@server_id"; }

std::string BinlogDumpHostsQuery() {
  return "SELECT HOST FROM information_schema.PROCESSLIST WHERE COMMAND IN ('Binlog Dump', "
         "'Binlog Dump GTID')";
}

std::string SeesOtherSessionsQuery() {
  return "SELECT EXISTS (SELECT 1 FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = "
         "CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', "
         "SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''') AND PRIVILEGE_TYPE = 'PROCESS') OR "
         "EXISTS (SELECT 1 FROM information_schema.PROCESSLIST WHERE USER = 'system user')";
}

std::string DsnTableQuery(const std::string& database, const std::string& table) {
  return "SELECT id, dsn FROM " + QualifiedName(database, table) + " ORDER BY id";
}

std::string ReplicaHostsQuery(ServerFlavor flavor) {
  return flavor == ServerFlavor::kMariaDB ? "SHOW SLAVE HOSTS" : "SHOW REPLICAS";
}

std::string LegacyReplicaHostsQuery() { return "SHOW SLAVE HOSTS"; }

std::string ReplicationStatusQuery(ServerFlavor flavor) {
  return flavor == ServerFlavor::kMariaDB ? "SHOW ALL SLAVES STATUS" : "SHOW REPLICA STATUS";
}

std::string LegacyReplicationStatusQuery() { return "SHOW SLAVE STATUS"; }

std::string BinaryLogStatusQuery() { return "SHOW MASTER STATUS"; }

std::string NewBinaryLogStatusQuery() { return "SHOW BINARY LOG STATUS"; }

}  // namespace shadowalter
