// Collations and text search objects on the target: created before the
// types and tables that use them, when the target lacks them (an existing
// one of the same schema and name is kept as it is, like a type).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>
#include <vector>

#include "pgclone/clone/ddl_runner.hpp"
#include "pgclone/clone/target_schema.hpp"
#include "pgclone/core/text_objects.hpp"
#include "pgclone/libpq/connection.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

// DDL items (creation, then mappings and comment) for the objects the
// target lacks, in the order given (the reader's creation order), for a
// caller that runs them with other objects (run_ddl). Creates the missing
// schemas.
std::vector<DdlItem> text_object_ddl_items(pg::Spi &spi, const std::vector<core::TextObjectDef> &objects);

// Option "target_schema": the objects of the source schema, and their
// references to objects of it (a configuration's parser and dictionaries, a
// dictionary's template, a parser's or template's functions), go to the
// target schema, where the moved definitions look their names up.
void move_text_objects(std::vector<core::TextObjectDef> &objects, const SchemaMove &move);

// For one table clone: reads the collations and text search objects the
// source table needs (catalog::read_text_objects with a one-table plan)
// and creates the missing ones, moved with the table. What cannot be
// created is a WARNING.
void ensure_text_objects_for_table(libpq::Connection &src, pg::Spi &spi, const std::string &source_table_oid,
                                   const SchemaMove &move, int &warnings);

} // namespace pgclone::clone
