// What a run alters, as the phases before the copy work it out: the artifacts' names, the ALTER,
// the original and the new table as inspected, the copy's columns and key, the comparison plan, and
// whether the ALTER could be done instantly. Plain data, filled in phase order (analyze, inspect,
// the new table's phases, plan_copy, alter_instantly) and only read by the later ones.
#pragma once

#include <string>

#include "schema/table.h"
#include "sql/alter_clauses.h"
#include "sql/chunk.h"
#include "sql/compare.h"
#include "sql/names.h"

namespace shadowalter {

struct TablePlan {
  ArtifactNames names;  // of the run's tables and triggers (sql/names.h)
  AlterAnalysis alter;
  std::string alter_clauses;  // the user's text without ALGORITHM/LOCK
  TableInfo original;
  TableInfo shadow;  // the new table, once it has its ALTER
  CopySpec copy;
  ComparisonPlan comparison;
  // Empty when the new table took ALGORITHM=INSTANT (so the original likely will), else why not.
  std::string instant_refusal = "not tried";
  bool altered_instantly = false;  // the original took the ALTER instantly: nothing to copy
  bool already_done = false;       // the table already has the definition the ALTER asks for
};

}  // namespace shadowalter
