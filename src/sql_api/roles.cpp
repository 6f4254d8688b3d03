// SQL entry point: pgclone.clone_roles(). The extern "C" shim only calls
// pg::invoke with the C++ implementation.
#include <optional>
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/pg/guard.hpp"
#include "pgclone/roles/clone_roles.hpp"
#include "pgclone/sql_api/args.hpp"

namespace pgclone::sql_api {

namespace {

// clone_roles(conninfo, role_names = NULL): NULL role_names = every role.
Datum clone_roles(FunctionCallInfo fcinfo) {
	std::string conninfo = required_text(fcinfo, 0, "source_conninfo");
	return text_result(roles::clone_roles(conninfo, text_arg(fcinfo, 1)));
}

} // namespace

} // namespace pgclone::sql_api

extern "C" {

PG_FUNCTION_INFO_V1(pgclone_clone_roles);
Datum pgclone_clone_roles(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::clone_roles);
}
}
