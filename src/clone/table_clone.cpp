// Cloning one table.
#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/sequence_positions.hpp"
#include "pgclone/catalog/size_estimate.hpp"
#include "pgclone/catalog/table_plan.hpp"
#include "pgclone/catalog/table_reader.hpp"
#include "pgclone/clone/row_filter.hpp"
#include "pgclone/libpq/source_session.hpp"
#include "pgclone/clone/functions.hpp"
#include "pgclone/clone/privileges.hpp"
#include "pgclone/clone/run_as.hpp"
#include "pgclone/clone/table_clone.hpp"
#include "pgclone/clone/table_settings.hpp"
#include "pgclone/clone/target.hpp"
#include "pgclone/clone/target_schema.hpp"
#include "pgclone/clone/text_objects.hpp"
#include "pgclone/clone/types.hpp"
#include "pgclone/copy/copy_in.hpp"
#include "pgclone/core/chunks.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/mask_compiler.hpp"
#include "pgclone/core/rewrite.hpp"
#include "pgclone/core/row_filter.hpp"
#include "pgclone/core/schema_plan.hpp"
#include "pgclone/core/text.hpp"
#include "pgclone/copy/source_masks.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/settings.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

namespace {

using core::qualified_name;
using core::quote_ident;
using core::quote_literal;

// Everything one clone of one table needs to know, computed before any
// change is made on the target.
struct Plan {
	catalog::SourceTable src;
	SchemaMove move;      // option "target_schema"
	std::string source_name_q; // the table's name as the source quotes it (a move only)
	std::vector<catalog::TypeDef> types; // user-defined types the columns need
	std::string schema;   // target schema
	std::string target;   // target table name
	std::string target_q; // "schema"."target"
	std::vector<std::string> copy_columns;
	// Partitions as created on the target: (source definition, target "schema"."name").
	std::vector<std::pair<const catalog::PartitionDef *, std::string>> partitions;
	std::map<std::string, std::string> masks; // column -> mask expression, run on the source
	bool inherited_at_creation = false; // created with INHERITS (TableRequest::inherit_at_creation)
};

std::string join_names(const std::vector<std::string> &names) {
	std::string out;
	for (const auto &n : names)
		out += (out.empty() ? "" : ", ") + quote_ident(n);
	return out;
}

bool uses_only(const std::vector<std::string> &used, const std::set<std::string> &kept) {
	return std::all_of(used.begin(), used.end(), [&](const std::string &c) { return kept.count(c) > 0; });
}

// Applies the `columns` option: keeps those columns in the given order and
// drops every constraint, index, trigger and sequence that needs another.
void apply_column_subset(Plan &p, const std::vector<std::string> &wanted) {
	std::vector<core::ColumnDef> cols;
	for (const auto &name : wanted) {
		auto it = std::find_if(p.src.def.columns.begin(), p.src.def.columns.end(),
		                       [&](const core::ColumnDef &c) { return c.name == name; });
		if (it == p.src.def.columns.end())
			throw core::Error("column \"" + name + "\" does not exist in table \"" + p.src.def.schema +
			                      "\".\"" + p.src.def.name + "\" on the source server",
			                  core::sqlstate::undefined_column, "The \"columns\" option names it.");
		cols.push_back(*it);
	}
	std::set<std::string> kept(wanted.begin(), wanted.end());
	for (const auto &c : cols)
		if (c.generated != '\0' && !uses_only(c.generated_from, kept))
			throw core::Error("generated column \"" + c.name +
			                      "\" cannot be cloned without the columns it is computed from",
			                  core::sqlstate::invalid_parameter_value,
			                  "It is computed from: " + join_names(c.generated_from) + ".",
			                  "Add those columns to the \"columns\" option, or leave \"" + c.name +
			                      "\" out.");
	p.src.def.columns = cols;
	auto drop_if = [&](auto &vec) {
		vec.erase(std::remove_if(vec.begin(), vec.end(),
		                         [&](const auto &o) { return !uses_only(o.columns, kept); }),
		          vec.end());
	};
	drop_if(p.src.constraints);
	drop_if(p.src.indexes);
	drop_if(p.src.triggers);
	p.src.sequences.erase(
	    std::remove_if(p.src.sequences.begin(), p.src.sequences.end(),
	                   [&](const catalog::OwnedSequence &s) { return !kept.count(s.column); }),
	    p.src.sequences.end());
}

// conflict = "rename": move the existing table and the relations named
// after it (its indexes, its owned sequences) out of the way.
void rename_existing(pg::Spi &spi, const std::string &schema, const std::string &table) {
	auto owned = spi.query(
	    R"sql(SELECT r.relname, r.relkind FROM pg_catalog.pg_class t
JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
JOIN pg_catalog.pg_index i ON i.indrelid = t.oid JOIN pg_catalog.pg_class r ON r.oid = i.indexrelid
WHERE n.nspname = $1 AND t.relname = $2
UNION ALL
SELECT r.relname, r.relkind FROM pg_catalog.pg_class t
JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
JOIN pg_catalog.pg_depend d ON d.refobjid = t.oid AND d.refclassid = 'pg_catalog.pg_class'::regclass
  AND d.classid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')
JOIN pg_catalog.pg_class r ON r.oid = d.objid AND r.relkind = 'S'
WHERE n.nspname = $1 AND t.relname = $2
UNION ALL
SELECT r.relname, r.relkind FROM pg_catalog.pg_class t
JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
CROSS JOIN LATERAL pg_catalog.pg_partition_tree(t.oid) pt
JOIN pg_catalog.pg_class r ON r.oid = pt.relid
WHERE n.nspname = $1 AND t.relname = $2 AND t.relkind = 'p' AND pt.level > 0
  AND r.relnamespace = t.relnamespace)sql",
	    {schema, table});
	std::string old_name = free_relation_name(schema, table + "_old");
	spi.exec("ALTER TABLE " + qualified_name(schema, table) + " RENAME TO " + quote_ident(old_name));
	// Foreign keys follow the table they reference, whatever its name: say
	// which ones now point at the renamed table, not at the clone.
	auto keys = spi.query(R"SQL(
SELECT pg_catalog.format('%s on %s', pg_catalog.quote_ident(con.conname), con.conrelid::pg_catalog.regclass)
FROM pg_catalog.pg_constraint con
WHERE con.contype = 'f' AND con.conparentid OPERATOR(pg_catalog.=) 0 AND con.conrelid <> con.confrelid
  AND con.confrelid = pg_catalog.to_regclass($1)::pg_catalog.oid
ORDER BY 1
)SQL",
	                      {qualified_name(schema, old_name)});
	if (!keys.empty()) {
		std::string list;
		for (const auto &row : keys)
			list += (list.empty() ? "" : ", ") + *row[0];
		pg::notice("pgclone: " + core::plural(keys.size(), "foreign key", "foreign keys") + " now " +
		               (keys.size() == 1 ? "references" : "reference") + " the renamed table " +
		               core::display_name(schema, old_name) + ", not the clone",
		           list);
	}
	for (const auto &row : owned) {
		const std::string &rel = *row[0];
		std::string to = free_relation_name(schema, rel + "_old");
		const std::string &k = *row[1];
		const char *kind = k == "S" ? "SEQUENCE " : (k == "r" || k == "p") ? "TABLE " : "INDEX ";
		spi.exec(std::string("ALTER ") + kind + qualified_name(schema, rel) + " RENAME TO " +
		         quote_ident(to));
	}
}

