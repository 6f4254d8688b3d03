// SPI in C++ regime: DDL and catalog queries on the *target* run through SPI
// in the caller's transaction (docs/ARCHITECTURE.md).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pgclone::pg {

using Value = std::optional<std::string>;
using Row = std::vector<Value>;

// The kinds of statement a whole definition read from the source may be
// (pg_get_functiondef, pg_get_ruledef, ...), as a set of bits: the call
// that runs it names the kinds it expects, so that a source answering with
// another statement ("ALTER ROLE ... SUPERUSER" for a function's
// definition) gets nothing run. 0: any kind (the text starts with a
// statement pgclone wrote itself).
using StatementKinds = unsigned;
inline constexpr StatementKinds any_statement = 0;
inline constexpr StatementKinds create_function_statement = 1u << 0;
inline constexpr StatementKinds create_rule_statement = 1u << 1;
inline constexpr StatementKinds create_statistics_statement = 1u << 2;
inline constexpr StatementKinds create_index_statement = 1u << 3;
inline constexpr StatementKinds create_trigger_statement = 1u << 4;
inline constexpr StatementKinds alter_table_statement = 1u << 5;
inline constexpr StatementKinds comment_statement = 1u << 6;

// One SPI connection. Construct to SPI_connect; call finish() on the success
// path. The destructor makes no PostgreSQL call (the boundary rule in docs/ARCHITECTURE.md): if an
// exception unwinds past an unfinished Spi, the transaction is about to abort
// and AtEOXact_SPI releases the connection.
class Spi {
public:
	Spi();
	~Spi() = default;
	Spi(const Spi &) = delete;
	Spi &operator=(const Spi &) = delete;

	void finish();

	// Runs a command (DDL, DML); returns the number of rows processed.
	uint64_t exec(const std::string &sql);
	// Like exec, for text that embeds definitions read from the source
	// server: it must parse as exactly one statement, else it is not run and
	// an ERROR is raised (SPI would run every statement of a string).
	uint64_t exec_one(const std::string &sql);
	// Several statements in one SPI call (one parse-and-run round instead of
	// one per statement), for statements that cannot fail for a reason a
	// clone tolerates. Each is first checked to be exactly one statement, as
	// exec_one does, and the joined text to be as many: a definition from
	// the source cannot smuggle in another.
	void exec_batch(const std::vector<std::string> &statements);
	// Runs a query with text parameters $1..$n; returns rows of text values.
	std::vector<Row> query(const std::string &sql, const std::vector<Value> &params = {});
	// First column of the first row, or nullopt when there is no row / NULL.
	Value query_value(const std::string &sql, const std::vector<Value> &params = {});
	// query_value for a fixed catalog look-up text asked many times (does
	// this relation exist?): planned once per backend and kept, instead of
	// parsed and planned on every call. Never pass text that varies.
	Value lookup(const std::string &sql, const std::vector<Value> &params = {});
	// lookup for a look-up of several columns: the first row, nullopt when
	// there is none. The same rule: fixed texts only.
	std::optional<Row> lookup_row(const std::string &sql, const std::vector<Value> &params = {});
	// query for a fixed text run many times in one backend (a job's
	// bookkeeping, once per table): every row, from a plan kept as lookup's.
	std::vector<Row> query_kept(const std::string &sql, const std::vector<Value> &params = {});
	// Runs one command in its own subtransaction. On failure the subtransaction
	// is rolled back and the error message is returned (the caller reports a
	// WARNING and goes on). A cancel or timeout is never swallowed: it is
	// re-thrown as PgError. With single_statement, sql must parse as exactly
	// one statement (see exec_one), and, with kinds, one of those kinds;
	// otherwise that is the returned error.
	std::optional<std::string> exec_in_subtransaction(const std::string &sql, bool single_statement = false,
	                                                  StatementKinds kinds = any_statement);
	// exec_batch in one subtransaction: nullopt when every statement ran,
	// else the first error, with none of them kept (the caller runs each in
	// a subtransaction of its own to learn which failed). With kinds, each
	// statement must be one of those kinds. One subtransaction for many
	// statements: each one's commit walks every file and relation the
	// transaction created so far.
	std::optional<std::string> exec_batch_in_subtransaction(const std::vector<std::string> &statements,
	                                                        StatementKinds kinds = any_statement);

private:
	bool connected_ = false;
};

} // namespace pgclone::pg
