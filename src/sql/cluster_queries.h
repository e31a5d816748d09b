// Galera Cluster (MariaDB's wsrep): the reads that tell whether the server is a cluster node and
// in what state, and the statements of the cut-over on a cluster (migration/cutover.h). Pure.
#pragma once

#include <string>

namespace shadowalter {

// @@SESSION.wsrep_on, @@SESSION.wsrep_OSU_method of the session that runs the swap's DDL: both
// must say total order (1, TOI) right before the fences go up.
std::string GaleraSessionQuery();

// @@GLOBAL.wsrep_on, @@SESSION.wsrep_OSU_method, @@GLOBAL.wsrep_max_ws_rows,
// @@GLOBAL.wsrep_max_ws_size, as one row. A server built without wsrep (MySQL) refuses it (1193).
std::string GaleraVariablesQuery();

// The wsrep status variables the run decides and throttles by, one (name, value) row each:
// wsrep_cluster_status, wsrep_local_state_comment, wsrep_cluster_size, wsrep_incoming_addresses,
// wsrep_flow_control_paused_ns, wsrep_local_recv_queue, wsrep_local_bf_aborts,
// wsrep_local_cert_failures.
std::string GaleraStatusQuery();

// A fence: trigger `name`, BEFORE `event` (INSERT, UPDATE or DELETE) on `table`, that fails the
// write before it changes anything, with error 1205 (ER_LOCK_WAIT_TIMEOUT, which rolls back the
// statement only, as this does; not 1213, after which applications assume the whole transaction
// is rolled back). One DDL in the cluster's total order: from its point on no node writes the
// table. CREATE OR REPLACE, so that one left by a killed run is simply made again.
std::string FenceTriggerStatement(const std::string& schema, const std::string& table,
                                  const std::string& name, const std::string& event);

}  // namespace shadowalter