// Returns false when the table was skipped.
bool resolve_conflict(pg::Spi &spi, const Plan &p, core::ConflictStrategy strategy, Dependents &dropped) {
	return make_room_for_table(spi, p.schema, p.target, strategy, &dropped);
}

// The name an owned sequence gets for the target table (a free one is
// taken if it is used).
std::string sequence_base_name(const Plan &p, const catalog::OwnedSequence &s) {
	std::string base = core::derive_name(s.name, p.src.def.name, p.target);
	if (base == p.target) // clipped onto the table's own name: the table is created later
		base = core::clip_identifier(base, core::max_identifier_bytes - 4) + "_seq";
	return base;
}

// Creates serial sequences (before the table: defaults point at them) and
// names identity sequences; fixes column defaults to the target names.
// Returns (sequence qualified name, source sequence) pairs to set later.
std::vector<std::pair<std::string, const catalog::OwnedSequence *>> prepare_sequences(pg::Spi &spi, Plan &p) {
	std::vector<std::pair<std::string, const catalog::OwnedSequence *>> out;
	for (const auto &s : p.src.sequences) {
		std::string name = free_relation_name(p.schema, sequence_base_name(p, s));
		std::string q = qualified_name(p.schema, name);
		auto col = std::find_if(p.src.def.columns.begin(), p.src.def.columns.end(),
		                        [&](const core::ColumnDef &c) { return c.name == s.column; });
		if (col == p.src.def.columns.end())
			continue;
		if (s.identity) {
			std::string opts = catalog::sequence_options_sql(s);
			opts = opts.substr(opts.find(" INCREMENT BY ") + 1); // identity takes the column's type
			col->identity_options = "SEQUENCE NAME " + q + " " + opts;
		} else {
			spi.exec_one("CREATE SEQUENCE " + q + " " + catalog::sequence_options_sql(s));
			col->default_expr = "nextval(" + quote_literal(q) + "::regclass)";
		}
		out.emplace_back(q, &s);
	}
	return out;
}

void add_comments(std::vector<std::string> &out, const Plan &p) {
	if (p.src.def.comment)
		out.push_back("COMMENT ON TABLE " + p.target_q + " IS " + quote_literal(*p.src.def.comment));
	for (const auto &c : p.src.def.columns)
		if (c.comment)
			out.push_back("COMMENT ON COLUMN " + p.target_q + "." + quote_ident(c.name) + " IS " +
			              quote_literal(*c.comment));
}

