// User-defined types (enum, domain, composite, range) on the target: a
// table or schema clone creates the ones its columns need and the target
// lacks, before it creates any table.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>
#include <vector>

#include "pgclone/catalog/schema_reader.hpp"
#include "pgclone/clone/ddl_runner.hpp"
#include "pgclone/clone/target_schema.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

// Creates, in dependency order, every type of `types` that does not exist on
// the target yet (same schema and name; an existing one is kept as it is),
// and the schemas they live in. A type that cannot be created, or that
// belongs to an extension the target lacks, is a WARNING naming it and the
// reason, and adds one to `warnings`. Returns the number of types created.
// A table clone passes the types its columns need (catalog::TablePlan::
// types_of) before CREATE TABLE.
int ensure_types(pg::Spi &spi, const std::vector<catalog::TypeDef> &types, int &warnings);

// The same plan as ensure_types, as DDL items in dependency order, for a
// caller that runs them together with other objects (run_ddl). Creates the
// missing schemas and reports extension-owned types at once.
// *kept (when given) counts the types that exist already and are kept.
std::vector<DdlItem> type_ddl_items(pg::Spi &spi, const std::vector<catalog::TypeDef> &types, int &warnings,
                                    std::size_t *kept = nullptr);

// Whether a type schema.name exists on the target.
bool type_exists(pg::Spi &spi, const std::string &schema, const std::string &name);

// Option "target_schema": the types of move.from become types of move.to
// (their names and CREATE statements); the others are left as they are. A
// type whose statement has an unexpected form is left out with a WARNING.
void move_types(std::vector<catalog::TypeDef> &types, const SchemaMove &move, int &warnings);

} // namespace pgclone::clone
