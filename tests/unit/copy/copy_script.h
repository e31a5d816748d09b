// What a copy sends, scripted for a ScriptedSession (db/scripted_session.h): the table the copy
// tests walk and the statements of one copy transaction, shared by the tests of the chunk loop
// (copy/copier_test.cc) and of the run's copy (migration/row_copy_test.cc). The statements come
// from the same sql/ builders the code uses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "db/scripted_session.h"
#include "sql/chunk.h"
#include "sql/ddl.h"
#include "sql/session_statements.h"
#include "test_tables.h"

namespace shadowalter::copy_script {

// `shop`.`orders` (id bigint primary key, customer, qty) into `_orders_new`, column for column.
inline CopySpec Orders() {
  CopySpec s;
  s.schema = "shop";
  s.table = "orders";
  s.shadow_table = "_orders_new";
  s.columns = {{"id", "id"}, {"customer", "customer"}, {"qty", "qty"}};
  s.key = test_tables::Key("PRIMARY", {test_tables::Col("id", "bigint")});
  return s;
}

inline KeyTuple K(const std::string& v) { return KeyTuple{v}; }

// The session settings RangeCopier::Prepare makes once per session.
inline void ExpectPrepare(ScriptedSession& s) {
  s.Expect(SetLockWaits(ServerFlavor::kMariaDB, 0));
  s.Expect("SET SESSION foreign_key_checks = 0");
}

// One CopyNext transaction of `rows` rows after `after` that ends at `through` (none: the table
// ended), with nothing in the new table's range yet and the range copied in one INSERT of at
// most 500 rows (an open-ended range's size is unknown, so where its first INSERT would end is
// looked up first). Returns the COMMIT's step.
inline ScriptedSession::Step& ExpectChunk(ScriptedSession& s, const CopySpec& spec,
                                          std::optional<KeyTuple> after, uint64_t rows,
                                          std::optional<KeyTuple> through, uint64_t inserted) {
  s.Expect(StartTransaction());
  ScriptedRows bound;
  if (through) bound.push_back({(*through)[0]});
  s.Expect(LockNextChunk(spec, after, rows)).Returns(bound);
  const ChunkRange range{after, through};
  s.Expect(ShadowKeysInRange(spec, range));
  if (!through) s.Expect(NthKeyInRange(spec, range, 500));
  s.Expect(CopyChunk(spec, range)).Affects(inserted);
  return s.Expect(CommitTransaction());
}

}  // namespace shadowalter::copy_script