// Creates the partitions of a partitioned table, recursively, next to it.
void create_partitions(pg::Spi &spi, Plan &p, const std::string &parent_q,
                       const std::vector<catalog::PartitionDef> &parts) {
	for (const auto &part : parts) {
		std::string name =
		    free_relation_name(p.schema, core::derive_name(part.name, p.src.def.name, p.target));
		std::string q = qualified_name(p.schema, name);
		std::string sql = std::string(part.unlogged ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ") + q +
		                  " PARTITION OF " + parent_q + " " + part.bound;
		if (part.partition_key)
			sql += " PARTITION BY " + *part.partition_key;
		if (auto ts = target_tablespace(spi, part.tablespace, core::display_name(p.schema, name)))
			sql += " TABLESPACE " + quote_ident(*ts);
		spi.exec_one(sql);
		p.partitions.emplace_back(&part, name);
		create_partitions(spi, p, q, part.children);
	}
}

// Runs f with default_tablespace set to the tablespace (when there is one)
// and put back after: pg_get_indexdef and pg_get_constraintdef name none,
// so an index (or a constraint's index) is created in place, as pg_restore
// does, instead of being moved once it is built.
void in_tablespace(pg::Spi &spi, const std::optional<std::string> &tablespace, const std::string &what,
                   const std::function<void()> &f) {
	const auto where = target_tablespace(spi, tablespace, what);
	if (!where) {
		f();
		return;
	}
	pg::with_local("default_tablespace", *where, f);
}

// A foreign key of a table onto itself must point at the new table.
std::string retarget_self_reference(const catalog::ConstraintDef &c, const Plan &p) {
	if (c.type != 'f' || c.ref_schema != p.src.def.schema || c.ref_table != p.src.def.name ||
	    p.target == p.src.def.name)
		return c.definition;
	std::string def = c.definition;
	// Moved to another schema, the source printed the name unqualified.
	std::string needle = "REFERENCES " + (p.move.active() ? p.source_name_q : p.src.table_q) + "(";
	size_t at = def.find(needle);
	if (at != std::string::npos)
		def.replace(at, needle.size(), "REFERENCES " + p.target_q + "(");
	return def;
}

// Binary COPY when every copied column has a built-in type and both servers
// are the same major version (binary formats are only promised there).
copy::CopyFormat choose_format(const libpq::Connection &src, const Plan &p) {
	if (!p.masks.empty() || src.server_version() / 10000 != PG_VERSION_NUM / 10000)
		return copy::CopyFormat::Text;
	for (const auto &c : p.src.def.columns)
		if (c.generated == '\0' && !c.binary_copy_safe)
			return copy::CopyFormat::Text;
	return copy::CopyFormat::Binary;
}

// The condition on the source rows of this copy: the table clone's
// "where", or the rows a subset clone keeps of this table.
const std::string *row_condition(const TableRequest &req) {
	if (req.options.where)
		return &*req.options.where;
	return req.kept_rows ? &*req.kept_rows : nullptr;
}

// The copy's rows are chosen by the caller's SQL (row_condition) under a
// schema move: that SQL is sent outside the moved schema
// (outside_source_schema), with its check, its masks and its COPY.
bool callers_sql_under_move(const TableRequest &req, const Plan &p) {
	return p.move.active() && row_condition(req) != nullptr;
}

// The condition of this copy's rows, if any: row_condition, and a
// chunk's pages before it.
std::optional<std::string> copy_condition(const TableRequest &req) {
	const std::string *filter = row_condition(req);
	if (req.stage == TableStage::rows)
		return core::chunk_condition(req.pages, filter);
	if (filter)
		return *filter;
	return std::nullopt;
}

std::string source_copy_sql(const Plan &p, const std::string *condition, copy::CopyFormat format) {
	std::string with = format == copy::CopyFormat::Binary ? " TO STDOUT (FORMAT binary)" : " TO STDOUT";
	std::string cols;
	for (const auto &c : p.copy_columns)
		cols += (cols.empty() ? "" : ", ") + quote_ident(c);
	std::string from = qualified_name(p.src.def.schema, p.src.def.name);
	// COPY table TO is the fast path; a filter, a mask or a partitioned
	// table needs the query form (it reads the partitions through the parent).
	if (!condition && p.src.relkind == 'r' && p.masks.empty())
		return "COPY " + from + " (" + cols + ")" + with;
	// The query form reads a partitioned table's partitions through it, but
	// a plain table's own rows only (ONLY): its inheritance children are
	// tables of their own, as they are for COPY table TO.
	const std::string rows_from = p.src.relkind == 'p' ? from : "ONLY " + from;
	const std::string select_list = core::masked_select_list(p.copy_columns, p.masks);
	if (condition)
		return "COPY (" + core::filtered_rows_query(select_list, rows_from, *condition) + ")" + with;
	return "COPY (SELECT " + select_list + " FROM " + rows_from + ")" + with;
}

void warn_skipped(TableOutcome &out, const std::string &what, const std::string &why) {
	out.warnings++;
	pg::warning("pgclone: skipped " + what + " on " + out.display, why);
}

// The statement that creates foreign key c (deferred by schema clones).
DeferredStatement foreign_key_statement(const Plan &p, const catalog::ConstraintDef &c,
                                        const std::string &display) {
	return {"foreign key \"" + c.name + "\" on " + display, "ALTER TABLE " + p.target_q + " ADD CONSTRAINT " +
	                                                            quote_ident(c.name) + " " +
	                                                            retarget_self_reference(c, p)};
}

// TableRequest::defer_partitioned_indexes: a partitioned table's indexes
// and index-backed constraints wait for its partitions, unless one of them
// has a tablespace of its own (created in place through default_tablespace,
// which only the table clone sets: then all are created here, as before).
bool defers_indexes(const Plan &p, const TableRequest &req) {
	if (!req.defer_partitioned_indexes || p.src.relkind != 'p')
		return false;
	for (const auto &c : p.src.constraints)
		if (c.tablespace)
			return false;
	for (const auto &ix : p.src.indexes)
		if (ix.tablespace)
			return false;
	return true;
}

// The partitions created with the table (p.partitions, parents before their
// children), each with its target name: for what they hold attached to
// their parent's (created before the table's own, which adopt it), the
// deepest first, so that each level adopts the one below; otherwise in
// order.
void for_each_partition(const Plan &p, bool attached,
                        const std::function<void(const catalog::PartitionDef &, const std::string &)> &f) {
	if (attached)
		for (auto it = p.partitions.rbegin(); it != p.partitions.rend(); ++it)
			f(*it->first, it->second);
	else
		for (const auto &[part, target] : p.partitions)
			f(*part, target);
}

// The primary keys, unique and exclusion constraints of those partitions:
// attached ones before the table's own (ConstraintDef::attached), the
// others after. A violation fails the clone, as for the table's own.
void create_partition_keys(pg::Spi &spi, const Plan &p, const TableRequest &req, bool attached) {
	for_each_partition(p, attached, [&](const catalog::PartitionDef &part, const std::string &target) {
		for (const auto &c : part.key_constraints) {
			if (c.attached != attached || (c.type != 'p' && !req.options.constraints))
				continue;
			std::string name = free_relation_name(p.schema, core::derive_name(c.name, part.name, target));
			std::string sql = "ALTER TABLE " + qualified_name(p.schema, target) + " ADD CONSTRAINT " +
			                  quote_ident(name) + " " + c.definition;
			in_tablespace(spi, c.tablespace, "constraint \"" + name + "\"", [&] { spi.exec_one(sql); });
		}
	});
}

void create_constraints(pg::Spi &spi, const Plan &p, const TableRequest &req, TableOutcome &out) {
	create_partition_keys(spi, p, req, true);
	for (const auto &c : p.src.constraints) {
		// INHERITS brought the parents' checks.
		if (c.inherited_only && p.inherited_at_creation)
			continue;
		bool index_backed = c.type == 'p' || c.type == 'u' || c.type == 'x';
		if (c.type != 'p' && !req.options.constraints)
			continue;
		if (c.type == 'f' && req.defer_foreign_keys) {
			out.foreign_keys.push_back(foreign_key_statement(p, c, out.display));
			continue;
		}
		std::string name = c.name;
		if (index_backed)
			name = free_relation_name(p.schema, core::derive_name(c.name, p.src.def.name, p.target));
		std::string sql = "ALTER TABLE " + p.target_q + " ADD CONSTRAINT " + quote_ident(name) + " " +
		                  retarget_self_reference(c, p);
		std::string what = std::string(c.type == 'f' ? "foreign key" : "constraint") + " \"" + name + "\"";
		if (c.type == 'f') {
			bool self = c.ref_schema == p.src.def.schema && c.ref_table == p.src.def.name;
			const std::string &ref_schema = p.move.map(c.ref_schema);
			if (!self && !relation_exists(ref_schema, c.ref_table)) {
				warn_skipped(
				    out, what,
				    "The referenced table \"" + ref_schema + "\".\"" + c.ref_table +
				        "\" does not exist on the target. Clone it first, then clone this table again with {\"conflict\": \"replace\"}.");
				continue;
			}
		}
		if (index_backed && out.indexes_deferred) {
			out.partitioned_indexes.push_back({what + " on " + out.display, sql, true});
			continue;
		}
		if (index_backed) {
			// a violation here is a data error: the clone fails
			in_tablespace(spi, c.tablespace, what, [&] { spi.exec_one(sql); });
			continue;
		}
		if (auto err = spi.exec_in_subtransaction(sql, true))
			warn_skipped(out, what, *err);
	}
	create_partition_keys(spi, p, req, false);
}

// One index of the source table (or of one of its partitions) on its
// counterpart on the target.
void create_index(pg::Spi &spi, const Plan &p, const catalog::IndexDef &ix, const std::string &source_table,
                  const std::string &source_table_q, const std::string &target, bool cascade, bool same_major,
                  TableOutcome &out, bool defer = false) {
	std::string name = free_relation_name(p.schema, core::derive_name(ix.name, source_table, target));
	auto sql = core::rewrite_index_def(ix.definition, ix.name_q, source_table_q, quote_ident(name),
	                                   qualified_name(p.schema, target), cascade);
	if (!sql) {
		warn_skipped(out, "index \"" + ix.name + "\"",
		             "Its definition has an unexpected form: " + ix.definition);
		return;
	}
	if (defer) { // a partitioned table's index, created after its partitions (no tablespace: defers_indexes)
		out.partitioned_indexes.push_back(
		    {"index \"" + name + "\" on " + out.display, *sql, ix.core_only && same_major});
		return;
	}
	in_tablespace(spi, ix.tablespace, "index \"" + name + "\"", [&] {
		// An index of core objects only, in the default tablespace, cannot
		// fail on a target of the source's major version: no subtransaction
		// (whose commit walks every file and relation the clone created so
		// far), and a failure would be an error.
		if (ix.core_only && same_major && !ix.tablespace) {
			spi.exec_one(*sql);
			return;
		}
		if (auto err = spi.exec_in_subtransaction(*sql, true))
			warn_skipped(out, "index \"" + name + "\"", *err);
	});
}

// The partitions' attached indexes, then the table's, which adopt them
// (IndexDef::attached), then the partitions' other indexes.
void create_indexes(libpq::Connection &src, pg::Spi &spi, const Plan &p, TableOutcome &out) {
	const bool same_major = src.server_version() / 10000 == PG_VERSION_NUM / 10000;
	auto partition_indexes = [&](bool attached) {
		for_each_partition(p, attached, [&](const catalog::PartitionDef &part, const std::string &target) {
			for (const auto &ix : part.local_indexes)
				if (ix.attached == attached)
					create_index(spi, p, ix, part.name, part.table_q, target, part.partition_key.has_value(),
					             same_major, out);
		});
	};
	partition_indexes(true);
	for (const auto &ix : p.src.indexes)
		create_index(spi, p, ix, p.src.def.name, p.src.table_q, p.target, p.src.relkind == 'p', same_major, out,
		             out.indexes_deferred);
	partition_indexes(false);
}

void create_triggers(pg::Spi &spi, const Plan &p, const TableRequest &req, TableOutcome &out) {
	for (const auto &t : p.src.triggers) {
		auto sql = core::rewrite_trigger_def(t.definition, t.name_q, p.src.table_q, p.target_q);
		std::string what = "trigger \"" + t.name + "\"";
		if (!sql) {
			warn_skipped(out, what, "Its definition has an unexpected form: " + t.definition);
			continue;
		}
		if (req.defer_triggers) {
			out.triggers.push_back({what + " on " + out.display, *sql});
			continue;
		}
		if (auto err = spi.exec_in_subtransaction(*sql, true))
			warn_skipped(out, what, *err);
	}
}

// What this clone created of the source table (after the "columns" subset
// and the indexes / constraints / triggers options).
core::CreatedParts created_parts(const Plan &p, const TableRequest &req) {
	core::CreatedParts c;
	c.columns.emplace();
	for (const auto &col : p.src.def.columns)
		c.columns->insert(col.name);
	c.constraints.emplace();
	for (const auto &k : p.src.constraints)
		if (k.type == 'p' || req.options.constraints)
			c.constraints->insert(k.name);
	c.indexes.emplace();
	if (req.options.indexes)
		for (const auto &ix : p.src.indexes)
			c.indexes->insert(ix.name);
	c.triggers.emplace();
	if (req.options.triggers)
		for (const auto &t : p.src.triggers)
			c.triggers->insert(t.name);
	return c;
}

std::string format_progress(const TableOutcome &o) {
	return "pgclone: " + o.display + ": " + core::format_copy_progress(o.rows, o.bytes, o.seconds);
}

// Reads the source table and applies the target name and column subset.
// The source plans the filtered query once, reading no row, so that a
// filter naming an unknown column or a wrong type fails before anything
// exists on the target.
void plan_filter_on_source(libpq::Connection &src, const Plan &p, const std::string &filter) {
	const std::string from = qualified_name(p.src.def.schema, p.src.def.name);
	try {
		src.exec(core::filtered_rows_query("NULL", from, filter) + " LIMIT 0");
	} catch (const core::Error &e) {
		throw core::Error("where filter cannot be applied to table " + from + " on the source server: " +
		                      e.what(),
		                  e.sqlstate(), e.detail(), e.hint());
	}
}

Plan read_plan(libpq::Connection &src, const TableRequest &req, const catalog::TablePlan *known) {
	// The filter is the caller's SQL: checked before the source reads it.
	if (req.options.where)
		check_row_filter(*req.options.where);
	Plan p;
	p.move = schema_move(req.schema, req.options);
	// With a schema move the source prints the names of the source schema
	// unqualified; a plan read by a schema clone was read the same way.
	follow_source_schema(src, p.move);
	const catalog::SourceTable *t = known && !req.source_oid.empty() ? known->find(req.source_oid) : nullptr;
	if (t) {
		p.src = *t;
		p.types = known->types_of(*t);
		// Without one snapshot for the whole clone the rows come from a later
		// transaction than the plan: positions read now are never behind them.
		if (!req.options.consistent) {
			std::vector<catalog::OwnedSequence *> positions;
			for (auto &s : p.src.sequences)
				positions.push_back(&s);
			catalog::read_sequence_positions(src, positions);
		}
	} else {
		catalog::TablePlanScope scope;
		scope.partition_trees = req.create_partitions;
		catalog::TablePlan one = catalog::read_one_table(src, req.schema, req.table, scope);
		p.src = std::move(one.tables.begin()->second);
		p.types = one.types_of(p.src);
	}
	if (p.move.active())
		p.source_name_q = src.exec_params("SELECT pg_catalog.quote_ident($1)", {req.table}).get(0, 0);
	p.schema = p.move.map(req.schema);
	p.target = req.target_table.empty() ? req.table : req.target_table;
	if (p.target.size() > core::max_identifier_bytes)
		throw core::Error("target table name \"" + p.target + "\" is too long", core::sqlstate::name_too_long,
		                  "PostgreSQL names are at most " + std::to_string(core::max_identifier_bytes) +
		                      " bytes.");
	p.target_q = qualified_name(p.schema, p.target);
	if (req.options.columns)
		apply_column_subset(p, *req.options.columns);
	if (req.options.where)
		outside_source_schema(src, p.move, [&] { plan_filter_on_source(src, p, *req.options.where); });
	return p;
}

// The options of this table with its mask resolved: a schema clone's
// "masks" (keyed by table) give the table its own entry or, for a
// partition, the nearest ancestor's.
core::CloneOptions options_with_mask(const TableRequest &req, const Plan &p) {
	core::CloneOptions o = req.options;
	if (o.masks) {
		o.mask = core::mask_for_table(*o.masks, req.schema, req.table, p.src.ancestors);
		o.masks.reset();
	}
	return o;
}

} // namespace

