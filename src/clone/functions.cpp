// Routines on the target (include/pgclone/clone/functions.hpp).
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/ddl_runner.hpp"
#include "pgclone/clone/functions.hpp"
#include "pgclone/clone/target.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"

namespace pgclone::clone {

using core::qualified_name;
using core::quote_ident;
using core::quote_literal;

bool function_named_exists(pg::Spi &spi, const catalog::FunctionDef &f, const std::string &name) {
	return spi
	    .query_value(
	        R"sql(SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = $1 AND p.proname = $2
AND pg_catalog.pg_get_function_identity_arguments(p.oid) = $3)sql",
	        {f.schema, name, f.identity_args})
	    .has_value();
}

bool function_exists(pg::Spi &spi, const catalog::FunctionDef &f) {
	return function_named_exists(spi, f, f.name);
}

void refuse_foreign_routine(pg::Spi &spi, const catalog::FunctionDef &f) {
	auto owner = foreign_owner(spi, "routine", f.schema, f.name, f.identity_args, f.owner);
	if (!owner)
		return;
	std::string word = f.kind == 'p' ? "procedure " : "function ";
	throw core::Error(word + object_name(f.schema, f.name) + "(" + f.identity_args +
	                      ") already exists on the target and belongs to role \"" + *owner + "\"",
	                  core::sqlstate::duplicate_function,
	                  "The cloned objects call it, with the rights of the role that runs the clone; on the source it belongs to \"" +
	                      f.owner + "\". A routine that another role made on the target is not run.",
	                  "Drop it, or give it to the role that clones or to \"" + f.owner +
	                      "\" (ALTER FUNCTION ... OWNER TO), then clone again.");
}

std::string function_signature(const catalog::FunctionDef &f) {
	return qualified_name(f.schema, f.name) + "(" + f.identity_args + ")";
}

DdlItem function_item(const catalog::FunctionDef &f) {
	std::string word = f.kind == 'p' ? "procedure " : "function ";
	DdlItem item{word + object_name(f.schema, f.name) + "(" + f.identity_args + ")",
	             f.create_sql,
	             {},
	             f.language == "sql" ? quote_ident(f.schema) + ", public" : "",
	             pg::create_function_statement}; // pg_get_functiondef()
	if (f.comment)
		item.then.push_back("COMMENT ON " + std::string(f.kind == 'p' ? "PROCEDURE " : "FUNCTION ") +
		                    function_signature(f) + " IS " + quote_literal(*f.comment));
	return item;
}

DdlItem aggregate_item(const catalog::FunctionDef &f, const core::AggregateDef &a) {
	DdlItem item{"aggregate " + object_name(f.schema, f.name) + "(" + f.identity_args + ")",
	             core::create_aggregate_sql(a),
	             {},
	             {}};
	if (a.comment)
		item.then.push_back("COMMENT ON AGGREGATE " + function_signature(f) + " IS " + quote_literal(*a.comment));
	return item;
}

int ensure_functions_for_table(libpq::Connection &src, pg::Spi &spi, const std::string &source_table_oid,
                               int &warnings) {
	auto functions = catalog::read_functions_for_tables(src, {source_table_oid});
	std::vector<DdlItem> items;
	for (const auto &f : functions) {
		if (f.kind == 'a')
			continue;
		refuse_foreign_routine(spi, f);
		if (function_exists(spi, f))
			continue;
		// Two clones needing the same routine: the second waits for the first
		// and then finds it.
		lock_target_name(f.schema, f.name);
		if (function_exists(spi, f)) {
			refuse_foreign_routine(spi, f);
			continue;
		}
		ensure_schema(spi, f.schema);
		items.push_back(function_item(f));
	}
	if (items.empty())
		return 0;
	// Bodies are not validated: the tables they read may not exist yet, as
	// pg_dump restores them.
	std::string old = set_check_function_bodies("off");
	DdlRun run = run_ddl(spi, items);
	set_check_function_bodies(old);
	warnings += run.warnings;
	return run.count();
}

} // namespace pgclone::clone
