// Transaction control and the keep-alive ping: the statements a session sends around the work of
// a copy, a verification or a pause. Pure. Not here: the session's own setup (sql_mode, isolation
// level) and SHOW WARNINGS, which db/connector_session.cc owns, and db/ddl_retry.cc's
// lock_wait_timeout: db/ sits below sql/ and does not include it.
#pragma once

#include <string>

namespace shadowalter {

// START TRANSACTION: opens a transaction whose locking reads take their row locks as they go
// (the copy's chunk: see sql/chunk.h).
std::string StartTransaction();

// START TRANSACTION WITH CONSISTENT SNAPSHOT: opens a transaction whose reads all see the one
// snapshot taken now (under REPEATABLE READ), so two tables read in it can be compared.
std::string StartConsistentSnapshot();

// COMMIT / ROLLBACK of the session's open transaction. Named so as not to clash with the methods
// of the objects that send them.
std::string CommitTransaction();
std::string RollbackTransaction();

// SAVEPOINT sa_diagnose / ROLLBACK TO SAVEPOINT sa_diagnose: the tool's one savepoint, under
// which a probe write runs to learn whether the server takes it; rolling back to it undoes the
// probe and keeps the rest of the transaction. Its name is fixed: no name reaches it.
std::string SetProbeSavepoint();
std::string RollbackToProbeSavepoint();

// DO 1: the cheapest statement the server answers; sent to an idle session so that wait_timeout
// does not close it (and a dead one shows at its next use).
std::string KeepAlivePing();

}  // namespace shadowalter
