// Operators, operator families and classes, casts on the target: created
// with the types, before the tables whose indexes and constraints use them,
// when the target lacks them (an existing one is kept as it is, like a
// type). A family's own members (ALTER OPERATOR FAMILY ... ADD) come after
// the classes, casts last.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <vector>

#include "pgclone/catalog/operator_reader.hpp"
#include "pgclone/clone/ddl_runner.hpp"
#include "pgclone/clone/target_schema.hpp"
#include "pgclone/core/dry_run.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

// Moves the objects of the source schema, and the references pgclone
// writes itself (functions, commutators, families), into the target schema
// (option target_schema).
void move_operator_objects(catalog::OperatorObjects &objects, const SchemaMove &move);

// DDL items for the objects the target lacks, in creation order, for a
// caller that runs them with the types (run_ddl). Creates missing schemas.
std::vector<DdlItem> operator_ddl_items(pg::Spi &spi, const catalog::OperatorObjects &objects);

// The dry run's steps for them ("create", or "keep" for one the target
// has), in creation order. Reads the target only.
void operator_dry_run_steps(pg::Spi &spi, const catalog::OperatorObjects &objects,
                            std::vector<core::PlanStep> &steps);

} // namespace pgclone::clone
