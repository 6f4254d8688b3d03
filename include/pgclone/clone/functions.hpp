// Routines of the source on the target: the DDL item that creates one, the
// look-up of an existing one, and for a table clone the routines its
// triggers, defaults, generated columns, checks, indexes and policies call.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>

#include "pgclone/catalog/schema_reader.hpp"
#include "pgclone/clone/ddl_runner.hpp"
#include "pgclone/core/aggregates.hpp"
#include "pgclone/libpq/connection.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

// "s"."f"(args) as SQL.
std::string function_signature(const catalog::FunctionDef &f);
// A routine of f's schema and identity arguments named `name` exists on the target.
bool function_named_exists(pg::Spi &spi, const catalog::FunctionDef &f, const std::string &name);
bool function_exists(pg::Spi &spi, const catalog::FunctionDef &f);
// Refuses (42723) a routine of f's signature that is already on the target
// and belongs to a role other than the current user, a superuser or f's
// owner on the source (clone::foreign_owner): the cloned objects would call
// it (or, replaced in place, keep that owner), running someone else's code
// with the cloning role's rights.
void refuse_foreign_routine(pg::Spi &spi, const catalog::FunctionDef &f);
// Creation (pg_get_functiondef text) and comment; LANGUAGE sql bodies get
// the validation fallback of run_ddl.
DdlItem function_item(const catalog::FunctionDef &f);
// An aggregate (f of kind 'a') with its definition (catalog::read_aggregates).
DdlItem aggregate_item(const catalog::FunctionDef &f, const core::AggregateDef &a);

// pgclone.table(): creates the routines the source table's triggers,
// defaults, generated columns, checks, indexes and policies call when the
// target lacks them (an existing one of the same signature is kept), with
// check_function_bodies = off, before the table (an existing one another
// role made is refused: refuse_foreign_routine). What cannot be created is
// a WARNING. Returns the number created.
int ensure_functions_for_table(libpq::Connection &src, pg::Spi &spi, const std::string &source_table_oid,
                               int &warnings);

} // namespace pgclone::clone
