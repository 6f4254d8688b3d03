// Dependents of a replaced relation: read before the DROP ... CASCADE,
// created again after the replacement (include/pgclone/clone/dependents.hpp).
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/json_text.hpp"
#include "pgclone/clone/dependents.hpp"
#include "pgclone/clone/target_schema.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/text.hpp"
#include "pgclone/pg/guard.hpp"

namespace pgclone::clone {

namespace {

// (pg_partition_tree() lists nothing for a relation that is not
// partitioned: the relation itself comes first.)
// The views and materialized views that read the relation or one of its
// partitions, directly or through other views, shallowest first. Every
// statement is written by the server itself (format, regclass, %I, %L).
constexpr const char *views_sql = R"SQL(
WITH RECURSIVE rel AS (
    SELECT $1::pg_catalog.regclass::pg_catalog.oid AS oid
    UNION SELECT t.relid::pg_catalog.oid FROM pg_catalog.pg_partition_tree($1::pg_catalog.regclass) t
), views(oid, depth) AS (
    SELECT r.ev_class, 1
    FROM pg_catalog.pg_depend d
    JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
    WHERE d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass::pg_catalog.oid
      AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
      AND d.refobjid IN (SELECT oid FROM rel) AND r.ev_class NOT IN (SELECT oid FROM rel)
    UNION
    SELECT r.ev_class, v.depth + 1
    FROM views v
    JOIN pg_catalog.pg_depend d ON d.refobjid = v.oid
     AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
     AND d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass::pg_catalog.oid
    JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
    WHERE r.ev_class <> v.oid AND v.depth < 64
)
SELECT n.nspname, c.relname, c.relkind,
       pg_catalog.format('CREATE %s %s%s AS %s',
           CASE c.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END, c.oid::pg_catalog.regclass,
           CASE WHEN c.reloptions IS NULL THEN ''
                ELSE ' WITH (' || pg_catalog.array_to_string(c.reloptions, ', ') || ')' END,
           pg_catalog.rtrim(pg_catalog.pg_get_viewdef(c.oid), '; ' || pg_catalog.chr(10)))
       || CASE WHEN c.relkind = 'm' AND NOT c.relispopulated THEN ' WITH NO DATA' ELSE '' END,
       pg_catalog.to_json(ARRAY(
           SELECT pg_catalog.pg_get_indexdef(i.indexrelid) FROM pg_catalog.pg_index i
           WHERE i.indrelid = c.oid ORDER BY i.indexrelid)),
       pg_catalog.to_json(ARRAY(
           SELECT pg_catalog.format('COMMENT ON %s %s IS %L',
                      CASE c.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END,
                      c.oid::pg_catalog.regclass, ds.description)
           FROM pg_catalog.pg_description ds
           WHERE ds.objoid = c.oid AND ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
             AND ds.objsubid = 0
           UNION ALL
           SELECT pg_catalog.format('ALTER %s %s OWNER TO %I',
                      CASE c.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END,
                      c.oid::pg_catalog.regclass, pg_catalog.pg_get_userbyid(c.relowner))
           WHERE c.relowner <> (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER)
           UNION ALL
           SELECT pg_catalog.format('GRANT %s ON %s TO %s%s', a.privilege_type, c.oid::pg_catalog.regclass,
                      CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                           ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END,
                      CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
           FROM pg_catalog.aclexplode(c.relacl) a WHERE a.grantee <> c.relowner))
FROM (SELECT oid, pg_catalog.max(depth) AS depth FROM views GROUP BY oid) v
JOIN pg_catalog.pg_class c ON c.oid = v.oid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
ORDER BY v.depth, c.oid
)SQL";

// Foreign keys of other tables that reference the relation (a partitioned
// table's key once, not its partitions' copies).
constexpr const char *foreign_keys_sql = R"SQL(
WITH rel AS (
    SELECT $1::pg_catalog.regclass::pg_catalog.oid AS oid
    UNION SELECT t.relid::pg_catalog.oid FROM pg_catalog.pg_partition_tree($1::pg_catalog.regclass) t
)
SELECT n.nspname, c.relname, con.conname, con.conrelid,
       pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I %s', con.conrelid::pg_catalog.regclass,
                         con.conname, pg_catalog.pg_get_constraintdef(con.oid))
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype = 'f' AND con.conparentid OPERATOR(pg_catalog.=) 0
  AND con.confrelid IN (SELECT oid FROM rel) AND con.conrelid NOT IN (SELECT oid FROM rel)
ORDER BY n.nspname, c.relname, con.conname
)SQL";

