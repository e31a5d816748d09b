#include "cutover/swap_guard.h"

#include <algorithm>
#include <sstream>

#include "db/quote.h"
#include "inspect/artifacts.h"
#include "inspect/inspector.h"
#include "sql/names.h"
#include "state/checkpoint.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == ',' || line.back() == ' ')) line.pop_back();
    size_t start = line.find_first_not_of(' ');
    if (start != std::string::npos) out.push_back(line.substr(start));
  }
  return out;
}

std::vector<Trigger> Without(std::vector<Trigger> triggers, const std::vector<std::string>& names) {
  std::erase_if(triggers, [&](const Trigger& t) {
    return std::find(names.begin(), names.end(), t.name) != names.end();
  });
  return triggers;
}

}  // namespace

std::vector<std::string> DefinitionChanges(const std::string& before, const std::string& after) {
  const std::vector<std::string> a = Lines(NormalizeCreateTable(before));
  const std::vector<std::string> b = Lines(NormalizeCreateTable(after));
  std::vector<std::string> out;
  for (const std::string& line : a) {
    if (std::find(b.begin(), b.end(), line) == b.end()) out.push_back("- " + line);
  }
  for (const std::string& line : b) {
    if (std::find(a.begin(), a.end(), line) == a.end()) out.push_back("+ " + line);
  }
  return out;
}

Status SwapGuard::Check(Session& s) const {
  SA_RETURN_IF_ERROR(CheckDefinition(s, plan_.table, plan_.original_create, "the table"));
  SA_RETURN_IF_ERROR(CheckDefinition(s, plan_.shadow_table, plan_.shadow_create, "the new table"));
  SA_RETURN_IF_ERROR(CheckSameTable(s));
  SA_RETURN_IF_ERROR(CheckTriggers(s));
  return CheckRefusals(s);
}

Status SwapGuard::CheckOriginalDefinition(Session& s) const {
  return CheckDefinition(s, plan_.table, plan_.original_create, "the table");
}

Status SwapGuard::CheckSameTable(Session& s) const {
  if (plan_.table_ids.empty()) return Status::Ok();
  const std::string now = InnodbTableIds(s, plan_.schema, plan_.table);
  if (now.empty() || now == plan_.table_ids) return Status::Ok();
  return AbortedError("the table " + QualifiedName(plan_.schema, plan_.table) +
                      " was truncated or rebuilt by someone else during the run (its InnoDB "
                      "table id changed; no trigger sees that): not swapping, so that the change "
                      "stays; run again to alter the table as it is now");
}

Status SwapGuard::CheckDefinition(Session& s, const std::string& table, const std::string& expected,
                                  const std::string& what) const {
  SA_ASSIGN_OR_RETURN(std::string now, CreateTableText(s, plan_.schema, table));
  if (DefinitionFingerprint(now) == DefinitionFingerprint(expected)) return Status::Ok();
  std::vector<std::string> changes = DefinitionChanges(expected, now);
  return AbortedError(
      what + " " + QualifiedName(plan_.schema, table) +
      " was changed by someone else's DDL during the run (" +
      (changes.empty() ? std::string("its definition differs") : Join(changes, "; ")) +
      "): not swapping, so that the change and its data stay; run again to "
      "alter the table as it is now");
}

Status SwapGuard::CheckTriggers(Session& s) const {
  SA_ASSIGN_OR_RETURN(std::vector<Trigger> now, InspectTriggers(s, plan_.schema, plan_.table));
  std::vector<std::string> mirrors_found;
  for (const Trigger& t : now) {
    if (std::find(plan_.mirror_triggers.begin(), plan_.mirror_triggers.end(), t.name) !=
        plan_.mirror_triggers.end()) {
      mirrors_found.push_back(t.name);
    }
  }
  if (mirrors_found.size() != plan_.mirror_triggers.size()) {
    return DataLossError("a trigger of the run was dropped from " +
                         QualifiedName(plan_.schema, plan_.table) +
                         " during the run, so writes may have missed the new table: not swapping");
  }
  ArtifactNames names;
  names.insert_trigger = plan_.mirror_triggers.at(0);
  names.update_trigger = plan_.mirror_triggers.at(1);
  names.delete_trigger = plan_.mirror_triggers.at(2);
  if (!plan_.mirror_created.empty()) {
    const std::string now = TriggersCreatedText(s, plan_.schema, names);
    if (!now.empty() && now != plan_.mirror_created) {
      return DataLossError("a trigger of the run on " + QualifiedName(plan_.schema, plan_.table) +
                           " was dropped and created again during the run, so writes in between "
                           "may have missed the new table: not swapping");
    }
  }
  SA_ASSIGN_OR_RETURN(std::string text, TriggerDefinitionsText(s, plan_.schema, names));
  if (!plan_.mirror_fingerprint.empty() && Fingerprint(text) != plan_.mirror_fingerprint) {
    return DataLossError("a trigger of the run on " + QualifiedName(plan_.schema, plan_.table) +
                         " was replaced during the run: not swapping");
  }
  std::vector<Trigger> own =
      Without(Without(std::move(now), plan_.mirror_triggers), plan_.fence_triggers);
  if (own == Without(plan_.own_triggers, plan_.mirror_triggers)) return Status::Ok();
  std::vector<std::string> names_now;
  for (const Trigger& t : own) names_now.push_back(QuoteIdentifier(t.name));
  return AbortedError("the table's own triggers changed during the run (now: " +
                      (names_now.empty() ? std::string("none") : Join(names_now, ", ")) +
                      "): not swapping; run again");
}

Status SwapGuard::CheckRefusals(Session& s) const {
  SA_ASSIGN_OR_RETURN(RefusalSummary r, refusals_.Uncovered(s));
  if (r.uncovered == 0) return Status::Ok();
  return DataLossError(std::to_string(r.uncovered) +
                       " write(s) on the table were refused by the new table, and no verification "
                       "has compared their rows since (first: " +
                       Join(r.first, "; ") + "): the new table lacks them, so not swapping");
}

}  // namespace shadowalter
