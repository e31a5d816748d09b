// Reads of a server's place in replication: its id, the replicas connected to it, its replication
// and binary log status. Pure. Where the statement's name changed between versions, the first
// builder gives the current spelling and the Legacy one the older, for a retry when the server
// refuses the first.
#pragma once

#include <string>

#include "db/session.h"

namespace shadowalter {

// SELECT @@server_id.
std::string ServerIdQuery();

// The HOST ("host:port") of each connected replica's binlog dump thread.
std::string BinlogDumpHostsQuery();

// 1 when this session can see other accounts' sessions in the processlist (the PROCESS
// privilege of its account, or a visible replication thread of the server), 0 otherwise.
std::string SeesOtherSessionsQuery();

// The rows of a --recursion-method dsn= table (pt-online-schema-change's: id, parent_id, dsn):
// columns id and dsn, in id order.
std::string DsnTableQuery(const std::string& database, const std::string& table);

// The replicas registered with this server (columns Host, Port among others): SHOW SLAVE HOSTS on
// MariaDB, SHOW REPLICAS on MySQL; SHOW SLAVE HOSTS on MySQL before 8.0.22.
std::string ReplicaHostsQuery(ServerFlavor flavor);
std::string LegacyReplicaHostsQuery();

// This server's replication status, one row per source: SHOW ALL SLAVES STATUS on MariaDB, SHOW
// REPLICA STATUS on MySQL; SHOW SLAVE STATUS on MySQL before 8.0.22.
std::string ReplicationStatusQuery(ServerFlavor flavor);
std::string LegacyReplicationStatusQuery();

// This server's binary log status (Binlog_Do_DB, Binlog_Ignore_DB among others): SHOW MASTER
// STATUS; SHOW BINARY LOG STATUS on MySQL 8.4 and later, which dropped the former.
std::string BinaryLogStatusQuery();
std::string NewBinaryLogStatusQuery();

}  // namespace shadowalter
