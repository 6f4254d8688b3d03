// Source catalog reader for tables.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/json_text.hpp"
#include "pgclone/catalog/mask_columns.hpp"
#include "pgclone/catalog/table_reader.hpp"
#include "pgclone/core/error.hpp"

namespace pgclone::catalog {

namespace {

using Params = std::vector<std::optional<std::string>>;

// pg_depend-based list of the columns an object (index, trigger) uses.
// (Aliases dep_/att_ so they cannot shadow the caller's.)
constexpr const char *depended_columns =
    "(SELECT pg_catalog.to_json(pg_catalog.array_agg(att_.attname ORDER BY att_.attnum)) "
    " FROM pg_catalog.pg_depend dep_ JOIN pg_catalog.pg_attribute att_ "
    "   ON att_.attrelid = dep_.refobjid AND att_.attnum = dep_.refobjsubid "
    " WHERE dep_.classid = %CLASS%::pg_catalog.regclass AND dep_.objid = %OBJ% "
    "   AND dep_.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep_.refobjsubid > 0)::text";

std::string columns_of(const char *klass, const char *obj) {
	std::string s = depended_columns;
	s.replace(s.find("%CLASS%"), 7, klass);
	s.replace(s.find("%OBJ%"), 5, obj);
	return s;
}

// The columns a generated column is computed from. PostgreSQL 15 and later record them as
// dependencies of the column's pg_attrdef row; PostgreSQL 14 records them as dependencies of the
// column itself (pg_class, objsubid = the column), and its pg_attrdef row depends only on its
// own column.
std::string generated_from_columns(int source_version) {
	if (source_version >= 150000)
		return columns_of("'pg_catalog.pg_attrdef'", "d.oid");
	return columns_of("'pg_catalog.pg_class'", "a.attrelid AND dep_.objsubid = a.attnum");
}

void locate(libpq::Connection &src, const std::string &schema, const std::string &table, SourceTable &out) {
	auto r = src.exec_params("SELECT c.oid, c.relkind, c.relpersistence, "
	                         "pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), "
	                         "pg_catalog.obj_description(c.oid, 'pg_class'), "
	                         "CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END, " +
	                             std::string(partition_ancestors_json_sql) +
	                             " FROM pg_catalog.pg_namespace n "
	                         "LEFT JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = $2 "
	                         "  AND c.relkind IN ('r', 'p') "
	                         "WHERE n.nspname = $1",
	                         Params{schema, table});
	if (r.rows() == 0)
		throw core::Error("schema \"" + schema + "\" does not exist on the source server",
		                  core::sqlstate::invalid_schema_name);
	if (r.is_null(0, 0))
		throw core::Error("table \"" + schema + "\".\"" + table + "\" does not exist on the source server",
		                  core::sqlstate::undefined_table);
	out.oid = r.get(0, 0);
	out.relkind = r.get(0, 1)[0];
	out.def.unlogged = r.get(0, 2) == "u";
	out.table_q = r.get(0, 3);
	out.def.comment = r.get_opt(0, 4);
	out.def.partition_key = r.get_opt(0, 5);
	if (auto ancestors = r.get_opt(0, 6))
		out.ancestors = json_name_pairs(*ancestors);
}

void read_columns(libpq::Connection &src, SourceTable &out) {
	std::string sql =
	    "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
	    "  pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, "
	    "  CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation "
	    "    THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END, "
	    "  pg_catalog.col_description(a.attrelid, a.attnum), "
	    "  COALESCE(bt.typcategory, t.typcategory), "
	    "  a.atttypid < 16384 AND t.typsend <> 0 AND t.typreceive <> 0 "
	    "    AND pg_catalog.format_type(COALESCE(NULLIF(t.typelem, 0), t.oid), NULL) NOT LIKE 'reg%', "
	    "  CASE WHEN a.attgenerated <> '' THEN " +
	    generated_from_columns(src.server_version()) +
	    " END "
	    "FROM pg_catalog.pg_attribute a "
	    "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
	    "LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype "
	    "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
	    "LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation "
	    "LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace "
	    "WHERE a.attrelid = $1::pg_catalog.oid AND a.attnum > 0 AND NOT a.attisdropped "
	    "ORDER BY a.attnum";
	auto r = src.exec_params(sql, Params{out.oid});
	for (int i = 0; i < r.rows(); i++) {
		core::ColumnDef c;
		c.name = r.get(i, 0);
		c.type = r.get(i, 1);
		c.not_null = r.get_bool(i, 2);
		std::string identity = r.get(i, 4), generated = r.get(i, 5);
		c.identity = identity.empty() ? '\0' : identity[0];
		c.generated = generated.empty() ? '\0' : generated[0];
#if PG_VERSION_NUM < 180000
		// Virtual generated columns ('v') come from PostgreSQL 18+ sources; this server has only
		// stored ones, which compute the same values from the same expression.
		if (c.generated == 'v')
			c.generated = 's';
#endif
		if (c.generated != '\0')
			c.generated_expr = r.get(i, 3);
		else
			c.default_expr = r.get_opt(i, 3);
		c.collation = r.get_opt(i, 6);
		c.comment = r.get_opt(i, 7);
		c.type_category = r.get(i, 8).empty() ? 'U' : r.get(i, 8)[0];
		c.binary_copy_safe = r.get_bool(i, 9);
		if (c.generated != '\0')
			c.generated_from = json_string_array(r.get(i, 10));
		out.def.columns.push_back(std::move(c));
	}
}

void read_constraints(libpq::Connection &src, SourceTable &out) {
	auto r = src.exec_params(
	    "SELECT con.conname, con.contype, pg_catalog.pg_get_constraintdef(con.oid), "
	    "  (SELECT pg_catalog.to_json(pg_catalog.array_agg(a.attname ORDER BY a.attnum)) "
	    "   FROM pg_catalog.pg_attribute a "
	    "   WHERE a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey))::text, "
	    "  rn.nspname, rc.relname "
	    "FROM pg_catalog.pg_constraint con "
	    "LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid "
	    "LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace "
	    "WHERE con.conrelid = $1::pg_catalog.oid AND con.contype IN ('p', 'u', 'c', 'f', 'x') "
	    // A key referencing a partitioned table has a copy per partition of the
	    // referenced table on the same table: those come with the key itself.
	    "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint pcon "
	    "  WHERE pcon.oid = con.conparentid AND pcon.conrelid = con.conrelid) "
	    "ORDER BY CASE con.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'x' THEN 2 "
	    "WHEN 'c' THEN 3 ELSE 4 END, con.conname",
	    Params{out.oid});
	for (int i = 0; i < r.rows(); i++) {
		ConstraintDef c;
		c.name = r.get(i, 0);
		c.type = r.get(i, 1)[0];
		c.definition = r.get(i, 2);
		c.columns = json_string_array(r.get(i, 3));
		c.ref_schema = r.get(i, 4);
		c.ref_table = r.get(i, 5);
		out.constraints.push_back(std::move(c));
	}
}

// Indexes of relation `oid` that are not created by a constraint and not
// attached to an index of a parent (those come with the parent's index).
std::vector<IndexDef> read_indexes(libpq::Connection &src, const std::string &oid) {
	auto r = src.exec_params("SELECT ic.relname, pg_catalog.quote_ident(ic.relname), "
	                         "pg_catalog.pg_get_indexdef(i.indexrelid), " +
	                             columns_of("'pg_catalog.pg_class'", "i.indexrelid") +
	                             " FROM pg_catalog.pg_index i "
	                             "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
	                             "WHERE i.indrelid = $1::pg_catalog.oid "
	                             "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c "
	                             "  WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid "
	                             "  AND c.contype IN ('p', 'u', 'x')) "
	                             "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h "
	                             "  WHERE h.inhrelid = i.indexrelid) "
	                             "ORDER BY ic.relname",
	                         Params{oid});
	std::vector<IndexDef> out;
	for (int i = 0; i < r.rows(); i++)
		out.push_back({r.get(i, 0), r.get(i, 1), r.get(i, 2), json_string_array(r.get(i, 3))});
	return out;
}

void read_triggers(libpq::Connection &src, SourceTable &out) {
	auto r = src.exec_params("SELECT t.tgname, pg_catalog.quote_ident(t.tgname), "
	                         "pg_catalog.pg_get_triggerdef(t.oid), " +
	                             columns_of("'pg_catalog.pg_trigger'", "t.oid") +
	                             " FROM pg_catalog.pg_trigger t "
	                             "WHERE t.tgrelid = $1::pg_catalog.oid AND NOT t.tgisinternal "
	                             "ORDER BY t.tgname",
	                         Params{out.oid});
	for (int i = 0; i < r.rows(); i++)
		out.triggers.push_back({r.get(i, 0), r.get(i, 1), r.get(i, 2), json_string_array(r.get(i, 3))});
}

void read_sequences(libpq::Connection &src, SourceTable &out) {
	auto r = src.exec_params(
	    "SELECT a.attname, sn.nspname, s.relname, dep.deptype = 'i', "
	    "  pg_catalog.format_type(seq.seqtypid, NULL), seq.seqstart, seq.seqincrement, seq.seqmin, "
	    "  seq.seqmax, seq.seqcache, seq.seqcycle "
	    "FROM pg_catalog.pg_depend dep "
	    "JOIN pg_catalog.pg_class s ON s.oid = dep.objid AND s.relkind = 'S' "
	    "JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace "
	    "JOIN pg_catalog.pg_sequence seq ON seq.seqrelid = s.oid "
	    "JOIN pg_catalog.pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid "
	    "WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
	    "  AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass "
	    "  AND dep.refobjid = $1::pg_catalog.oid AND dep.deptype IN ('a', 'i') "
	    "ORDER BY a.attnum",
	    Params{out.oid});
	for (int i = 0; i < r.rows(); i++) {
		OwnedSequence s;
		s.column = r.get(i, 0);
		s.schema = r.get(i, 1);
		s.name = r.get(i, 2);
		s.identity = r.get_bool(i, 3);
		s.type = r.get(i, 4);
		s.start = r.get(i, 5);
		s.increment = r.get(i, 6);
		s.min = r.get(i, 7);
		s.max = r.get(i, 8);
		s.cache = r.get(i, 9);
		s.cycle = r.get_bool(i, 10);
		// Non-transactional: the value now, not at the snapshot; it can only
		// be ahead of the rows copied, which is the safe direction.
		auto v = src.exec("SELECT last_value, is_called FROM " + core::qualified_name(s.schema, s.name));
		s.last_value = v.get(0, 0);
		s.is_called = v.get_bool(0, 1);
		out.sequences.push_back(std::move(s));
	}
}

// Partitions in the source table's schema or elsewhere keep their own
// schema on the source; on the target they are created next to the parent.
std::vector<PartitionDef> read_partitions(libpq::Connection &src, const std::string &parent_oid) {
	auto r =
	    src.exec_params("SELECT c.oid, c.relname, pg_catalog.pg_get_expr(c.relpartbound, c.oid), "
	                    "  CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END, "
	                    "  c.relpersistence = 'u', "
	                    "  pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) "
	                    "FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid "
	                    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	                    "WHERE i.inhparent = $1::pg_catalog.oid AND c.relkind IN ('r', 'p') "
	                    "ORDER BY c.relname",
	                    Params{parent_oid});
	std::vector<PartitionDef> out;
	for (int i = 0; i < r.rows(); i++) {
		PartitionDef p;
		p.name = r.get(i, 1);
		p.bound = r.get(i, 2);
		p.partition_key = r.get_opt(i, 3);
		p.unlogged = r.get_bool(i, 4);
		p.table_q = r.get(i, 5);
		p.local_indexes = read_indexes(src, r.get(i, 0));
		if (p.partition_key)
			p.children = read_partitions(src, r.get(i, 0));
		out.push_back(std::move(p));
	}
	return out;
}

} // namespace

SourceTable read_table(libpq::Connection &src, const std::string &schema, const std::string &table) {
	SourceTable out;
	out.def.schema = schema;
	out.def.name = table;
	locate(src, schema, table, out);
	read_columns(src, out);
	read_constraints(src, out);
	out.indexes = read_indexes(src, out.oid);
	read_sequences(src, out);
	read_triggers(src, out);
	if (out.relkind == 'p')
		out.partitions = read_partitions(src, out.oid);
	return out;
}

std::string sequence_options_sql(const OwnedSequence &s) {
	return "AS " + s.type + " INCREMENT BY " + s.increment + " MINVALUE " + s.min + " MAXVALUE " + s.max +
	       " START WITH " + s.start + " CACHE " + s.cache + (s.cycle ? " CYCLE" : " NO CYCLE");
}

} // namespace pgclone::catalog
