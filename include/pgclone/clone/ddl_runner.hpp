// Creating a list of objects on the target, each in its own subtransaction,
// so that one object that cannot be created is a WARNING and not the end of
// the clone (docs/ARCHITECTURE.md).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>
#include <vector>

#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

struct DdlItem {
	std::string what;   // for messages: view "s"."v"
	std::string create; // the statement that creates it
	// Statements that complete it once it exists (comments, indexes, setval);
	// each failure is a WARNING of its own.
	std::vector<std::string> then;
	// LANGUAGE sql bodies are validated at creation, against the target's
	// search_path. When that still fails after every retry and this is set
	// (to the function's own schema and public), the body is validated once
	// more with it: a source that resolves bare names through its own
	// search_path (ALTER DATABASE ... SET search_path) clones cleanly, with a
	// NOTICE. If that fails too, the function is created without validation
	// (check_function_bodies = off, as pg_dump restores it) and a WARNING
	// says so.
	std::string validation_search_path;
	// When `create` / `then` hold whole definitions read from the source
	// (pg_get_functiondef, pg_get_indexdef, ...): the kinds of statement
	// they must be (pg::StatementKinds); anything else is not run.
	pg::StatementKinds create_kinds = pg::any_statement;
	pg::StatementKinds then_kinds = pg::any_statement;
};

struct DdlRun {
	std::vector<bool> created; // per item
	int warnings = 0;
	int count() const;
};

// Creates the items in order. Objects may depend on objects later in the
// list (a view on a function, a composite on a domain): an item that fails
// is retried after the others, as long as a pass creates something. What
// still fails is a WARNING "pgclone: skipped <what>" with the reason.
DdlRun run_ddl(pg::Spi &spi, const std::vector<DdlItem> &items);

// Runs one statement in a subtransaction; a failure is a WARNING naming
// what and the reason. Returns whether it succeeded. kinds: as in DdlItem.
bool try_ddl(pg::Spi &spi, const std::string &what, const std::string &sql, int &warnings,
             pg::StatementKinds kinds = pg::any_statement);

// A statement for try_ddl_all: what it is (for the WARNING) and its text.
struct DdlStatement {
	std::string what;
	std::string sql;
};

// try_ddl for many statements that are expected to succeed: first all of
// them in one subtransaction; only if that fails, each one in its own (so
// that each failure is a WARNING and the others are kept, as with try_ddl).
void try_ddl_all(pg::Spi &spi, const std::vector<DdlStatement> &statements, int &warnings,
                 pg::StatementKinds kinds = pg::any_statement);

// Sets check_function_bodies for the rest of the transaction and returns
// the previous value, to be restored with the same function.
std::string set_check_function_bodies(const std::string &value);

// "s"."n" for messages (not SQL: embedded quotes are not doubled).
std::string object_name(const std::string &schema, const std::string &name);

} // namespace pgclone::clone
