#include "sql/replication_queries.h"

namespace shadowalter {

std::string ServerIdQuery() { return "SELECT @@server_id"; }

std::string BinlogDumpHostsQuery() {
  return "SELECT HOST FROM information_schema.PROCESSLIST WHERE COMMAND IN ('Binlog Dump', "
         "'Binlog Dump GTID')";
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