bool make_room_for_table(pg::Spi &spi, const std::string &schema, const std::string &table,
                         core::ConflictStrategy strategy, Dependents *dropped) {
	lock_target_name(schema, table); // a concurrent clone of this name finishes first
	if (!relation_exists(schema, table))
		return true;
	switch (strategy) {
	case core::ConflictStrategy::Error:
		throw core::Error(
		    "table \"" + schema + "\".\"" + table + "\" already exists on the target",
		    core::sqlstate::duplicate_table, "",
		    "Pass {\"conflict\": \"skip\"}, {\"conflict\": \"replace\"} or {\"conflict\": \"rename\"} in the options to choose what happens to the existing table.");
	case core::ConflictStrategy::Skip:
		return false;
	case core::ConflictStrategy::Replace:
		if (dropped)
			dropped->add(read_dependents(spi, schema, table));
		spi.exec("DROP TABLE " + qualified_name(schema, table) + " CASCADE");
		return true;
	case core::ConflictStrategy::Rename:
		rename_existing(spi, schema, table);
		return true;
	}
	return true;
}

namespace {

TableOutcome clone_planned_table(libpq::Connection &src, const TableRequest &req, Plan &p,
                                 std::chrono::steady_clock::time_point started);
// The source side of a table's copy: its COPY statement and format; none
// for the stage create (or without rows to copy).
struct SourceCopy {
	bool copies = false;
	copy::CopyFormat format = copy::CopyFormat::Text;
	std::string sql;
	uint64_t bytes_total = 0;
	bool sent_early = false; // sent before the table was created (Connection::send_copy_out)
};
SourceCopy plan_source_copy(const libpq::Connection &src, const TableRequest &req, const Plan &p);
void copy_rows(libpq::Connection &src, const Plan &p, unsigned int relid, TableOutcome &out, const SourceCopy &c);
void copy_callers_rows(libpq::Connection &src, const TableRequest &req, const Plan &p, unsigned int relid,
                       TableOutcome &out, const SourceCopy &c);
std::map<std::string, std::string> prepare_masks(libpq::Connection &src, const TableRequest &req, const Plan &p);
void finish_table(libpq::Connection &src, const TableRequest &req, Plan &p, TableOutcome &out,
                  std::chrono::steady_clock::time_point started);

} // namespace

