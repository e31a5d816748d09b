#include "check/cluster_checks.h"

#include <algorithm>
#include <vector>

#include "report/log.h"
#include "util/strings.h"

namespace shadowalter {

std::string GaleraRefusals(const GaleraNode& node, ServerFlavor flavor, const TableInfo& table,
                           const Config& config) {
  if (!node.wsrep_on) return "";
  std::vector<std::string> why;
  if (flavor != ServerFlavor::kMariaDB) {
    why.push_back("a Percona XtraDB Cluster node: only MariaDB Galera Cluster is supported");
  }
  if (node.osu_method != "TOI") {
    why.push_back("wsrep_OSU_method is " + node.osu_method +
                  ": each DDL must apply on every node in the same order (SET GLOBAL "
                  "wsrep_OSU_method = 'TOI')");
  }
  if (node.cluster_status != "Primary") {
    why.push_back("the node is not in the cluster's Primary component (wsrep_cluster_status " +
                  node.cluster_status + ")");
  }
  if (node.local_state != "Synced") {
    why.push_back("the node is not Synced (wsrep_local_state_comment " + node.local_state + ")");
  }
  if (table.FindIndex("PRIMARY") == nullptr) {
    why.push_back("the table has no PRIMARY KEY, by which the cluster certifies rows");
  }
  if (config.preserve_triggers && !table.triggers.empty()) {
    why.push_back(
        "moving the table's own triggers needs a write lock that holds writers on this node only");
  }
  if (config.revertible) {
    why.push_back("--revertible needs a write lock that holds writers on this node only");
  }
  if (!config.verify) {
    why.push_back(
        "--no-verify: a row another node deletes while the copy reads it can reach the new table "
        "(the copy's row locks hold this node's writers only), and verification is what finds it");
  }
  if (!table.referenced_by.empty()) {
    why.push_back("other tables' foreign keys reference the table (not supported on a cluster)");
  }
  return Join(why, "; ");
}

uint64_t WritesetRowLimit(const GaleraNode& node, uint64_t row_bytes) {
  if (!node.wsrep_on) return 0;
  uint64_t limit = 0;
  const auto lower = [&](uint64_t rows) {
    rows = std::max<uint64_t>(rows, 1);
    limit = limit == 0 ? rows : std::min(limit, rows);
  };
  if (node.max_ws_rows > 0) lower(node.max_ws_rows / 2);
  // Half the size limit, for the deletes, the row images and the keys a writeset also carries.
  if (node.max_ws_size > 0) lower(node.max_ws_size / 2 / (2 * std::max<uint64_t>(row_bytes, 1)));
  return limit;
}

Status CheckGaleraCluster(PreflightContext& ctx) {
  SA_ASSIGN_OR_RETURN(GaleraNode node, InspectGalera(ctx.session));
  if (!node.wsrep_on) return Status::Ok();
  const std::string why = GaleraRefusals(node, ctx.session.flavor(), ctx.table, ctx.config);
  if (!why.empty()) return RefusedError("on this Galera Cluster node: " + why);
  LogInfo("a Galera Cluster node: " + std::to_string(node.cluster_size) +
          " nodes, Synced, DDL in total order (TOI); the swap fences the table's writes on every "
          "node for its RENAME");
  return Status::Ok();
}

}  // namespace shadowalter