// Everything else with a normal dependency on the relation, its partitions
// or its row type: the CASCADE drops it and nothing here recreates it.
constexpr const char *lost_sql = R"SQL(
WITH rel AS (
    SELECT $1::pg_catalog.regclass::pg_catalog.oid AS oid
    UNION SELECT t.relid::pg_catalog.oid FROM pg_catalog.pg_partition_tree($1::pg_catalog.regclass) t
)
SELECT DISTINCT pg_catalog.pg_describe_object(d.classid, d.objid, 0)
FROM pg_catalog.pg_depend d
WHERE d.deptype = 'n'
  AND ((d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid AND d.refobjid IN (SELECT oid FROM rel))
    OR (d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid
        AND d.refobjid IN (SELECT c.reltype FROM pg_catalog.pg_class c WHERE c.oid IN (SELECT oid FROM rel))))
  AND d.classid <> 'pg_catalog.pg_rewrite'::pg_catalog.regclass::pg_catalog.oid
  AND NOT (d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid AND d.objid IN (SELECT oid FROM rel))
  AND NOT (d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass::pg_catalog.oid AND EXISTS (
      SELECT 1 FROM pg_catalog.pg_constraint con
      WHERE con.oid = d.objid AND (con.contype = 'f' OR con.conrelid IN (SELECT oid FROM rel))))
ORDER BY 1
)SQL";

const char *kind_word(char kind) {
	return kind == 'm' ? "materialized view " : kind == 'v' ? "view " : "foreign key ";
}

std::string describe(const DependentObject &o) {
	if (o.kind == 'f')
		return "foreign key \"" + o.constraint_name + "\" on " + core::display_name(o.schema, o.name);
	return kind_word(o.kind) + core::display_name(o.schema, o.name);
}

std::string list_of(const Dependents &d) {
	std::string out;
	for (const auto &r : d.replaced)
		out += (out.empty() ? "" : ", ") + r;
	return out;
}

// Whether it is still to be created: a view of that name that exists now
// was created by the clone; a foreign key is put back on the table it was
// on, unless that table was itself replaced or already has it.
bool still_missing(pg::Spi &spi, const DependentObject &o) {
	const std::string q = core::qualified_name(o.schema, o.name);
	auto oid = spi.query_value("SELECT pg_catalog.to_regclass($1)::pg_catalog.oid::pg_catalog.text", {q});
	if (o.kind != 'f')
		return !oid;
	if (!oid || *oid != o.table_oid)
		return false;
	return !spi.query_value(R"sql(SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = $1::pg_catalog.oid AND conname = $2)sql",
	                        {o.table_oid, o.constraint_name});
}

} // namespace

void Dependents::add(Dependents other) {
	for (auto &o : other.objects)
		objects.push_back(std::move(o));
	for (auto &l : other.lost)
		lost.push_back(std::move(l));
	for (auto &r : other.replaced)
		replaced.push_back(std::move(r));
}

std::vector<std::string> Dependents::names() const {
	std::vector<std::string> out;
	for (const auto &o : objects)
		out.push_back(describe(o));
	for (const auto &l : lost)
		out.push_back(l + " (not recreated)");
	return out;
}

Dependents read_dependents(pg::Spi &spi, const std::string &schema, const std::string &name) {
	Dependents d;
	d.replaced.push_back(core::display_name(schema, name));
	const std::string q = core::qualified_name(schema, name);
	// pg_catalog alone: every name in the definitions comes back qualified.
	with_search_path("pg_catalog", [&] {
		for (const auto &row : spi.query(views_sql, {q})) {
			DependentObject o;
			o.schema = *row[0];
			o.name = *row[1];
			o.kind = (*row[2])[0];
			o.item.create = *row[3];
			o.item.then = catalog::json_string_array(row[4].value_or(""));
			for (auto &s : catalog::json_string_array(row[5].value_or("")))
				o.item.then.push_back(std::move(s));
			d.objects.push_back(std::move(o));
		}
		for (const auto &row : spi.query(foreign_keys_sql, {q})) {
			DependentObject o;
			o.kind = 'f';
			o.schema = *row[0];
			o.name = *row[1];
			o.constraint_name = *row[2];
			o.table_oid = *row[3];
			o.item.create = *row[4];
			d.objects.push_back(std::move(o));
		}
		for (const auto &row : spi.query(lost_sql, {q}))
			d.lost.push_back(*row[0]);
	});
	for (auto &o : d.objects)
		o.item.what = describe(o) + " (dropped by the replace of " + d.replaced.front() + ")";
	return d;
}

int recreate_dependents(pg::Spi &spi, const Dependents &d) {
	int warnings = 0;
	for (const auto &l : d.lost) {
		warnings++;
		pg::warning("pgclone: the replace of " + list_of(d) + " dropped " + l,
		            "DROP ... CASCADE removed it with the replaced relation; pgclone cannot create it again.",
		            "Create it again by hand.");
	}
	std::vector<DdlItem> items;
	std::vector<const DependentObject *> which;
	for (const auto &o : d.objects) {
		if (!still_missing(spi, o))
			continue;
		items.push_back(o.item);
		which.push_back(&o);
	}
	if (items.empty())
		return warnings;
	DdlRun run = run_ddl(spi, items);
	warnings += run.warnings;
	std::string names;
	for (std::size_t i = 0; i < items.size(); i++)
		if (run.created[i])
			names += (names.empty() ? "" : ", ") + describe(*which[i]);
	if (!names.empty())
		pg::notice("pgclone: recreated " + core::plural(run.count(), "object", "objects") +
		               " that the replace of " + list_of(d) + " dropped",
		           names);
	return warnings;
}

} // namespace pgclone::clone