TableOutcome clone_table_on(libpq::Connection &src, const TableRequest &req, const catalog::TablePlan *plan) {
	const auto started = std::chrono::steady_clock::now();
	if (!req.target_checked) {
		pg::Spi spi;
		refuse_protected_schema(spi, schema_move(req.schema, req.options).map(req.schema), "pgclone.table");
		spi.finish();
	}
	if (plan && plan->after_rows_only.count(req.source_oid))
		throw core::Error("table " + core::display_name(req.schema, req.table) +
		                      " was planned only for what follows its rows, not to be created",
		                  core::sqlstate::internal_error);
	Plan p = read_plan(src, req, plan);
	TableOutcome out;
	with_target_path(p.move, [&] { out = clone_planned_table(src, req, p, started); });
	return out;
}

namespace {

// The target work of clone_table_on, under the target's search_path of a
// schema move.
TableOutcome clone_planned_table(libpq::Connection &src, const TableRequest &req, Plan &p,
                                 std::chrono::steady_clock::time_point started) {
	p.copy_columns = core::copy_column_names(p.src.def);
	// Masks compile (and require_masks refuses) before anything exists on the target.
	p.masks = prepare_masks(src, req, p);

	TableOutcome out;
	out.display = core::display_name(p.schema, p.target);

	std::optional<pg::Spi> spi;
	if (req.stage == TableStage::rows || req.stage == TableStage::finish) {
		// The table was created by the stage create, committed before.
		if (!relation_exists(p.schema, p.target))
			throw core::Error("table " + out.display + " of a chunked copy does not exist on the target",
			                  core::sqlstate::undefined_table,
			                  "The job created it with its plan; it was dropped or renamed since.",
			                  "Clone the table again: pgclone.table(), or the schema with {\"conflict\": \"replace\"}.");
		if (req.stage == TableStage::rows)
			copy_callers_rows(src, req, p, relation_oid(p.schema, p.target), out, plan_source_copy(src, req, p));
		else
			finish_table(src, req, p, out, started);
		return out;
	}
	spi.emplace();
	if (req.options.conflict != core::ConflictStrategy::Skip && !req.target_checked)
		refuse_extension_member(*spi, "relation", p.schema, p.target);
	if (!resolve_conflict(*spi, p, req.options.conflict, out.dropped)) {
		out.skipped = true;
		spi->finish();
		return out;
	}
	ensure_schema(*spi, p.schema);
	// The source's COPY is sent now, before the target creates the table: the
	// source finds and sends the rows (of a small table: all of them, into the
	// socket) while the target works, instead of one wait per table after it.
	// Only where nothing below reads the source before the copy (a schema
	// clone created the plan's collations and routines first).
	SourceCopy source_copy = plan_source_copy(src, req, p);
	if (req.queued_copy) { // sent with other tables' (copy_to_send_ahead)
		if (!source_copy.copies || source_copy.sql != *req.queued_copy)
			throw core::Error("the COPY sent ahead for table " + out.display + " is not the one its clone runs",
			                  core::sqlstate::internal_error);
		source_copy.sent_early = true;
	} else {
		// Not a copy of the caller's filter under a move: it is sent later,
		// outside the moved schema (copy_callers_rows).
		source_copy.sent_early = source_copy.copies && req.plan_objects_ready && !callers_sql_under_move(req, p);
		if (source_copy.sent_early)
			src.send_copy_out(source_copy.sql);
	}
	// Collations and text search objects the columns, indexes and defaults use,
	// then user-defined column types (enum, domain, composite, range) the target lacks.
	if (!req.plan_objects_ready)
		ensure_text_objects_for_table(src, *spi, p.src.oid, p.move, out.warnings);
	move_types(p.types, p.move, out.warnings);
	ensure_types(*spi, p.types, out.warnings);
	// Routines its triggers, defaults, generated columns and checks call
	// (a schema clone creates every routine of its plan itself).
	if (!req.plan_objects_ready)
		ensure_functions_for_table(src, *spi, p.src.oid, out.warnings);
	auto sequences = prepare_sequences(*spi, p);
	core::TableDef def = p.src.def;
	def.name = p.target;
	def.schema = p.schema;
	def.tablespace = target_tablespace(*spi, def.tablespace, out.display);
	if (req.inherit_at_creation && !p.src.parents.empty() && p.src.inherits_in_order && !req.options.columns) {
		std::vector<std::pair<std::string, std::string>> parents;
		// Only parents of the caller or a superuser (those this clone made):
		// a parent of another role is left to the table settings, which
		// decide by the parent's source owner (clone::foreign_owner).
		for (const auto &[schema, name] : p.src.parents)
			if (relation_exists(p.move.map(schema), name) &&
			    !foreign_owner(*spi, "relation", p.move.map(schema), name, "", ""))
				parents.emplace_back(p.move.map(schema), name);
		if (parents.size() == p.src.parents.size()) {
			def.inherits = std::move(parents);
			p.inherited_at_creation = true;
		}
	}
	// The columns as they are created here (their sequences named on the
	// target, the tablespace mapped) decide between PARTITION OF and a table
	// attached below.
	std::optional<std::vector<std::string>> column_fixups;
	if (req.partition_of)
		column_fixups = core::partition_of_fixups(def, *req.partition_of->parent, p.target_q);
	if (column_fixups)
		spi->exec_one(core::create_partition_of_sql(def, req.partition_of->parent_and_bound));
	else
		spi->exec_one(core::create_table_sql(def));
	if (req.create_partitions)
		create_partitions(*spi, p, p.target_q, p.src.partitions);
	// Comments, sequence ownership and positions cannot fail once the table
	// exists: one SPI call, no subtransaction.
	std::vector<std::string> finishing;
	// A column inherited only has its parent's default and NOT NULL; the
	// child's own are set as the source has them (NOT NULL only where no
	// parent gave it: setting it again would make an inherited NOT NULL
	// constraint the child's own on PostgreSQL 18).
	if (p.inherited_at_creation)
		for (const auto &c : def.columns) {
			if (!c.inherited_only || c.generated != '\0')
				continue;
			const std::string alter = "ALTER TABLE " + p.target_q + " ALTER COLUMN " + quote_ident(c.name);
			if (c.default_expr)
				finishing.push_back(alter + " SET DEFAULT " + *c.default_expr);
			if (c.not_null && spi->query_value(R"sql(SELECT 1 FROM pg_catalog.pg_attribute
WHERE attrelid = pg_catalog.to_regclass($1)::pg_catalog.oid AND attname = $2 AND NOT attnotnull)sql",
			                                   {p.target_q, c.name}))
				finishing.push_back(alter + " SET NOT NULL");
		}
	if (column_fixups)
		finishing.insert(finishing.end(), column_fixups->begin(), column_fixups->end());
	add_comments(finishing, p);
	for (const auto &[q, s] : sequences) {
		if (!s->identity)
			finishing.push_back("ALTER SEQUENCE " + q + " OWNED BY " + p.target_q + "." +
			                    quote_ident(s->column));
		finishing.push_back(core::setval_sql(q, s->last_value, s->is_called));
		if (s->comment)
			finishing.push_back("COMMENT ON SEQUENCE " + q + " IS " + quote_literal(*s->comment));
	}
	spi->exec_batch(finishing);
	// A partition attached while empty and without indexes (see
	// TableRequest::attach_sql); its rows then go straight into it.
	if (req.attach_sql) {
		if (!column_fixups)
			spi->exec_one(*req.attach_sql);
		out.attached = true;
	}
	unsigned int relid = relation_oid(p.schema, p.target);
	spi->finish();
	spi.reset();
	if (req.stage == TableStage::create)
		return out;

