// Galera Cluster (MariaDB's wsrep): the reads that tell whether the server is a cluster node and
// in what state, and the statements of the cut-over on a cluster (migration/cutover.h). Pure.
#pragma once

#include <string>

namespace shadowalter {

// @@GLOBAL.wsrep_on, @@SESSION.wsrep_OSU_method, @@GLOBAL.wsrep_max_ws_rows,
// @@GLOBAL.wsrep_max_ws_size, as one row. A server built without wsrep (MySQL) refuses it (1193).
std::string GaleraVariablesQuery();

// The wsrep status variables the run decides and throttles by, one (name, value) row each:
// wsrep_cluster_status, wsrep_local_state_comment, wsrep_cluster_size, wsrep_incoming_addresses,
// wsrep_flow_control_paused_ns, wsrep_local_recv_queue, wsrep_local_bf_aborts,
// wsrep_local_cert_failures.
std::string GaleraStatusQuery();

// `name`, an AFTER `event` (INSERT, UPDATE or DELETE) trigger on `table`, replaced in place
// (CREATE OR REPLACE: one DDL in the cluster's total order, no moment without a trigger) by one
// that fails the write with error 1213 and SQLSTATE 40001, as a certification conflict does:
// the application retries it, and no write of the table goes unmirrored.
std::string FenceTriggerStatement(const std::string& schema, const std::string& table,
                                  const std::string& name, const std::string& event);

// A CREATE TRIGGER statement made CREATE OR REPLACE TRIGGER (MariaDB 10.1.4+), to put a trigger
// back over a fence in place; any other text is returned as it is.
std::string OrReplaceTrigger(const std::string& create_trigger);

}  // namespace shadowalter
