// SQL argument helpers.
#include <optional>
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/error.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/sql_api/args.hpp"

namespace pgclone::sql_api {

std::optional<std::string> text_arg(FunctionCallInfo fcinfo, int n) {
	if (n >= PG_NARGS() || PG_ARGISNULL(n))
		return std::nullopt;
	char *s = pg::call([=] { return text_to_cstring(PG_GETARG_TEXT_PP(n)); });
	return std::string(s);
}

std::string required_text(FunctionCallInfo fcinfo, int n, const char *name) {
	auto v = text_arg(fcinfo, n);
	if (!v)
		throw core::Error(std::string(name) + " must not be null", core::sqlstate::null_value_not_allowed);
	return *v;
}

bool bool_arg(FunctionCallInfo fcinfo, int n, bool def) {
	if (n >= PG_NARGS() || PG_ARGISNULL(n))
		return def;
	return PG_GETARG_BOOL(n);
}

Datum text_result(const std::string &s) {
	const char *p = s.c_str();
	return pg::call([=] { return PointerGetDatum(cstring_to_text(p)); });
}

} // namespace pgclone::sql_api