	copy_callers_rows(src, req, p, relid, out, source_copy);
	finish_table(src, req, p, out, started);
	return out;
}

SourceCopy plan_source_copy(const libpq::Connection &src, const TableRequest &req, const Plan &p) {
	SourceCopy c;
	c.copies = req.include_data && !p.copy_columns.empty() && req.stage != TableStage::create;
	if (!c.copies)
		return c;
	c.format = choose_format(src, p);
	const std::optional<std::string> condition = copy_condition(req);
	c.sql = source_copy_sql(p, condition ? &*condition : nullptr, c.format);
	// The source's size on disk stands for the stream's size; a filter or
	// a chunk makes it meaningless, so such a copy reports no total.
	c.bytes_total = condition ? 0 : p.src.estimate.bytes;
	return c;
}

} // namespace

std::optional<std::string> copy_to_send_ahead(const libpq::Connection &src, const TableRequest &req,
                                              const catalog::TablePlan &plan) {
	const core::CloneOptions &o = req.options;
	const catalog::SourceTable *t = req.source_oid.empty() ? nullptr : plan.find(req.source_oid);
	if (!t || t->relkind != 'r' || !req.include_data || req.stage != TableStage::whole || !req.plan_objects_ready ||
	    !o.consistent || o.mask || o.require_masks || o.where || o.columns || req.kept_rows ||
	    schema_move(req.schema, o).active())
		return std::nullopt;
	if (o.masks && core::mask_for_table(*o.masks, req.schema, req.table, t->ancestors))
		return std::nullopt;
	Plan p;
	p.src = *t;
	p.copy_columns = core::copy_column_names(p.src.def);
	SourceCopy c = plan_source_copy(src, req, p);
	if (!c.copies)
		return std::nullopt;
	return c.sql;
}

