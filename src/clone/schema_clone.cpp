// Schema and database clones: read the whole plan from the source first,
// check it against the target, then create everything phase by phase.
#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/schema_reader.hpp"
#include "pgclone/catalog/sequence_positions.hpp"
#include "pgclone/catalog/table_plan.hpp"
#include "pgclone/catalog/privilege_reader.hpp"
#include "pgclone/clone/ddl_runner.hpp"
#include "pgclone/clone/privileges.hpp"
#include "pgclone/clone/schema_clone.hpp"
#include "pgclone/clone/run_as.hpp"
#include "pgclone/clone/schema_run.hpp"
#include "pgclone/clone/table_clone.hpp"
#include "pgclone/clone/target.hpp"
#include "pgclone/clone/types.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/rewrite.hpp"
#include "pgclone/core/schema_plan.hpp"
#include "pgclone/core/text.hpp"
#include "pgclone/masking/inline_mask.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/spi.hpp"
#include "pgclone/snapshot/keeper.hpp"

namespace pgclone::clone {

namespace {

using core::qualified_name;
using core::quote_ident;
using core::quote_literal;

// Everything read from the source before the target is touched.
struct SourcePlan {
	std::vector<catalog::SchemaDef> schemas;
	std::vector<std::string> names;
	std::vector<catalog::ExtensionDef> extensions;
	std::vector<catalog::TypeDef> types;
	std::vector<catalog::SequenceDef> sequences; // the ones not created by their table's clone
	std::vector<catalog::TableRef> tables;
	std::vector<std::string> foreign_tables;
	std::vector<catalog::ViewDef> views; // views and materialized views
	std::vector<catalog::FunctionDef> functions;
	std::vector<catalog::StatementDef> view_triggers;
	std::vector<catalog::ObjectPrivileges> privileges; // owners and ACLs of the schemas' objects
	// The definitions of `tables` (columns, constraints, indexes, ...), read
	// per object kind for all of them at once.
	catalog::TablePlan table_defs;
};

struct Deferred {
	catalog::StatementDef stmt;
	int depth; // partition depth of the table it belongs to
};

struct Context {
	Context(const MultiCloneRequest &r, snapshot::Keeper &k)
	    : req(r), keeper(k), subject(r.database ? "database" : "schema " + r.schemas.at(0)) {}

