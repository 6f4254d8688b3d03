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
#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

// Moves the objects of the source schema, and the references pgclone
// writes itself (functions, commutators, families), into the target schema
// (option target_schema).
void move_operator_objects(catalog::OperatorObjects &objects, const SchemaMove &move);

// DDL items for the objects the target lacks, in creation order, for a
// caller that runs them with the types (run_ddl). Creates missing schemas.
std::vector<DdlItem> operator_ddl_items(pg::Spi &spi, const catalog::OperatorObjects &objects);

} // namespace pgclone::clone