namespace {

// Part 2: the rows (of a chunk, with stage rows), into relid.
void copy_rows(libpq::Connection &src, const Plan &p, unsigned int relid, TableOutcome &out, const SourceCopy &c) {
	if (!c.copies)
		return;
	auto stats = copy::copy_into(src, c.sql, relid, p.copy_columns, c.format, c.bytes_total, c.sent_early);
	out.rows = stats.rows;
	out.bytes = stats.bytes;
	out.seconds = stats.seconds;
}

// copy_rows; a copy under the caller's filter (row_condition) is sent
// outside the moved schema of a move, as its check was (target_schema.hpp).
void copy_callers_rows(libpq::Connection &src, const TableRequest &req, const Plan &p, unsigned int relid,
                       TableOutcome &out, const SourceCopy &c) {
	if (callers_sql_under_move(req, p))
		outside_source_schema(src, p.move, [&] { copy_rows(src, p, relid, out, c); });
	else
		copy_rows(src, p, relid, out, c);
}

// The masks of the table's copy (compiled, and require_masks checked). A
// masked copy under the caller's filter with a move runs outside the moved
// schema (copy_callers_rows): its casts name the column types as the source
// prints them there, a type of the source schema qualified.
std::map<std::string, std::string> prepare_masks(libpq::Connection &src, const TableRequest &req, const Plan &p) {
	const core::CloneOptions o = options_with_mask(req, p);
	if (!callers_sql_under_move(req, p) || !o.mask)
		return copy::prepare_inline_masks(src, p.src.def, o, req.include_data);
	std::map<std::string, std::string> masks;
	outside_source_schema(src, p.move, [&] {
		core::TableDef def = p.src.def;
		const std::map<std::string, std::string> types = source_column_types(src, p.src.oid);
		for (auto &col : def.columns)
			if (auto it = types.find(col.name); it != types.end())
				col.type = it->second;
		masks = copy::prepare_inline_masks(src, def, o, req.include_data);
	});
	return masks;
}

// Part 3: what follows the rows.
void finish_table(libpq::Connection &src, const TableRequest &req, Plan &p, TableOutcome &out,
                  std::chrono::steady_clock::time_point started) {
	std::optional<pg::Spi> spi;
	spi.emplace();
	out.indexes_deferred = defers_indexes(p, req);
	create_constraints(*spi, p, req, out);
	if (req.options.indexes)
		create_indexes(src, *spi, p, out);
	if (req.options.triggers)
		create_triggers(*spi, p, req, out);
	// A schema clone gives every table its settings in one later phase.
	if (!req.plan_objects_ready)
		out.warnings += clone_table_settings(src, *spi, p.src.oid, {p.schema, p.target, p.src.def.name, out.display, p.src.def.schema},
		                                     created_parts(p, req));
	if (req.include_data && req.options.analyze)
		spi->exec("ANALYZE " + p.target_q);
	// A schema clone puts the dependents back after all its tables and views.
	if (!req.defer_foreign_keys) {
		out.warnings += recreate_dependents(*spi, out.dropped);
		out.dropped = {};
	}
	spi->finish();
	double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
	// A finish task copied no rows: its chunks did.
	const std::string line = req.stage == TableStage::finish
	                             ? "pgclone: " + out.display + ": constraints, indexes and the rest after its chunks in " +
	                                   core::format_fixed(took, 2) + " s"
	                             : format_progress(out);
	if (req.notice_every_table || took > 1.0)
		pg::notice(line);
	else
		pg::debug1(line);
}

} // namespace

TableOutcome deferred_statements(libpq::Connection &src, const TableRequest &req,
                                 const catalog::TablePlan *plan) {
	Plan p = read_plan(src, req, plan);
	TableOutcome out;
	out.display = core::display_name(p.schema, p.target);
	if (req.defer_foreign_keys && req.options.constraints)
		for (const auto &c : p.src.constraints)
			if (c.type == 'f')
				out.foreign_keys.push_back(foreign_key_statement(p, c, out.display));
	if (req.defer_triggers && req.options.triggers)
		for (const auto &t : p.src.triggers)
			if (auto sql = core::rewrite_trigger_def(t.definition, t.name_q, p.src.table_q, p.target_q))
				out.triggers.push_back({"trigger \"" + t.name + "\" on " + out.display, *sql});
	return out;
}

namespace {

// Dry run: what the conflict strategy does to the existing table (the
// step's action and details), as make_room_for_table would do it.
void dry_run_conflict(pg::Spi &spi, const Plan &p, core::ConflictStrategy strategy, core::PlanStep &table) {
	if (!relation_exists(p.schema, p.target))
		return;
	table.action = core::conflict_action(strategy);
	if (strategy == core::ConflictStrategy::Replace)
		table.detail["drops"] = read_dependents(spi, p.schema, p.target).names();
	else if (strategy == core::ConflictStrategy::Rename)
		table.detail["renamed_to"] = free_relation_name(p.schema, p.target + "_old");
}

void dry_run_partitions(const Plan &p, const std::vector<catalog::PartitionDef> &parts, core::DryRun &d) {
	for (const auto &part : parts) {
		d.steps.push_back({"partition", core::display_name(p.schema, core::derive_name(part.name, p.src.def.name, p.target)),
		                   "create", {{"bound", part.bound}}});
		dry_run_partitions(p, part.children, d);
	}
}

// The partitions' indexes (attached ones included), as create_indexes names them.
void dry_run_partition_indexes(const Plan &p, const std::vector<catalog::PartitionDef> &parts, core::DryRun &d) {
	for (const auto &part : parts) {
		const std::string target = core::derive_name(part.name, p.src.def.name, p.target);
		for (const auto &ix : part.local_indexes)
			d.steps.push_back({"index", core::display_name(p.schema, core::derive_name(ix.name, part.name, target)),
			                   "create", {{"definition", ix.definition}}});
		dry_run_partition_indexes(p, part.children, d);
	}
}

} // namespace