	const MultiCloneRequest &req;
	snapshot::Keeper &keeper;
	std::string subject; // "schema test_schema", "database"
	SourcePlan plan;
	core::CloneSummary sum;
	int warnings = 0;
	std::set<std::string> cloned_tables; // "schema\x1ftable" of tables created by this clone
	std::vector<Deferred> foreign_keys;
	std::vector<catalog::StatementDef> triggers;
	std::set<std::string> early_functions;             // oids created before the tables
	std::map<std::string, uint64_t> owned_sequences;   // per table: serial / identity sequences it brings
	std::function<void(const std::string &)> observer; // told of each phase (async jobs)
	// Resuming an earlier run: the tables it committed ("schema\x1ftable").
	bool resumed = false;
	std::set<std::string> done_before;
	// Owners and ACLs go to the plan's objects (privilege_key), except those
	// that were on the target before the clone and are kept.
	std::set<std::string> plan_objects;
	std::set<std::string> preexisting;
	std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
	std::chrono::steady_clock::time_point tables_started;
};

std::string key(const std::string &schema, const std::string &name) {
	return schema + '\x1f' + name;
}

// n schema, r relation (table, sequence, view), t type, f routine.
std::string privilege_key(char kind, const std::string &schema, const std::string &name = {},
                          const std::string &args = {}) {
	return std::string(1, kind) + '\x1f' + schema + '\x1f' + name + '\x1f' + args;
}

char privilege_kind(const catalog::ObjectPrivileges &o) {
	if (o.kind == "schema")
		return 'n';
	if (o.kind == "type" || o.kind == "domain")
		return 't';
	if (o.kind == "function" || o.kind == "procedure")
		return 'f';
	return 'r';
}

std::string privilege_key(const catalog::ObjectPrivileges &o) {
	return privilege_key(privilege_kind(o), o.schema, o.name, o.args);
}

// One NOTICE per phase, with its counts and the time since the clone
// began: the differences between them say where the time went.
void phase_notice(Context &c, const std::string &text) {
	double at = std::chrono::duration<double>(std::chrono::steady_clock::now() - c.started).count();
	pg::notice("pgclone: " + c.subject + ": " + text + " (at " + core::format_fixed(at, 2) + " s)");
}

// Before a phase: the keeper is alive, and (consistent = false) a fresh
// transaction for the phase.
void begin_phase(Context &c, const std::string &phase) {
	if (c.observer)
		c.observer(phase);
	c.keeper.ping(phase);
	c.keeper.next_unit();
}

// --- reading the plan ---------------------------------------------------------

void check_masks(Context &c) {
	const auto &o = c.req.options;
	if (!o.masks || o.masks->empty())
		return;
	std::vector<catalog::TableRef> all =
	    (o.tables.empty() && o.exclude_tables.empty())
	        ? c.plan.tables
	        : catalog::read_tables(c.keeper.connection(), c.plan.names, {}, {});
	std::vector<std::pair<std::string, std::string>> names;
	for (const auto &t : all)
		names.emplace_back(t.schema, t.name);
	auto unmatched = core::unmatched_mask_keys(*o.masks, names);
	if (unmatched.empty())
		return;
	std::string list;
	for (const auto &k : unmatched)
		list += (list.empty() ? "\"" : ", \"") + k + "\"";
	throw core::Error("option \"masks\" names " + std::string(unmatched.size() == 1 ? "a table" : "tables") +
	                      " that " + (unmatched.size() == 1 ? "does" : "do") +
	                      " not exist on the source: " + list,
	                  core::sqlstate::invalid_parameter_value,
	                  "A mask that matches no table would leave the data it was meant for unmasked.",
	                  "Keys are table names, or \"schema.table\" names, of the schemas being cloned.");
}

// require_masks fails closed before any row moves: every table of the plan
// that holds rows (partitions included) is judged at once, and the refusal
// lists every unmasked sensitive column of every table.
void check_require_masks(Context &c) {
	const auto &o = c.req.options;
	if (!o.require_masks || !c.req.include_data)
		return;
	std::vector<std::string> oids;
	for (const auto &t : c.plan.tables)
		if (t.relkind != 'p')
			oids.push_back(t.oid);
	masking::check_require_masks(c.keeper.connection(), oids, o.masks ? &*o.masks : nullptr);
}

// A schema or database clone never targets a system schema, pgclone's own
// schema or an extension's: a schema clone refuses one before reading the
// source; a database clone leaves it out with a WARNING.
void protect_schemas(Context &c) {
	pg::Spi spi;
	if (!c.req.database) {
		for (const auto &s : c.req.schemas)
			refuse_protected_schema(spi, s, c.req.function_name);
		spi.finish();
		return;
	}
	std::vector<catalog::SchemaDef> kept;
	for (auto &s : c.plan.schemas) {
		if (!is_protected_schema(spi, s.name)) {
			kept.push_back(std::move(s));
			continue;
		}
		c.warnings++;
		pg::warning("pgclone: schema \"" + s.name + "\" of the source not cloned",
		            "On the target it is a system schema or belongs to an extension; a clone never "
		            "creates, replaces or drops objects there.");
	}
	c.plan.schemas = std::move(kept);
	spi.finish();
}

// The definitions of every table of the plan, one query per object kind.
// Partitions are tables of the plan, so no partition tree is read.
void read_table_definitions(Context &c) {
	const auto started = std::chrono::steady_clock::now();
	std::vector<std::string> oids;
	for (const auto &t : c.plan.tables)
		oids.push_back(t.oid);
	catalog::TablePlanScope scope;
	scope.partition_trees = false;
	c.plan.table_defs = catalog::read_table_plan(c.keeper.connection(), oids, scope);
	double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
	phase_notice(c, "read the definitions of " + core::plural(oids.size(), "table", "tables") + " in " +
	                    core::format_fixed(took, 2) + " s");
}

void read_plan(Context &c) {
	auto &src = c.keeper.connection();
	const auto &o = c.req.options;
	if (c.req.database) {
		c.plan.schemas = catalog::read_user_schemas(src);
		protect_schemas(c);
	} else {
		protect_schemas(c);
		for (const auto &s : c.req.schemas)
			c.plan.schemas.push_back(catalog::read_schema(src, s));
	}
	for (const auto &s : c.plan.schemas)
		c.plan.names.push_back(s.name);
	c.plan.privileges = catalog::read_privileges(src, c.plan.names);
	if (c.req.functions_only) {
		c.plan.functions = catalog::read_functions(src, c.plan.names);
		for (const auto &f : c.plan.functions)
			c.plan_objects.insert(privilege_key('f', f.schema, f.name, f.identity_args));
		return;
	}
	for (const auto &n : c.plan.names)
		c.plan_objects.insert(privilege_key('n', n));
	if (c.req.database)
		c.plan.extensions = catalog::read_extensions(src);
	c.plan.types = catalog::read_types(src, c.plan.names);
	c.plan.tables = catalog::read_tables(src, c.plan.names, o.tables, o.exclude_tables);
	std::set<std::string> table_keys;
	for (const auto &t : c.plan.tables)
		table_keys.insert(key(t.schema, t.name));
	// A serial or identity sequence comes with its table; the others (free
	// sequences, and those of tables left out by a filter) are created here.
	for (auto &s : catalog::read_sequences(src, c.plan.names)) {
		c.plan_objects.insert(privilege_key('r', s.seq.schema, s.seq.name));
		if (s.owner_table.empty() || !table_keys.count(key(s.owner_schema, s.owner_table)))
			c.plan.sequences.push_back(std::move(s));
		else
			c.owned_sequences[key(s.owner_schema, s.owner_table)]++;
	}
	// Positions of the sequences created here; an owned sequence's come with
	// its table's definition.
	std::vector<catalog::OwnedSequence *> positions;
	for (auto &s : c.plan.sequences)
		positions.push_back(&s.seq);
	catalog::read_sequence_positions(src, positions);
	c.plan.foreign_tables = catalog::read_foreign_tables(src, c.plan.names);
	for (auto &v : catalog::read_views(src, c.plan.names))
		if (v.relkind == 'v' || o.matviews)
			c.plan.views.push_back(std::move(v));
	c.plan.functions = catalog::read_functions(src, c.plan.names);
	for (const auto &t : c.plan.tables)
		c.plan_objects.insert(privilege_key('r', t.schema, t.name));
	for (const auto &v : c.plan.views)
		c.plan_objects.insert(privilege_key('r', v.schema, v.name));
	for (const auto &t : c.plan.types)
		c.plan_objects.insert(privilege_key('t', t.schema, t.name));
	for (const auto &f : c.plan.functions)
		c.plan_objects.insert(privilege_key('f', f.schema, f.name, f.identity_args));
	if (o.triggers)
		c.plan.view_triggers = catalog::read_view_triggers(src, c.plan.names);
	check_masks(c);
	check_require_masks(c);
	read_table_definitions(c);
}

// --- conflicts ------------------------------------------------------------------

std::optional<char> target_relkind(pg::Spi &spi, const std::string &schema, const std::string &name) {
	auto v = spi.query_value("SELECT c.relkind FROM pg_catalog.pg_class c "
	                         "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	                         "WHERE n.nspname = $1 AND c.relname = $2",
	                         {schema, name});
	if (!v || v->empty())
		return std::nullopt;
	return (*v)[0];
}

const char *relkind_word(char relkind) {
	switch (relkind) {
	case 'v':
		return "VIEW";
	case 'm':
		return "MATERIALIZED VIEW";
	case 'S':
		return "SEQUENCE";
	case 'f':
		return "FOREIGN TABLE";
	case 'i':
	case 'I':
		return "INDEX";
	case 'c':
		return "TYPE";
	default:
		return "TABLE";
	}
}

bool function_named_exists(pg::Spi &spi, const catalog::FunctionDef &f, const std::string &name) {
	return spi
	    .query_value(
	        "SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
	        "WHERE n.nspname = $1 AND p.proname = $2 "
	        "AND pg_catalog.pg_get_function_identity_arguments(p.oid) = $3",
	        {f.schema, name, f.identity_args})
	    .has_value();
}

bool function_exists(pg::Spi &spi, const catalog::FunctionDef &f) {
	return function_named_exists(spi, f, f.name);
}

// <name>_old, or <name>_old_2, ... : the first name no function with this
// signature has in the schema.
std::string free_function_name(pg::Spi &spi, const catalog::FunctionDef &f) {
	std::string base = f.name + "_old";
	std::string name = core::clip_identifier(base);
	for (int n = 2; function_named_exists(spi, f, name); n++) {
		std::string suffix = "_" + std::to_string(n);
		name = core::clip_identifier(base, core::max_identifier_bytes - suffix.size()) + suffix;
	}
	return name;
}

std::string function_signature(const catalog::FunctionDef &f) {
	return qualified_name(f.schema, f.name) + "(" + f.identity_args + ")";
}

[[noreturn]] void conflict_error(const MultiCloneRequest &req, const std::string &what,
                                 const char *sqlstate) {
	throw core::Error(
	    what + " already exists on the target", sqlstate,
	    req.function_name + "() found it before changing anything.",
	    "Pass {\"conflict\": \"skip\"}, {\"conflict\": \"replace\"} or {\"conflict\": \"rename\"} in "
	    "the options to choose what happens to existing objects.");
}

// An existing object of an extension is never replaced, renamed or
// dropped: a clone that would do so (any strategy but "skip") is refused
// before anything is created.
void check_extension_members(Context &c) {
	if (c.req.options.conflict == core::ConflictStrategy::Skip || c.resumed)
		return;
	pg::Spi spi;
	for (const auto &t : c.plan.tables)
		refuse_extension_member(spi, "relation", t.schema, t.name);
	for (const auto &s : c.plan.sequences)
		refuse_extension_member(spi, "relation", s.seq.schema, s.seq.name);
	for (const auto &v : c.plan.views)
		refuse_extension_member(spi, "relation", v.schema, v.name);
	for (const auto &t : c.plan.types)
		refuse_extension_member(spi, "type", t.schema, t.name);
	for (const auto &f : c.plan.functions)
		refuse_extension_member(spi, "function", f.schema, f.name, f.identity_args);
	spi.finish();
}

// With the default strategy "error", every clash is found before anything
// is created (the clone would fail anyway, after copying all the data).
// What is on the target before the clone and stays as it is (schemas, and
// every object with strategy "skip"): its owner and ACL are not touched.
void record_preexisting(Context &c) {
	const bool skip = c.req.options.conflict == core::ConflictStrategy::Skip;
	pg::Spi spi;
	for (const auto &o : c.plan.privileges) {
		std::string k = privilege_key(o);
		if (!c.plan_objects.count(k))
			continue;
		const char kind = privilege_kind(o);
		bool exists = false;
		if (kind == 'n')
			exists = schema_exists(spi, o.schema);
		else if (!skip)
			continue;
		else if (kind == 'r')
			exists = relation_exists(spi, o.schema, o.name);
		else if (kind == 't')
			exists = spi.query_value("SELECT 1 FROM pg_catalog.pg_type t "
			                         "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
			                         "WHERE n.nspname = $1 AND t.typname = $2",
			                         {o.schema, o.name})
			             .has_value();
		else
			exists = spi.query_value("SELECT 1 FROM pg_catalog.pg_proc p "
			                         "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
			                         "WHERE n.nspname = $1 AND p.proname = $2 "
			                         "AND pg_catalog.pg_get_function_identity_arguments(p.oid) = $3",
			                         {o.schema, o.name, o.args})
			             .has_value();
		if (exists)
			c.preexisting.insert(k);
	}
	spi.finish();
}

void check_conflicts(Context &c) {
	check_extension_members(c);
	record_preexisting(c);
	if (c.req.options.conflict != core::ConflictStrategy::Error)
		return;
	pg::Spi spi;
	auto relation = [&](const std::string &schema, const std::string &name) {
		if (target_relkind(spi, schema, name))
			conflict_error(c.req, "relation " + object_name(schema, name), core::sqlstate::duplicate_table);
	};
	// A resumed run finds what the earlier run committed: its tables and
	// the objects created before the tables. Those are not conflicts.
	for (const auto &t : c.plan.tables)
		if (!c.done_before.count(key(t.schema, t.name)))
			relation(t.schema, t.name);
	if (!c.resumed)
		for (const auto &s : c.plan.sequences)
			relation(s.seq.schema, s.seq.name);
	for (const auto &v : c.plan.views)
		relation(v.schema, v.name);
	for (const auto &f : c.plan.functions)
		if (f.kind != 'a' && !(c.resumed && f.needed_by_tables) && function_exists(spi, f))
			conflict_error(c.req, "function " + object_name(f.schema, f.name) + "(" + f.identity_args + ")",
			               "42723");
	spi.finish();
}

// For a sequence, view or materialized view about to be created: applies
// the conflict strategy to an existing relation of that name. Returns false
// when the object is to be left alone (strategy "skip").
bool make_room(pg::Spi &spi, const std::string &schema, const std::string &name, core::ConflictStrategy s) {
	auto kind = target_relkind(spi, schema, name);
	if (!kind)
		return true;
	std::string q = qualified_name(schema, name);
	switch (s) {
	case core::ConflictStrategy::Skip:
		return false;
	case core::ConflictStrategy::Replace:
		spi.exec(std::string("DROP ") + relkind_word(*kind) + " " + q + " CASCADE");
		return true;
	case core::ConflictStrategy::Rename: {
		// Its indexes (a materialized view's) move out of the way too: the
		// new object's indexes take their names.
		auto indexes = spi.query("SELECT ic.relname FROM pg_catalog.pg_index i "
		                         "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
		                         "WHERE i.indrelid = pg_catalog.to_regclass($1)",
		                         {q});
		spi.exec(std::string("ALTER ") + relkind_word(*kind) + " " + q + " RENAME TO " +
		         quote_ident(free_relation_name(spi, schema, name + "_old")));
		for (const auto &row : indexes)
			spi.exec("ALTER INDEX " + qualified_name(schema, *row[0]) + " RENAME TO " +
			         quote_ident(free_relation_name(spi, schema, *row[0] + "_old")));
		return true;
	}
	case core::ConflictStrategy::Error:
		break;
	}
	return true; // checked up front
}

DdlItem view_item(const catalog::ViewDef &v, const MultiCloneRequest &req) {
	std::string q = qualified_name(v.schema, v.name);
	bool mat = v.relkind == 'm';
	std::string with = v.reloptions.empty() ? "" : " WITH (" + v.reloptions + ")";
	DdlItem item;
	item.what = std::string(mat ? "materialized view " : "view ") + object_name(v.schema, v.name);
	if (mat)
		item.create = "CREATE MATERIALIZED VIEW " + q + with + " AS " + v.query +
		              (req.include_data && v.populated ? " WITH DATA" : " WITH NO DATA");
	else
		item.create = "CREATE VIEW " + q + with + " AS " + v.query;
	const char *word = mat ? "MATERIALIZED VIEW " : "VIEW ";
	if (v.comment)
		item.then.push_back(std::string("COMMENT ON ") + word + q + " IS " + quote_literal(*v.comment));
	for (const auto &[col, text] : v.column_comments)
		item.then.push_back("COMMENT ON COLUMN " + q + "." + quote_ident(col) + " IS " + quote_literal(text));
	if (mat && req.options.indexes)
		for (const auto &ix : v.indexes)
			item.then.push_back(ix);
	return item;
}

DdlItem function_item(const catalog::FunctionDef &f) {
	std::string word = f.kind == 'p' ? "procedure " : "function ";
	DdlItem item{word + object_name(f.schema, f.name) + "(" + f.identity_args + ")",
	             f.create_sql,
	             {},
	             f.language == "sql" ? quote_ident(f.schema) + ", public" : ""};
	if (f.comment)
		item.then.push_back("COMMENT ON " + std::string(f.kind == 'p' ? "PROCEDURE " : "FUNCTION ") +
		                    function_signature(f) + " IS " + quote_literal(*f.comment));
	return item;
}

// Applies the conflict strategy to an existing function of the same
// signature. Returns false when it is to be kept (strategy "skip").
// "replace" needs nothing: pg_get_functiondef() says CREATE OR REPLACE.
bool prepare_function(pg::Spi &spi, const catalog::FunctionDef &f, core::ConflictStrategy s, int &warnings) {
	if (s != core::ConflictStrategy::Skip && s != core::ConflictStrategy::Rename)
		return true;
	if (!function_exists(spi, f))
		return true;
	if (s == core::ConflictStrategy::Skip)
		return false;
	// If the existing function cannot be moved aside, it is kept: "rename"
	// must never fall through to CREATE OR REPLACE over the user's function.
	return try_ddl(spi,
	               "renaming the existing " + object_name(f.schema, f.name) + "(" + f.identity_args + ")",
	               std::string(f.kind == 'p' ? "ALTER PROCEDURE " : "ALTER FUNCTION ") +
	                   function_signature(f) + " RENAME TO " + quote_ident(free_function_name(spi, f)),
	               warnings);
}

// --- phases ---------------------------------------------------------------------

// The strategy for objects created before the tables (sequences, the
// functions the tables use). A resumed run keeps the ones that exist: the
// earlier run created them, and replacing a sequence would drop the
// defaults of the tables that run already committed.
core::ConflictStrategy schema_object_strategy(const Context &c) {
	return c.resumed ? core::ConflictStrategy::Skip : c.req.options.conflict;
}

void phase_schemas(Context &c) {
	pg::Spi spi;
	for (const auto &s : c.plan.schemas) {
		if (!ensure_schema(spi, s.name))
			continue;
		if (s.comment)
			spi.exec("COMMENT ON SCHEMA " + quote_ident(s.name) + " IS " + quote_literal(*s.comment));
	}
	spi.finish();
	if (c.req.database)
		c.sum.schemas = c.plan.schemas.size();
}

void phase_extensions(Context &c) {
	if (c.plan.extensions.empty())
		return;
	begin_phase(c, "extensions");
	phase_notice(c, "checking " + core::plural(c.plan.extensions.size(), "extension", "extensions"));
	pg::Spi spi;
	for (const auto &e : c.plan.extensions) {
		if (spi.query_value("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = $1", {e.name}))
			continue;
		if (!spi.query_value("SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = $1", {e.name})) {
			c.warnings++;
			pg::warning("pgclone: extension \"" + e.name + "\" is not available on the target server",
			            "It is installed on the source (version " + e.version +
			                "); objects that use it cannot be created.",
			            "Install the package that provides \"" + e.name + "\" on the target server.");
			continue;
		}
		std::string sql = "CREATE EXTENSION IF NOT EXISTS " + quote_ident(e.name) + " SCHEMA " +
		                  quote_ident(e.schema) + " CASCADE";
		if (try_ddl(spi, "extension \"" + e.name + "\"", sql, c.warnings))
			c.sum.extensions++;
	}
	spi.finish();
}

// Types, and the functions that column defaults, checks, domains or index
// expressions call (they must exist before the tables). Run as one list so
// that a domain checked by a function and a function taking a domain both
// work; function bodies are not validated here: the tables they may read
// come later.
void phase_types(Context &c) {
	std::vector<const catalog::FunctionDef *> early;
	for (const auto &f : c.plan.functions)
		if (f.needed_by_tables && f.kind != 'a')
			early.push_back(&f);
	if (c.plan.types.empty() && early.empty())
		return;
	begin_phase(c, "types");
	pg::Spi spi;
	std::vector<DdlItem> items = type_ddl_items(spi, c.plan.types, c.warnings);
	std::size_t n_types = items.size();
	phase_notice(c, "creating " + core::plural(n_types, "type", "types") +
	                    (early.empty() ? ""
	                                   : " and " + core::plural(early.size(), "function", "functions") +
	                                         " that the tables use"));
	for (const auto *f : early) {
		c.early_functions.insert(f->oid);
		if (prepare_function(spi, *f, schema_object_strategy(c), c.warnings))
			items.push_back(function_item(*f));
	}
	std::string old = set_check_function_bodies(spi, "off");
	DdlRun run = run_ddl(spi, items);
	set_check_function_bodies(spi, old);
	spi.finish();
	c.warnings += run.warnings;
	for (std::size_t i = 0; i < items.size(); i++)
		if (run.created[i])
			(i < n_types ? c.sum.types : c.sum.functions)++;
}

void phase_sequences(Context &c) {
	if (c.plan.sequences.empty())
		return;
	begin_phase(c, "sequences");
	phase_notice(c, "creating " + core::plural(c.plan.sequences.size(), "sequence", "sequences"));
	// A free sequence cannot fail for a reason a clone tolerates (its name
	// is free, its schema exists, its type is an integer type): all of them
	// in one SPI call, no subtransaction each.
	pg::Spi spi;
	std::vector<std::string> statements;
	uint64_t created = 0;
	for (const auto &s : c.plan.sequences) {
		if (!make_room(spi, s.seq.schema, s.seq.name, schema_object_strategy(c)))
			continue;
		std::string q = qualified_name(s.seq.schema, s.seq.name);
		statements.push_back("CREATE SEQUENCE " + q + " " + catalog::sequence_options_sql(s.seq));
		statements.push_back(core::setval_sql(q, s.seq.last_value, s.seq.is_called));
		if (s.comment)
			statements.push_back("COMMENT ON SEQUENCE " + q + " IS " + quote_literal(*s.comment));
		created++;
	}
	spi.exec_batch(statements);
	spi.finish();
	c.sum.sequences += created;
}

void start_tables(Context &c) {
	begin_phase(c, "tables");
	c.tables_started = std::chrono::steady_clock::now();
	phase_notice(c, "cloning " + core::plural(c.plan.tables.size(), "table", "tables"));
}

TableRequest table_request(const Context &c, const catalog::TableRef &t) {
	return schema_table_request(c.req, t);
}

// A table of the plan exists on the target now: remember what the later
// phases need (its foreign keys, triggers, whether to attach it). A table
// of an earlier run (resume) is not counted in this run's result.
void record_table(Context &c, const catalog::TableRef &t, TableOutcome &o, bool count = true) {
	c.cloned_tables.insert(key(t.schema, t.name));
	if (count) {
		c.sum.tables++;
		c.sum.sequences += c.owned_sequences[key(t.schema, t.name)];
	}
	c.sum.rows += o.rows;
	c.warnings += o.warnings;
	for (auto &fk : o.foreign_keys)
		c.foreign_keys.push_back({{fk.what, fk.sql}, t.depth});
	for (auto &tr : o.triggers)
		c.triggers.push_back({tr.what, tr.sql});
	if (t.is_partition && c.req.options.triggers)
		for (const auto &sql : t.local_triggers)
			c.triggers.push_back({"trigger of partition " + object_name(t.schema, t.name), sql});
}

void note_skipped(Context &c, const std::string &display) {
	c.sum.skipped_tables++;
	pg::notice("pgclone: " + display +
	           " already exists on the target; kept it (conflict strategy "
	           "\"skip\")");
}

TableOutcome clone_one_table(Context &c, const catalog::TableRef &t) {
	c.keeper.next_unit();
	TableOutcome o = clone_table_on(c.keeper.connection(), table_request(c, t), &c.plan.table_defs);
	if (o.skipped)
		note_skipped(c, o.display);
	else
		record_table(c, t, o);
	return o;
}

void phase_partitions(Context &c) {
	std::vector<const catalog::TableRef *> parts;
	for (const auto &t : c.plan.tables)
		if (t.is_partition && c.cloned_tables.count(key(t.schema, t.name)))
			parts.push_back(&t);
	if (parts.empty())
		return;
	begin_phase(c, "partitions");
	phase_notice(c, "attaching " + core::plural(parts.size(), "partition", "partitions"));
	pg::Spi spi;
	for (const auto *t : parts) {
		if (!relation_exists(spi, t->parent_schema, t->parent_name)) {
			pg::notice("pgclone: partition " + core::display_name(t->schema, t->name) +
			           " stays a table of its own: its parent " +
			           core::display_name(t->parent_schema, t->parent_name) + " is not on the target");
			continue;
		}
		try_ddl(spi, "partition " + object_name(t->schema, t->name),
		        "ALTER TABLE " + qualified_name(t->parent_schema, t->parent_name) + " ATTACH PARTITION " +
		            qualified_name(t->schema, t->name) + " " + t->partition_bound,
		        c.warnings);
	}
	spi.finish();
}

void phase_foreign_keys(Context &c) {
	if (c.foreign_keys.empty())
		return;
	begin_phase(c, "foreign keys");
	phase_notice(c, "creating " + core::plural(c.foreign_keys.size(), "foreign key", "foreign keys"));
	// Partitions before their parents: the parent's key then adopts the
	// partitions' identical keys instead of clashing with them.
	std::stable_sort(c.foreign_keys.begin(), c.foreign_keys.end(),
	                 [](const Deferred &a, const Deferred &b) { return a.depth > b.depth; });
	pg::Spi spi;
	for (const auto &fk : c.foreign_keys)
		try_ddl(spi, fk.stmt.what, fk.stmt.sql, c.warnings);
	spi.finish();
}

// Views and materialized views in dependency order (views first where the
// order is free), then functions and procedures. One run with retries: a
// view that calls a function, or a SQL function that reads a view, is
// created once what it needs exists.
void phase_views_and_functions(Context &c) {
	std::vector<const catalog::FunctionDef *> funcs;
	for (const auto &f : c.plan.functions) {
		if (c.early_functions.count(f.oid))
			continue;
		if (f.kind == 'a') {
			c.warnings++;
			pg::warning("pgclone: skipped aggregate " + object_name(f.schema, f.name) + "(" +
			                f.identity_args + ")",
			            "pgclone does not clone aggregate functions.");
			continue;
		}
		funcs.push_back(&f);
	}
	if (c.plan.views.empty() && funcs.empty())
		return;
	begin_phase(c, "views");
	std::size_t n_views = 0, n_matviews = 0;
	for (const auto &v : c.plan.views)
		(v.relkind == 'm' ? n_matviews : n_views)++;
	if (!c.req.functions_only)
		phase_notice(c, "creating " + core::plural(n_views, "view", "views") + ", " +
		                    core::plural(n_matviews, "materialized view", "materialized views") + " and " +
		                    core::plural(funcs.size(), "function", "functions"));
	else
		phase_notice(c, "creating " + core::plural(funcs.size(), "function", "functions"));

	pg::Spi spi;
	std::map<std::string, std::size_t> index;
	for (std::size_t i = 0; i < c.plan.views.size(); i++)
		index[c.plan.views[i].oid] = i;
	std::vector<core::OrderNode> nodes(c.plan.views.size());
	for (std::size_t i = 0; i < c.plan.views.size(); i++) {
		nodes[i].rank = c.plan.views[i].relkind == 'm' ? 1 : 0;
		for (const auto &d : c.plan.views[i].deps) {
			auto it = index.find(d);
			if (it != index.end())
				nodes[i].deps.push_back(it->second);
		}
	}
	std::vector<DdlItem> items;
	std::vector<char> kinds; // v, m, f
	for (std::size_t i : core::dependency_order(nodes)) {
		const auto &v = c.plan.views[i];
		if (!make_room(spi, v.schema, v.name, c.req.options.conflict))
			continue;
		items.push_back(view_item(v, c.req));
		kinds.push_back(v.relkind);
	}
	for (const auto *f : funcs) {
		if (!prepare_function(spi, *f, c.req.options.conflict, c.warnings))
			continue;
		items.push_back(function_item(*f));
		kinds.push_back('f');
	}
	DdlRun run = run_ddl(spi, items);
	spi.finish();
	c.warnings += run.warnings;
	for (std::size_t i = 0; i < items.size(); i++)
		if (run.created[i])
			(kinds[i] == 'v' ? c.sum.views : kinds[i] == 'm' ? c.sum.matviews : c.sum.functions)++;
}

void phase_triggers(Context &c) {
	for (const auto &t : c.plan.view_triggers)
		c.triggers.push_back(t);
	if (c.triggers.empty())
		return;
	begin_phase(c, "triggers");
	phase_notice(c, "creating " + core::plural(c.triggers.size(), "trigger", "triggers"));
	pg::Spi spi;
	for (const auto &t : c.triggers)
		if (try_ddl(spi, t.what, t.sql, c.warnings))
			c.sum.triggers++;
	spi.finish();
}

// Owners and ACLs of what this clone created (docs/SECURITY.md "Privileges").
void phase_privileges(Context &c) {
	std::vector<catalog::ObjectPrivileges> objects;
	for (const auto &o : c.plan.privileges) {
		std::string k = privilege_key(o);
		if (!c.plan_objects.count(k) || c.preexisting.count(k))
			continue;
		// A table of the plan left out (conflict "skip") is not this clone's.
		if (o.kind == "table" && !c.cloned_tables.count(key(o.schema, o.name)))
			continue;
		objects.push_back(o);
	}
	if (objects.empty())
		return;
	begin_phase(c, "privileges");
	pg::Spi spi;
	c.warnings += apply_privileges(spi, objects, c.req.options);
	spi.finish();
}

void warn_foreign_tables(Context &c) {
	for (const auto &f : c.plan.foreign_tables) {
		c.warnings++;
		pg::warning("pgclone: skipped foreign table " + f,
		            "pgclone does not clone foreign tables: their rows live on another server.");
	}
}

} // namespace

TableRequest schema_table_request(const MultiCloneRequest &req, const catalog::TableRef &t) {
	TableRequest r;
	r.schema = t.schema;
	r.table = t.name;
	// A partitioned table holds no rows of its own: they come with its
	// partitions, each cloned as a table and attached afterwards.
	r.include_data = req.include_data && t.relkind != 'p';
	r.options = req.options;
	// "masks" stays: the table clone resolves it, a partition's through its
	// ancestors, which it reads with the table (also in pool workers).
	r.options.tables.clear();
	r.options.exclude_tables.clear();
	r.options.parallel = 1;
	// A partition's copies of its parent's triggers come back when the
	// parent's trigger is created; only its own are cloned.
	if (t.is_partition)
		r.options.triggers = false;
	r.defer_foreign_keys = true;
	r.defer_triggers = true;
	r.create_partitions = false; // each partition is a table of the plan
	r.source_oid = t.oid;
	r.notice_every_table = false;
	return r;
}

struct SchemaRun::State {
	State(const MultiCloneRequest &r, snapshot::Keeper &k)
	    : c(r, k), started(std::chrono::steady_clock::now()) {}
	Context c;
	std::chrono::steady_clock::time_point started;
};

SchemaRun::SchemaRun(const MultiCloneRequest &req, snapshot::Keeper &keeper)
    : s_(std::make_unique<State>(req, keeper)) {
	core::check_multi_table_options(req.options, req.function_name);
}

SchemaRun::~SchemaRun() = default;

void SchemaRun::on_phase(std::function<void(const std::string &)> observer) {
	s_->c.observer = std::move(observer);
}

void SchemaRun::resume_after(std::set<std::pair<std::string, std::string>> done_before) {
	s_->c.resumed = true;
	for (const auto &[schema, table] : done_before)
		s_->c.done_before.insert(key(schema, table));
}

void SchemaRun::read_plan() {
	clone::read_plan(s_->c);
}

void SchemaRun::check_conflicts() {
	clone::check_conflicts(s_->c);
}

void SchemaRun::create_schema_objects() {
	Context &c = s_->c;
	phase_schemas(c);
	if (!c.req.functions_only) {
		phase_extensions(c);
		phase_types(c);
		phase_sequences(c);
	}
}

std::size_t SchemaRun::table_count() const {
	return s_->c.req.functions_only ? 0 : s_->c.plan.tables.size();
}

const catalog::TableRef &SchemaRun::table(std::size_t i) const {
	return s_->c.plan.tables.at(i);
}

bool SchemaRun::done_before(std::size_t i) const {
	const auto &t = table(i);
	return s_->c.done_before.count(key(t.schema, t.name)) > 0;
}

TableRequest SchemaRun::table_request(std::size_t i) const {
	return clone::table_request(s_->c, table(i));
}

void SchemaRun::prepare_tables_for_pool() {
	Context &c = s_->c;
	auto strategy = c.req.options.conflict;
	bool make_room =
	    strategy == core::ConflictStrategy::Replace || strategy == core::ConflictStrategy::Rename;
	pg::Spi spi;
	for (std::size_t i = 0; i < table_count(); i++) {
		if (done_before(i))
			continue;
		const auto &t = table(i);
		if (make_room)
			make_room_for_table(spi, t.schema, t.name, strategy);
		if (const catalog::SourceTable *def = c.plan.table_defs.find(t.oid))
			ensure_types(spi, c.plan.table_defs.types_of(*def), c.warnings);
	}
	spi.finish();
}

void SchemaRun::start_tables() {
	if (!s_->c.req.functions_only)
		clone::start_tables(s_->c);
}

TableOutcome SchemaRun::clone_table(std::size_t i) {
	return clone_one_table(s_->c, table(i));
}

void SchemaRun::adopt_table(std::size_t i, bool earlier_run) {
	Context &c = s_->c;
	const auto &t = table(i);
	c.keeper.next_unit();
	TableOutcome o =
	    deferred_statements(c.keeper.connection(), clone::table_request(c, t), &c.plan.table_defs);
	record_table(c, t, o, !earlier_run);
}

void SchemaRun::add_counts(uint64_t rows, int warnings) {
	s_->c.sum.rows += rows;
	s_->c.warnings += warnings;
}

void SchemaRun::skip_table(std::size_t i) {
	const auto &t = table(i);
	note_skipped(s_->c, core::display_name(t.schema, t.name));
}

void SchemaRun::create_dependent_objects() {
	Context &c = s_->c;
	if (!c.req.functions_only) {
		double took =
		    std::chrono::duration<double>(std::chrono::steady_clock::now() - c.tables_started).count();
		phase_notice(c, "cloned " + core::plural(c.sum.tables, "table", "tables") + " (" +
		                    core::plural(c.sum.rows, "row", "rows") + ") in " + core::format_fixed(took, 2) +
		                    " s");
		phase_partitions(c);
		phase_foreign_keys(c);
	}
	phase_views_and_functions(c);
	if (!c.req.functions_only) {
		phase_triggers(c);
		warn_foreign_tables(c);
	}
	phase_privileges(c);
}

std::string SchemaRun::finish() {
	Context &c = s_->c;
	c.keeper.close();
	c.sum.warnings = static_cast<uint64_t>(c.warnings);
	c.sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - s_->started).count();
	if (c.req.functions_only)
		return core::functions_summary_text(c.req.schemas.at(0), c.sum);
	return core::summary_text(c.subject, c.sum);
}

std::string clone_many(const MultiCloneRequest &req) {
	core::check_multi_table_options(req.options, req.function_name);
	return as_role(req.options.run_as, [&] {
		// Connecting first: a source that cannot be reached fails the clone
		// before anything is created.
		snapshot::Keeper keeper =
		    snapshot::Keeper::open(req.conninfo, req.options.consistent, req.options.snapshot_id);
		SchemaRun run(req, keeper);
		run.read_plan();
		run.check_conflicts();
		run.create_schema_objects();
		run.start_tables();
		for (std::size_t i = 0; i < run.table_count(); i++)
			run.clone_table(i);
		run.create_dependent_objects();
		return run.finish();
	});
}

} // namespace pgclone::clone
