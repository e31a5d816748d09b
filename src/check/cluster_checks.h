// The preflight check of a Galera Cluster node (check/preflight.h): what a run needs of the
// cluster, found before anything is made. On a server that is no cluster node it passes.
#pragma once

#include "check/preflight.h"
#include "inspect/cluster.h"
#include "util/status.h"

namespace shadowalter {

// Why `node` (as InspectGalera read it) can't run this migration, "" when it can: every reason,
// "; "-joined. Each DDL must apply on every node in the same order (wsrep_OSU_method TOI), the
// node must be Synced in a Primary component, rows are certified by their primary key, and the
// paths that rely on a table write lock (which holds writers on this node only) are refused:
// moving the table's own triggers, --revertible, child foreign keys; and --no-verify, since the
// copy's row locks don't hold other nodes' deletes (verification finds what slips through). Pure.
std::string GaleraRefusals(const GaleraNode& node, ServerFlavor flavor, const TableInfo& table,
                           const Config& config);

// The most rows a copy transaction may write on `node` (it inserts a row into the new table for
// each it copies, and may delete as many first), within wsrep_max_ws_rows and, for rows of about
// `row_bytes`, wsrep_max_ws_size with room to spare; 0 when the cluster sets no limit that low
// (or the server is no cluster node). Pure.
uint64_t WritesetRowLimit(const GaleraNode& node, uint64_t row_bytes);

// The check itself: reads the node (InspectGalera) and refuses with GaleraRefusals.
Status CheckGaleraCluster(PreflightContext& ctx);

}  // namespace shadowalter
