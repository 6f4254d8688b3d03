// Object kind "trigger": the user triggers of each table of a plan.
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/json_text.hpp"
#include "pgclone/catalog/table_kinds.hpp"

namespace pgclone::catalog::kinds {

std::string triggers_sql(int) {
	return R"sql(SELECT t.tgrelid, t.tgname, pg_catalog.quote_ident(t.tgname), pg_catalog.pg_get_triggerdef(t.oid), )sql" +
	       depended_columns_sql("'pg_catalog.pg_trigger'", "t.oid") +
	       R"sql( FROM pg_catalog.pg_trigger t
WHERE t.tgrelid = ANY ($1::pg_catalog.oid[]) AND NOT t.tgisinternal
ORDER BY t.tgrelid, t.tgname)sql";
}

void file_triggers(const libpq::Result &r, TablePlan &plan) {
	for (int i = 0; i < r.rows(); i++)
		plan.row_table(r.get(i, 0))
		    .triggers.push_back({r.get(i, 1), r.get(i, 2), r.get(i, 3), json_string_array(r.get(i, 4))});
}

} // namespace pgclone::catalog::kinds
