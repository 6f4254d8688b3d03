// Reads the user-defined operators, operator families and classes of the
// plan's schemas, and (for a database clone) the user-defined casts, with
// one query for the whole plan. Shell operators, objects of an extension,
// objects internal to another (a range's multirange cast) and built-in
// casts are never listed (as pg_dump leaves them out).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>
#include <vector>

#include "pgclone/core/operators.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::catalog {

struct OperatorObjects {
	std::vector<core::OperatorDef> operators;
	std::vector<core::OperatorFamilyDef> families;
	std::vector<core::OperatorClassDef> classes;
	std::vector<core::CastDef> casts;
	bool empty() const { return operators.empty() && families.empty() && classes.empty() && casts.empty(); }
	std::size_t size() const { return operators.size() + families.size() + classes.size() + casts.size(); }
};

// schemas: the plan's schema names; with_casts: a database clone (a cast
// belongs to no schema, so only the whole database brings them, as pg_dump
// does). Each kind by schema and name (casts by their types).
OperatorObjects read_operator_objects(libpq::Connection &src, const std::vector<std::string> &schemas,
                                      bool with_casts);

} // namespace pgclone::catalog