void table_dry_run_steps(libpq::Connection &src, const TableRequest &req, core::DryRun &d,
                         std::vector<core::PlanStep> *deferred, const catalog::TablePlan *plan) {
	Plan p = read_plan(src, req, plan);
	p.copy_columns = core::copy_column_names(p.src.def);
	p.masks = copy::prepare_inline_masks(src, p.src.def, options_with_mask(req, p), req.include_data);
	const catalog::SizeEstimate &estimate = p.src.estimate;
	pg::Spi spi;
	core::PlanStep table{"table", core::display_name(p.schema, p.target), "create"};
	nlohmann::json columns = nlohmann::json::array();
	for (const auto &c : p.src.def.columns)
		columns.push_back(c.name);
	table.detail = {{"source", core::display_name(req.schema, req.table)},
	                {"columns", std::move(columns)},
	                {"include_data", req.include_data},
	                {"rows_estimate", estimate.rows},
	                {"bytes_estimate", estimate.bytes}};
	if (req.options.where)
		table.detail["where"] = *req.options.where;
	if (!p.masks.empty())
		table.detail["masks"] = p.masks;
	dry_run_conflict(spi, p, req.options.conflict, table);
	if (!deferred) {
		if (!schema_exists(p.schema))
			d.steps.push_back({"schema", p.schema, "create"});
		if (table.action == "create" || table.action == "replace" || table.action == "rename") {
			std::vector<catalog::TypeDef> types = p.types;
			int ignored = 0;
			move_types(types, p.move, ignored);
			for (const auto &t : types)
				if (!type_exists(spi, t.schema, t.name))
					d.steps.push_back({"type", core::display_name(t.schema, t.name), "create"});
		}
	}
	spi.finish();
	if (table.action == "fail" || table.action == "keep") {
		d.steps.push_back(std::move(table));
		return;
	}
	for (const auto &s : p.src.sequences)
		d.steps.push_back({"sequence", core::display_name(p.schema, sequence_base_name(p, s)), "create",
		                   {{"owned_by", s.column}, {"identity", s.identity}}});
	d.steps.push_back(std::move(table));
	if (req.create_partitions)
		dry_run_partitions(p, p.src.partitions, d);
	for (const auto &c : p.src.constraints) {
		if (c.type != 'p' && !req.options.constraints)
			continue;
		const bool index_backed = c.type == 'p' || c.type == 'u' || c.type == 'x';
		std::string name = index_backed ? core::derive_name(c.name, p.src.def.name, p.target) : c.name;
		core::PlanStep step{c.type == 'f' ? "foreign key" : "constraint", core::display_name(p.schema, name), "create",
		                    {{"on", core::display_name(p.schema, p.target)}, {"definition", c.definition}}};
		if (c.type == 'f' && deferred) {
			deferred->push_back(std::move(step));
			continue;
		}
		d.steps.push_back(std::move(step));
	}
	if (req.options.indexes) {
		for (const auto &ix : p.src.indexes)
			d.steps.push_back({"index", core::display_name(p.schema, core::derive_name(ix.name, p.src.def.name, p.target)),
			                   "create", {{"definition", ix.definition}}});
		if (req.create_partitions)
			dry_run_partition_indexes(p, p.src.partitions, d);
	}
	if (req.options.triggers)
		for (const auto &t : p.src.triggers) {
			core::PlanStep step{"trigger", core::display_name(p.schema, p.target) + " " + t.name, "create",
			                    {{"definition", t.definition}}};
			(deferred ? *deferred : d.steps).push_back(std::move(step));
		}
}

std::string dry_run_table(const std::string &conninfo, const TableRequest &req) {
	core::check_table_options(req.options, "pgclone.table");
	return as_role(req.options.run_as, [&] {
		libpq::Connection src = libpq::open_source(conninfo, req.options.snapshot_id);
		{
			pg::Spi spi;
			refuse_protected_schema(spi, schema_move(req.schema, req.options).map(req.schema), "pgclone.table");
			spi.finish();
		}
		core::DryRun d;
		const std::string target = req.target_table.empty() ? req.table : req.target_table;
		d.subject = "table " + core::display_name(schema_move(req.schema, req.options).map(req.schema), target);
		d.conflict = core::to_string(req.options.conflict);
		if (req.options.where)
			d.filters["where"] = *req.options.where;
		if (req.options.columns)
			d.filters["columns"] = *req.options.columns;
		table_dry_run_steps(src, req, d, nullptr);
		libpq::close_source(src);
		return core::dry_run_text(d);
	});
}

std::string table_result_text(const TableOutcome &o) {
	if (o.skipped)
		return "SKIPPED: " + o.display + " already exists on the target (conflict strategy \"skip\")";
	std::string s = "OK: cloned " + o.display + " (" + core::plural(o.rows, "row", "rows");
	if (o.warnings)
		s += ", " + core::plural(o.warnings, "warning", "warnings");
	return s + ")";
}

std::string clone_table(const std::string &conninfo, const TableRequest &req) {
	core::check_table_options(req.options, "pgclone.table");
	return as_role(req.options.run_as, [&] {
		libpq::Connection src = libpq::open_source(conninfo, req.options.snapshot_id);
		TableOutcome out = clone_table_on(src, req);
		if (!out.skipped)
			out.warnings += clone_table_privileges(src, req.schema, req.table, req.target_table, req.options);
		libpq::close_source(src);
		return table_result_text(out);
	});
}

} // namespace pgclone::clone
