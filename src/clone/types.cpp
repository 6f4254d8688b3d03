// Creating user-defined types on the target.
#include <map>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/ddl_runner.hpp"
#include "pgclone/clone/target.hpp"
#include "pgclone/clone/types.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/rewrite.hpp"
#include "pgclone/core/schema_plan.hpp"
#include "pgclone/pg/guard.hpp"

namespace pgclone::clone {

bool type_exists(pg::Spi &spi, const std::string &schema, const std::string &name) {
	return spi
	    .query_value(
	        R"sql(SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = $1 AND t.typname = $2)sql",
	        {schema, name})
	    .has_value();
}

namespace {

const char *kind_word(char kind) {
	switch (kind) {
	case 'd':
		return "domain";
	case 'c':
		return "composite type";
	case 'r':
		return "range type";
	default:
		return "enum type";
	}
}

// Enums first (nothing inside them), then domains, ranges and composites,
// each after the types it is built from.
int kind_rank(char kind) {
	switch (kind) {
	case 'e':
		return 0;
	case 'd':
		return 1;
	case 'r':
		return 2;
	default:
		return 3;
	}
}

} // namespace

std::vector<DdlItem> type_ddl_items(pg::Spi &spi, const std::vector<catalog::TypeDef> &types, int &warnings,
                                    std::size_t *kept) {
	std::vector<const catalog::TypeDef *> pending;
	for (const auto &t : types) {
		// Two clones needing a missing type: the second waits for the first
		// and then finds it (a type that exists takes no lock).
		bool exists = type_exists(spi, t.schema, t.name);
		if (!exists) {
			lock_target_name(t.schema, t.name);
			exists = type_exists(spi, t.schema, t.name);
		}
		if (exists) {
			if (kept)
				++*kept;
			continue;
		}
		if (!t.extension.empty()) {
			warnings++;
			pg::warning(
			    "pgclone: skipped " + std::string(kind_word(t.kind)) + " " + object_name(t.schema, t.name),
			    "It belongs to extension \"" + t.extension + "\", which is not installed on the target.",
			    "Run CREATE EXTENSION " + core::quote_ident(t.extension) + " on the target first.");
			continue;
		}
		pending.push_back(&t);
	}
	if (pending.empty())
		return {};

	std::map<std::string, std::size_t> index;
	for (std::size_t i = 0; i < pending.size(); i++)
		index[pending[i]->oid] = i;
	std::vector<core::OrderNode> nodes(pending.size());
	for (std::size_t i = 0; i < pending.size(); i++) {
		nodes[i].rank = kind_rank(pending[i]->kind);
		for (const auto &d : pending[i]->deps) {
			auto it = index.find(d);
			if (it != index.end())
				nodes[i].deps.push_back(it->second);
		}
	}
	std::vector<DdlItem> items;
	for (std::size_t i : core::dependency_order(nodes)) {
		const auto &t = *pending[i];
		ensure_schema(spi, t.schema);
		DdlItem item{
		    std::string(kind_word(t.kind)) + " " + object_name(t.schema, t.name), t.create_sql, {}, {}};
		if (t.comment)
			item.then.push_back(std::string(t.kind == 'd' ? "COMMENT ON DOMAIN " : "COMMENT ON TYPE ") +
			                    core::qualified_name(t.schema, t.name) + " IS " +
			                    core::quote_literal(*t.comment));
		items.push_back(std::move(item));
	}
	return items;
}

int ensure_types(pg::Spi &spi, const std::vector<catalog::TypeDef> &types, int &warnings) {
	std::vector<DdlItem> items = type_ddl_items(spi, types, warnings);
	if (items.empty())
		return 0;
	DdlRun run = run_ddl(spi, items);
	warnings += run.warnings;
	return run.count();
}

void move_types(std::vector<catalog::TypeDef> &types, const SchemaMove &move, int &warnings) {
	if (!move.active())
		return;
	std::vector<catalog::TypeDef> kept;
	for (auto &t : types) {
		if (t.schema == move.from) {
			// The reader qualifies the created type with core::qualified_name.
			auto sql = core::retarget_created_schema(t.create_sql, core::quote_ident(move.from),
			                                         core::quote_ident(move.to));
			if (!sql) {
				warnings++;
				pg::warning("pgclone: skipped " + std::string(kind_word(t.kind)) + " " +
				                object_name(t.schema, t.name),
				            "Its definition has an unexpected form: " + t.create_sql);
				continue;
			}
			// A range's multirange of the source schema moves with it: the
			// reader wrote its full name last.
			if (t.kind == 'r' && t.multirange.schema == move.from) {
				const std::string from_name = core::qualified_name(move.from, t.multirange.name) + ")";
				if (sql->size() < from_name.size() ||
				    sql->compare(sql->size() - from_name.size(), from_name.size(), from_name) != 0)
					throw core::Error("the range type " + object_name(t.schema, t.name) +
					                      " does not end with its multirange as the reader wrote it",
					                  core::sqlstate::internal_error);
				sql->replace(sql->size() - from_name.size(), from_name.size(),
				             core::qualified_name(move.to, t.multirange.name) + ")");
				t.multirange.schema = move.to;
			}
			t.schema = move.to;
			t.create_sql = *sql;
		}
		kept.push_back(std::move(t));
	}
	types = std::move(kept);
}

} // namespace pgclone::clone
