#include "sql/cluster_queries.h"

#include "db/quote.h"

namespace shadowalter {

std::string GaleraVariablesQuery() {
  return "SELECT @@GLOBAL.wsrep_on, @@SESSION.wsrep_OSU_method, @@GLOBAL.wsrep_max_ws_rows, "
         "@@GLOBAL.wsrep_max_ws_size";
}

std::string GaleraSessionQuery() { return "SELECT @@SESSION.wsrep_on, @@SESSION.wsrep_OSU_method"; }

std::string GaleraStatusQuery() {
  return "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_status', "
         "'wsrep_local_state_comment', 'wsrep_cluster_size', 'wsrep_incoming_addresses', "
         "'wsrep_flow_control_paused_ns', 'wsrep_local_recv_queue', 'wsrep_local_bf_aborts', "
         "'wsrep_local_cert_failures')";
}

std::string FenceTriggerStatement(const std::string& schema, const std::string& table,
                                  const std::string& name, const std::string& event) {
  return "CREATE OR REPLACE TRIGGER " + QualifiedName(schema, name) + " BEFORE " + event + " ON " +
         QualifiedName(schema, table) +
         " FOR EACH ROW SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 1205, MESSAGE_TEXT = "
         "'Lock wait timeout exceeded: the table is being swapped by shadowalter; try again'";
}

}  // namespace shadowalter
