// pgclone.verify(). C++ regime; PostgreSQL through pg::Spi and libpq only.
//
// Modes (docs/CHECKS.md):
//  fast      planner statistics (pg_class.reltuples; a partitioned table is
//            the sum of its leaf partitions). A table never analyzed or
//            vacuumed (reltuples = -1) has no estimate: it is counted.
//  exact     count(*) on both sides; the source under one REPEATABLE READ
//            snapshot (every count sees the same moment).
//  checksum  count(*) plus an order-independent digest of all rows: the sum,
//            as numeric, of the two 64-bit halves of md5(row text in UTF-8).
//            Row text is made comparable by pinning, on both sides,
//            search_path, TimeZone, DateStyle, IntervalStyle, bytea_output,
//            lc_monetary and extra_float_digits.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/query.hpp"
#include "pgclone/catalog/schema_reader.hpp"
#include "pgclone/catalog/table_plan.hpp"
#include "pgclone/clone/subset.hpp"
#include "pgclone/checks/verify.hpp"
#include "pgclone/libpq/source_session.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::checks {

namespace {

// Schemas that hold no user tables.
constexpr const char *user_schema_filter = "n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'";

// Top-level tables (partitions are counted through their root) with the
// statistics estimate; NULL estimate = no statistics, count instead.
std::string tables_sql(bool one_schema) {
	return std::string(R"sql(SELECT n.nspname, c.relname, c.relkind::text,
  CASE WHEN c.relkind = 'p' THEN
    (SELECT CASE WHEN pg_catalog.bool_and(l.reltuples >= 0)
       THEN pg_catalog.round(COALESCE(pg_catalog.sum(l.reltuples), 0))::bigint END
     FROM pg_catalog.pg_partition_tree(c.oid) pt
     JOIN pg_catalog.pg_class l ON l.oid = pt.relid WHERE pt.isleaf)
  WHEN c.reltuples >= 0 THEN pg_catalog.round(c.reltuples)::bigint END
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND )sql") +
	       (one_schema ? "n.nspname = $1 " : std::string(user_schema_filter) + " ") + "ORDER BY 1, 2";
}

struct Table {
	std::string schema, name;
	bool partitioned = false;
	std::optional<long long> estimate;
};

struct Measure {
	long long rows = 0;
	std::string digest; // checksum mode only
};

using Key = std::pair<std::string, std::string>;

std::vector<Table> list_tables(const catalog::QueryFn &q, const std::optional<std::string> &schema) {
	std::vector<Table> out;
	catalog::Params p;
	if (schema)
		p.push_back(*schema);
	for (const auto &r : q(tables_sql(schema.has_value()), p)) {
		Table t{catalog::cell(r, 0), catalog::cell(r, 1), catalog::cell(r, 2) == "p", std::nullopt};
		if (r[3])
			t.estimate = catalog::cell_int(r, 3);
		out.push_back(std::move(t));
	}
	return out;
}

// FROM ONLY for a plain table: rows of inheritance children are theirs, not
// the parent's. A partitioned table is read through its root.
std::string from_clause(const Table &t) {
	return std::string(t.partitioned ? "" : "ONLY ") + core::qualified_name(t.schema, t.name);
}

// The rows compared: all, or those of `condition` (a subset's).
std::string where_clause(const std::string *condition) {
	return condition ? " WHERE " + *condition : std::string();
}

std::string count_sql(const Table &t, const std::string *condition) {
	return "SELECT pg_catalog.count(*) FROM " + from_clause(t) + where_clause(condition);
}

// Sum of the two 64-bit halves of each row's md5, as numeric (exact, no
// overflow). A sum, unlike XOR, does not cancel out duplicate rows.
std::string checksum_sql(const Table &t, const std::string *condition) {
	const char *half =
	    "(('x' || pg_catalog.substr(h, %d, 16))::pg_catalog.bit(64)::pg_catalog.int8::pg_catalog.numeric)";
	auto part = [&](int from) {
		std::string s = half;
		s.replace(s.find("%d"), 2, std::to_string(from));
		return "COALESCE(pg_catalog.sum" + s + ", 0)::pg_catalog.text";
	};
	return "SELECT pg_catalog.count(*), " + part(1) + " || ':' || " + part(17) +
	       " FROM (SELECT pg_catalog.md5(pg_catalog.convert_to(r::pg_catalog.text, 'UTF8')) AS h FROM " +
	       from_clause(t) + " r" + where_clause(condition) + ") q";
}

Measure measure(const catalog::QueryFn &q, const Table &t, core::VerifyMode mode,
                const std::string *condition = nullptr) {
	Measure m;
	if (mode == core::VerifyMode::Fast && t.estimate) {
		m.rows = *t.estimate;
		return m;
	}
	if (mode == core::VerifyMode::Checksum) {
		auto rows = q(checksum_sql(t, condition), {});
		m.rows = catalog::cell_int(rows.at(0), 0);
		m.digest = catalog::cell(rows.at(0), 1);
		return m;
	}
	m.rows = catalog::cell_int(q(count_sql(t, condition), {}).at(0), 0);
	return m;
}

// Output settings that change a row's text, pinned on the source for the
// checksum (the target's are pinned by the SQL function's SET clause).
constexpr const char *source_output_settings =
    R"sql(SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres';
SET LOCAL bytea_output = 'hex'; SET LOCAL lc_monetary = 'C'; SET LOCAL extra_float_digits = 3)sql";

