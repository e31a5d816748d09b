#include "inspect/cluster.h"

#include <cstdlib>

#include "sql/cluster_queries.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

constexpr unsigned kUnknownSystemVariable = 1193;

uint64_t Number(const std::string& text) { return std::strtoull(text.c_str(), nullptr, 10); }

}  // namespace

StatusOr<GaleraNode> InspectGalera(Session& s) {
  GaleraNode node;
  StatusOr<ResultSet> vars = s.Query(GaleraVariablesQuery());
  if (!vars.ok()) {
    if (vars.status().server_errno() == kUnknownSystemVariable) return node;
    return vars.status().With("reading the wsrep settings");
  }
  if (vars->empty() || vars->rows[0].size() < 4) return node;
  const auto& row = vars->rows[0];
  const std::string on = row[0].value_or("0");
  node.wsrep_on = on == "1" || on == "ON";
  node.osu_method = row[1].value_or("");
  node.max_ws_rows = Number(row[2].value_or("0"));
  node.max_ws_size = Number(row[3].value_or("0"));
  if (!node.wsrep_on) return node;
  SA_ASSIGN_OR_RETURN(ResultSet status, s.Query(GaleraStatusQuery()));
  for (const auto& r : status.rows) {
    if (r.size() < 2) continue;
    const std::string name = r[0].value_or("");
    const std::string value = r[1].value_or("");
    if (name == "wsrep_cluster_status") node.cluster_status = value;
    if (name == "wsrep_local_state_comment") node.local_state = value;
    if (name == "wsrep_cluster_size") node.cluster_size = static_cast<unsigned>(Number(value));
    if (name == "wsrep_incoming_addresses") {
      for (const std::string& a : Split(value, ',')) {
        if (!a.empty()) node.nodes.push_back(a);
      }
    }
  }
  return node;
}

StatusOr<std::map<std::string, uint64_t>> GaleraCounters(Session& s) {
  SA_ASSIGN_OR_RETURN(ResultSet status, s.Query(GaleraStatusQuery()));
  std::map<std::string, uint64_t> out;
  for (const auto& r : status.rows) {
    if (r.size() >= 2) out[r[0].value_or("")] = Number(r[1].value_or("0"));
  }
  return out;
}

}  // namespace shadowalter
