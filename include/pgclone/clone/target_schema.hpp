// Option "target_schema": a table or schema clone into another schema.
//
// The rule (docs/USAGE.md "Cloning into another schema"): the names of the
// source schema that PostgreSQL itself prints while it describes an object
// (types, defaults, checks, foreign keys, index and trigger expressions,
// view queries, SQL-standard function bodies, regclass constants) follow
// into the target schema; text PostgreSQL keeps as text (string literals,
// function bodies in quotes, a function's SET search_path) is never
// changed. Two settings do it, no rewriting of expressions:
//   - the source session prints the catalog with search_path =
//     pg_catalog, <source schema>, so names of the source schema come back
//     unqualified (a name that pg_catalog shadows stays qualified);
//   - the target creates the objects with search_path = pg_catalog,
//     <target schema>, pg_temp, so those unqualified names resolve there.
// Only the names pgclone itself writes (the object created, the table an
// index or trigger is ON) are moved explicitly.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "pgclone/core/options.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::clone {

struct SchemaMove {
	std::string from; // the source schema
	std::string to;   // the target schema; empty: no move

	bool active() const { return !to.empty() && to != from; }
	// The target schema of an object of source schema `schema`.
	const std::string &map(const std::string &schema) const {
		return active() && schema == from ? to : schema;
	}
};

SchemaMove schema_move(const std::string &source_schema, const core::CloneOptions &options);

// For an active move: sets the source session's search_path (inside its
// transaction: call it again after the transaction was restarted) and
// returns the source's own quoting of the source schema (as
// quote_identifier prints it in definitions). Does nothing and returns ""
// otherwise.
std::string follow_source_schema(libpq::Connection &src, const SchemaMove &move);

// Runs f with the source session's search_path at pg_catalog alone, and
// puts the path it had back afterwards (outside_source_schema, and a
// subset's queries, which run so whatever the move).
void with_catalog_source_path(libpq::Connection &src, const std::function<void()> &f);

// For an active move: runs f with the source session's search_path at
// pg_catalog alone, as without a move, then follows the move again. For the
// caller's SQL sent to the source (a row filter, a subset's filters): its
// bare operators must not find one that the source schema's owner put there
// ("=(varchar, varchar)", which pg_catalog lacks) and that would run as the
// clone's source role. Without a move it only runs f.
void outside_source_schema(libpq::Connection &src, const SchemaMove &move, const std::function<void()> &f);

// The column types of source table `oid` as format_type() prints them with
// search_path at pg_catalog alone (a type of the source schema qualified):
// the casts of a masked copy sent under outside_source_schema. By column name.
std::map<std::string, std::string> source_column_types(libpq::Connection &src, const std::string &oid);

// Runs f with search_path set to value for the transaction, and puts the
// previous value back afterwards.
void with_search_path(const std::string &value, const std::function<void()> &f);

// Runs f with the target's search_path of the clone (pg_catalog, the target
// schema of an active move, pg_temp; never the caller's), and puts the
// previous value back afterwards (an error aborts the transaction, which
// puts it back too).
void with_target_path(const SchemaMove &move, const std::function<void()> &f);

} // namespace pgclone::clone
