#include "sql/session_statements.h"

namespace shadowalter {

std::string StartTransaction() { return "START TRANSACTION"; }

std::string StartConsistentSnapshot() { return "START TRANSACTION WITH CONSISTENT SNAPSHOT"; }

std::string CommitTransaction() { return "COMMIT"; }

std::string RollbackTransaction() { return "ROLLBACK"; }

std::string SetProbeSavepoint() { return "SAVEPOINT sa_diagnose"; }

std::string RollbackToProbeSavepoint() { return "ROLLBACK TO SAVEPOINT sa_diagnose"; }

std::string KeepAlivePing() { return "DO 1"; }

}  // namespace shadowalter
