// Source catalog reader for aggregates (include/pgclone/catalog/aggregate_reader.hpp).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/aggregate_reader.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/schema_plan.hpp"

namespace pgclone::catalog {

namespace {

// Support functions and the sort operator come as JSON [schema, name] (NULL
// when unset), so that pgclone quotes them itself.
constexpr const char *aggregates_sql = R"SQL(
WITH fn(oid, ref) AS (
  SELECT p.oid, pg_catalog.json_build_array(n.nspname, p.proname)::pg_catalog.text
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
)
SELECT p.oid, n.nspname, p.proname, pg_catalog.pg_get_function_arguments(p.oid), a.aggkind, p.proparallel,
  (SELECT ref FROM fn WHERE fn.oid = a.aggtransfn::pg_catalog.oid), pg_catalog.format_type(a.aggtranstype, NULL), a.aggtransspace,
  (SELECT ref FROM fn WHERE fn.oid = a.aggfinalfn::pg_catalog.oid), a.aggfinalextra, a.aggfinalmodify,
  (SELECT ref FROM fn WHERE fn.oid = a.aggcombinefn::pg_catalog.oid), (SELECT ref FROM fn WHERE fn.oid = a.aggserialfn::pg_catalog.oid),
  (SELECT ref FROM fn WHERE fn.oid = a.aggdeserialfn::pg_catalog.oid), a.agginitval,
  (SELECT ref FROM fn WHERE fn.oid = a.aggmtransfn::pg_catalog.oid), (SELECT ref FROM fn WHERE fn.oid = a.aggminvtransfn::pg_catalog.oid),
  CASE WHEN a.aggmtranstype OPERATOR(pg_catalog.<>) 0 THEN pg_catalog.format_type(a.aggmtranstype, NULL) END, a.aggmtransspace,
  (SELECT ref FROM fn WHERE fn.oid = a.aggmfinalfn::pg_catalog.oid), a.aggmfinalextra, a.aggmfinalmodify, a.aggminitval,
  (SELECT pg_catalog.json_build_array(opn.nspname, o.oprname)::pg_catalog.text
   FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace opn ON opn.oid = o.oprnamespace WHERE o.oid = a.aggsortop),
  pg_catalog.obj_description(p.oid, 'pg_proc')
FROM pg_catalog.pg_aggregate a
JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid::pg_catalog.oid
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = ANY ($1::pg_catalog.text[])
ORDER BY n.nspname, p.proname, p.oid
)SQL";

[[noreturn]] void malformed(const std::string &what) {
	throw core::Error("the source server's description of aggregate " + what + " is malformed",
	                  core::sqlstate::protocol_violation);
}

std::optional<core::ObjectName> name_of(const std::optional<std::string> &text, const std::string &what) {
	if (!text)
		return std::nullopt;
	auto j = nlohmann::json::parse(*text, nullptr, false);
	if (j.is_discarded() || !j.is_array() || j.size() != 2 || !j[0].is_string() || !j[1].is_string())
		malformed(what);
	return core::ObjectName{j[0].get<std::string>(), j[1].get<std::string>()};
}

char one_char(const std::string &s, char otherwise) {
	return s.empty() ? otherwise : s[0];
}

} // namespace

std::map<std::string, core::AggregateDef> read_aggregates(libpq::Connection &src,
                                                          const std::vector<std::string> &schemas) {
	std::map<std::string, core::AggregateDef> out;
	auto r = src.exec_params(aggregates_sql,
	                         std::vector<std::optional<std::string>>{core::text_array_literal(schemas)});
	for (int i = 0; i < r.rows(); i++) {
		core::AggregateDef a;
		a.oid = r.get(i, 0);
		a.schema = r.get(i, 1);
		a.name = r.get(i, 2);
		const std::string what = "\"" + a.schema + "\".\"" + a.name + "\"";
		a.arguments = r.get(i, 3);
		a.kind = one_char(r.get(i, 4), 'n');
		a.parallel = one_char(r.get(i, 5), 'u');
		auto transfn = name_of(r.get_opt(i, 6), what);
		if (!transfn)
			malformed(what);
		a.transfn = *transfn;
		a.transtype = r.get(i, 7);
		a.transspace = static_cast<int>(r.get_int(i, 8));
		a.finalfn = name_of(r.get_opt(i, 9), what);
		a.finalextra = r.get_bool(i, 10);
		a.finalmodify = one_char(r.get(i, 11), 'r');
		a.combinefn = name_of(r.get_opt(i, 12), what);
		a.serialfn = name_of(r.get_opt(i, 13), what);
		a.deserialfn = name_of(r.get_opt(i, 14), what);
		a.initval = r.get_opt(i, 15);
		a.mtransfn = name_of(r.get_opt(i, 16), what);
		a.minvtransfn = name_of(r.get_opt(i, 17), what);
		a.mtranstype = r.get(i, 18);
		a.mtransspace = static_cast<int>(r.get_int(i, 19));
		a.mfinalfn = name_of(r.get_opt(i, 20), what);
		a.mfinalextra = r.get_bool(i, 21);
		a.mfinalmodify = one_char(r.get(i, 22), 'r');
		a.minitval = r.get_opt(i, 23);
		a.sortop = name_of(r.get_opt(i, 24), what);
		if (a.sortop && !core::is_operator_name(a.sortop->name))
			malformed(what);
		a.comment = r.get_opt(i, 25);
		out[a.oid] = std::move(a);
	}
	return out;
}

} // namespace pgclone::catalog