// The rows a subset clone keeps, per table verify lists (a partitioned
// table's from all its partitions): found as the clone finds them, over the
// tables the clone's "tables" / "exclude_tables" select.
std::map<Key, std::string> subset_conditions(libpq::Connection &src, const std::optional<std::string> &schema,
                                             const core::CloneOptions &o) {
	std::vector<std::string> names;
	if (schema)
		names.push_back(*schema);
	else
		for (const auto &s : catalog::read_user_schemas(src))
			names.push_back(s.name);
	std::vector<catalog::TableRef> tables = catalog::read_tables(src, names, o.tables, o.exclude_tables);
	std::vector<std::string> oids;
	for (const auto &t : tables)
		oids.push_back(t.oid);
	catalog::TablePlanScope scope;
	scope.partition_trees = false;
	catalog::TablePlan defs = catalog::read_table_plan(src, oids, scope);
	// Masks do not choose rows (the clone checked its masked keys already).
	core::CloneOptions rows_only = o;
	rows_only.masks.reset();
	clone::Subset subset = clone::find_subset(src, rows_only, tables, defs);
	std::map<Key, std::string> out;
	for (const auto &t : tables) {
		if (t.relkind == 'p')
			continue;
		const catalog::SourceTable *def = defs.find(t.oid);
		Key root = def && !def->ancestors.empty() ? Key(def->ancestors.back()) : Key{t.schema, t.name};
		std::string &cond = out[root];
		cond += (cond.empty() ? "(" : " OR (") + subset.source_rows(t.oid) + ")";
	}
	return out;
}

} // namespace

std::vector<VerifyRow> verify(const std::string &conninfo, const std::optional<std::string> &schema,
                              core::VerifyMode mode, const std::optional<core::CloneOptions> &subset) {
	libpq::Connection src = libpq::open_source(conninfo);
	catalog::QueryFn sq = catalog::source_query(src);
	if (schema && sq("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {*schema}).empty())
		throw core::Error("schema \"" + *schema + "\" does not exist on the source server",
		                  core::sqlstate::invalid_schema_name);
	if (mode == core::VerifyMode::Checksum)
		src.exec(source_output_settings);
	std::map<Key, std::string> conditions;
	if (subset)
		conditions = subset_conditions(src, schema, *subset);
	std::vector<Table> tables = list_tables(sq, schema);
	std::vector<Measure> source;
	source.reserve(tables.size());
	for (const auto &t : tables) {
		auto cond = conditions.find(Key{t.schema, t.name});
		source.push_back(measure(sq, t, mode, cond == conditions.end() ? nullptr : &cond->second));
	}
	libpq::close_source(src);

	pg::Spi spi;
	catalog::QueryFn tq = catalog::target_query(spi);
	std::map<Key, Table> on_target;
	for (auto &t : list_tables(tq, schema))
		on_target.emplace(Key{t.schema, t.name}, std::move(t));
	std::vector<VerifyRow> out;
	for (size_t i = 0; i < tables.size(); i++) {
		pg::check_for_interrupts();
		const Table &t = tables[i];
		VerifyRow row{t.schema, t.name, source[i].rows, 0, {}};
		auto it = on_target.find(Key{t.schema, t.name});
		if (it == on_target.end()) {
			row.match = core::verify_match_text(true, false);
		} else {
			Measure m = measure(tq, it->second, mode);
			row.target_rows = m.rows;
			row.match =
			    core::verify_match_text(false, m.rows == source[i].rows && m.digest == source[i].digest);
		}
		out.push_back(std::move(row));
	}
	spi.finish();
	return out;
}

} // namespace pgclone::checks
