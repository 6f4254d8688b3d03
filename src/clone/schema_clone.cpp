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

#include "pgclone/catalog/plan_read_ahead.hpp"
#include "pgclone/catalog/schema_reader.hpp"
#include "pgclone/catalog/sequence_positions.hpp"
#include "pgclone/catalog/table_plan.hpp"
#include "pgclone/catalog/aggregate_reader.hpp"
#include "pgclone/catalog/operator_reader.hpp"
#include "pgclone/catalog/default_acl_reader.hpp"
#include "pgclone/catalog/extension_config_reader.hpp"
#include "pgclone/catalog/privilege_reader.hpp"
#include "pgclone/catalog/table_settings_reader.hpp"
#include "pgclone/catalog/text_object_reader.hpp"
#include "pgclone/clone/ddl_runner.hpp"
#include "pgclone/clone/default_privileges.hpp"
#include "pgclone/clone/extension_config.hpp"
#include "pgclone/clone/functions.hpp"
#include "pgclone/clone/large_objects.hpp"
#include "pgclone/clone/privileges.hpp"
#include "pgclone/clone/copy_ahead.hpp"
#include "pgclone/clone/schema_clone.hpp"
#include "pgclone/clone/run_as.hpp"
#include "pgclone/clone/schema_run.hpp"
#include "pgclone/clone/subset.hpp"
#include "pgclone/clone/table_clone.hpp"
#include "pgclone/clone/table_settings.hpp"
#include "pgclone/clone/target.hpp"
#include "pgclone/clone/target_schema.hpp"
#include "pgclone/clone/operators.hpp"
#include "pgclone/clone/text_objects.hpp"
#include "pgclone/clone/types.hpp"
#include "pgclone/core/copy_batch.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/dry_run.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/options.hpp"
#include "pgclone/core/partition_trees.hpp"
#include "pgclone/core/read_ahead.hpp"
#include "pgclone/core/rewrite.hpp"
#include "pgclone/core/schema_plan.hpp"
#include "pgclone/core/subset.hpp"
#include "pgclone/core/text.hpp"
#include "pgclone/copy/source_masks.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/spi.hpp"
#include "pgclone/progress/board.hpp"
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
	std::vector<core::TextObjectDef> text_objects; // collations, text search objects
	catalog::OperatorObjects operators;            // operators, their classes and families, casts
	std::vector<catalog::SequenceDef> sequences; // the ones not created by their table's clone
	std::vector<catalog::TableRef> tables;
	std::vector<std::string> foreign_tables;
	std::vector<catalog::ViewDef> views; // views and materialized views
	std::vector<catalog::FunctionDef> functions;
	std::map<std::string, core::AggregateDef> aggregates; // by oid (functions of kind 'a')
	std::vector<catalog::StatementDef> view_triggers;
	std::vector<catalog::ObjectPrivileges> privileges; // owners and ACLs of the schemas' objects
	// The definitions of `tables` (columns, constraints, indexes, ...), read
	// per object kind for all of them at once.
	catalog::TablePlan table_defs;
};

struct Deferred {
	catalog::StatementDef stmt;
	int depth; // partition depth of the table it belongs to
	bool must_succeed = false; // DeferredStatement::must_succeed
};

struct Context {
	Context(const MultiCloneRequest &r, snapshot::Keeper &k)
	    : req(r), keeper(k), subject(r.database ? "database" : "schema " + r.schemas.at(0)),
	      move(r.database ? SchemaMove{} : schema_move(r.schemas.at(0), r.options)) {}

	const MultiCloneRequest &req;
	snapshot::Keeper &keeper;
	std::string subject; // "schema test_schema", "database"
	SchemaMove move;     // option "target_schema"
	SourcePlan plan;
	core::CloneSummary sum;
	int warnings = 0;
	std::set<std::string> cloned_tables; // "schema\x1ftable" of tables created by this clone
	std::vector<Deferred> foreign_keys;
	std::vector<catalog::StatementDef> triggers;
	std::vector<const catalog::ViewDef *> matviews_to_fill; // created empty, filled last
	Dependents dropped; // what "replace" dropped with the replaced relations
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
	// Options "where" (an object) / "sample": the rows each table keeps,
	// found under the clone's snapshot before the first table; and the rows
	// each of those tables' copies brought (by source oid), for the result.
	std::optional<Subset> subset;
	std::map<std::string, uint64_t> subset_rows;
	// Partitions the cheap way (TableRequest::attach_sql): set by a
	// synchronous clone, whose tables are cloned in this session, parents
	// first, in one transaction, and by an async job for the partition trees
	// it clones in one transaction of their own (begin_partition_trees; a
	// job commits other tables one by one and may resume: a partitioned
	// table committed without its indexes would lose them). The partitioned
	// tables cloned with their indexes held back, those indexes (with the
	// table's partition depth), the partitions attached at creation, and
	// those attached later (phase_partitions may run twice in a job).
	bool attach_early = false;
	// How SchemaRun::read_plan reads the definitions (whole for a dry run).
	// ahead: on a second session (start_read_ahead), taken as the tables
	// phase reaches them (take_definitions), the rest before the phases
	// after it. decisions_first: only the kinds a parallel
	// job decides with, until complete_definitions.
	SchemaRun::PlanRead plan_read = SchemaRun::PlanRead::whole;
	std::optional<catalog::PlanReadAhead> plan_ahead;
	// The settings of every table of the plan, read by plan_ahead (which
	// ends before the table settings phase); nullopt: read in that phase.
	std::optional<std::map<std::string, core::TableSettings>> settings_read_ahead;
	bool definitions_partial = false;
	// The COPYs of the next small tables, sent in one message (a synchronous
	// clone: SchemaRun::send_copies_ahead).
	std::optional<CopyAhead> copy_ahead;
	std::set<std::string> deferred_parents;
	std::vector<Deferred> partitioned_indexes;
	std::set<std::string> attached_early;
	std::set<std::string> attached_late;
	// The conflicts and extension members of the plan were checked in the
	// transaction that creates the tables (a synchronous clone): a table
	// clone need not check its own name again (TableRequest::target_checked).
	bool checked_in_transaction = false;
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

// A column's privileges go with its relation.
std::string privilege_key(const catalog::ObjectPrivileges &o) {
	return privilege_key(privilege_kind(o), o.schema, o.name, o.kind == "column" ? std::string() : o.args);
}

// One NOTICE per phase, with its counts and the time since the clone
// began: the differences between them say where the time went.
void phase_notice(Context &c, const std::string &text) {
	double at = std::chrono::duration<double>(std::chrono::steady_clock::now() - c.started).count();
	pg::notice("pgclone: " + c.subject + ": " + text + " (at " + core::format_fixed(at, 2) + " s)");
}

// Before a phase: the keeper is alive (it answered within the last second,
// or a ping), and (consistent = false) a fresh transaction for the phase.
void begin_phase(Context &c, const std::string &phase) {
	if (c.observer)
		c.observer(phase);
	progress::set_phase(phase);
	c.keeper.ping_before(phase);
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
	copy::check_require_masks(c.keeper.connection(), oids, o.masks ? &*o.masks : nullptr);
}

// A schema or database clone never targets a system schema, pgclone's own
// schema or an extension's: a schema clone refuses one before reading the
// source; a database clone leaves it out with a WARNING.
void protect_schemas(Context &c) {
	pg::Spi spi;
	if (!c.req.database) {
		for (const auto &s : c.req.schemas)
			refuse_protected_schema(spi, c.move.map(s), c.req.function_name);
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
		            "On the target it is a system schema or belongs to an extension; a clone never creates, replaces or drops objects there.");
	}
	c.plan.schemas = std::move(kept);
	spi.finish();
}

// Option "target_schema": the plan's objects become objects of the target
// schema (tables keep their source names: their definitions, read with the
// plan, are moved by each table clone). The source printed the names of the
// source schema unqualified (follow_source_schema); only the names pgclone
// writes itself move here. A statement of an unexpected shape is left out
// with a WARNING, never created in the source schema's name.
void move_plan(Context &c, const std::string &source_schema_q) {
	if (!c.move.active())
		return;
	const std::string to_q = quote_ident(c.move.to);
	auto unexpected = [&](const std::string &what, const std::string &sql) {
		c.warnings++;
		pg::warning("pgclone: skipped " + what, "Its definition has an unexpected form: " + sql);
	};
	for (auto &s : c.plan.schemas)
		s.name = c.move.map(s.name);
	move_types(c.plan.types, c.move, c.warnings);
	move_operator_objects(c.plan.operators, c.move);
	move_text_objects(c.plan.text_objects, c.move);
	for (auto &s : c.plan.sequences)
		s.seq.schema = c.move.map(s.seq.schema);
	for (auto &v : c.plan.views) {
		std::vector<std::string> indexes;
		for (const auto &ix : v.indexes) {
			if (auto sql = core::retarget_on_schema(ix, source_schema_q, to_q))
				indexes.push_back(*sql);
			else
				unexpected("an index of " + object_name(v.schema, v.name), ix);
		}
		v.indexes = std::move(indexes);
		v.schema = c.move.map(v.schema);
	}
	std::vector<catalog::FunctionDef> functions;
	for (auto &f : c.plan.functions) {
		if (f.kind != 'a') {
			auto sql = core::retarget_created_schema(f.create_sql, source_schema_q, to_q);
			if (!sql) {
				unexpected("function " + object_name(f.schema, f.name) + "(" + f.identity_args + ")",
				           f.create_sql);
				continue;
			}
			f.create_sql = *sql;
		}
		f.schema = c.move.map(f.schema);
		functions.push_back(std::move(f));
	}
	c.plan.functions = std::move(functions);
	// An aggregate and the functions and sort operator it names (pgclone
	// writes these names itself).
	for (auto &[oid, a] : c.plan.aggregates) {
		a.schema = c.move.map(a.schema);
		a.transfn.schema = c.move.map(a.transfn.schema);
		for (auto *fn : {&a.finalfn, &a.combinefn, &a.serialfn, &a.deserialfn, &a.mtransfn, &a.minvtransfn,
		                 &a.mfinalfn, &a.sortop})
			if (*fn)
				(*fn)->schema = c.move.map((*fn)->schema);
	}
	std::vector<catalog::StatementDef> triggers;
	for (auto &t : c.plan.view_triggers) {
		if (auto sql = core::retarget_on_schema(t.sql, source_schema_q, to_q))
			triggers.push_back({t.what, *sql});
		else
			unexpected(t.what, t.sql);
	}
	c.plan.view_triggers = std::move(triggers);
}

// Reading ahead (core::reads_ahead) is for a clone of many tables. Not for a
// subset clone, which follows the keys of every table before the first,
// nor when a table is an inheritance child: the tables are ordered after
// their parents from the definitions.
bool reads_ahead(const Context &c) {
	if (c.plan_read != SchemaRun::PlanRead::ahead || core::is_subset_clone(c.req.options) ||
	    !core::reads_ahead(c.plan.tables.size()))
		return false;
	for (const auto &t : c.plan.tables)
		if (t.inherits)
			return false;
	return true;
}

// The second session, under the clone's snapshot, reading the definitions
// of every table of the plan (reads_ahead) from the moment the plan knows its
// tables: the clone's own session reads the rest of the plan meanwhile, so
// the first tables' definitions are in when the tables phase begins. A source
// that refuses it (max_connections reached, a pooler's limit) costs only the
// overlap: read_table_definitions then reads them on the keeper.
void start_read_ahead(Context &c) {
	if (!reads_ahead(c))
		return;
	std::optional<libpq::Connection> session;
	try {
		session.emplace(c.keeper.open_companion());
	} catch (const core::Error &e) {
		// The message names the server, never the conninfo's secrets
		// (libpq::Connection scrubs them).
		pg::notice(std::string("pgclone: ") + c.subject +
		           ": a second source session for the table definitions was refused, so they are read first: " +
		           core::printable(std::string(e.what()) + (e.detail().empty() ? "" : ": " + e.detail()), 300));
		return;
	}
	// It prints the definitions as the keeper does: with a schema move, the
	// names of the source schema unqualified (target_schema.hpp).
	follow_source_schema(*session, c.move);
	std::vector<std::string> oids;
	for (const auto &t : c.plan.tables)
		oids.push_back(t.oid);
	c.plan_ahead.emplace(std::move(*session), oids, c.plan.names);
}

// The plan's size for pgclone.clone_progress: all its tables, and the bytes
// of those whose definitions are read (more as the read-ahead comes in).
void set_progress_plan(const Context &c) {
	uint64_t bytes = 0;
	for (const auto &t : c.plan.tables)
		if (const catalog::SourceTable *def = c.plan.table_defs.find(t.oid))
			bytes += def->estimate.bytes;
	progress::set_plan(static_cast<int>(c.plan.tables.size()), bytes);
}

// Before table oid is cloned: its definition, from the read-ahead when it
// has not come in yet; and what else has arrived is read off the socket.
void take_definitions(Context &c, const std::string &oid) {
	if (!c.plan_ahead)
		return;
	if (!c.plan_ahead->pending(oid)) {
		c.plan_ahead->pump();
		return;
	}
	while (c.plan_ahead->pending(oid))
		c.plan_ahead->take_next(c.plan.table_defs, c.keeper.connection());
	set_progress_plan(c);
}

// Every definition, before the phases that look tables up in any order.
void finish_read_ahead(Context &c) {
	if (!c.plan_ahead)
		return;
	c.plan_ahead->finish(c.plan.table_defs, c.keeper.connection());
	c.settings_read_ahead = c.plan_ahead->take_settings();
	c.plan_ahead.reset();
	set_progress_plan(c);
}

// The definitions of every table of the plan, one query per object kind
// (unless start_read_ahead reads them). Partitions are tables of the plan, so
// no partition tree is read.
void read_table_definitions(Context &c) {
	if (c.plan_ahead) {
		phase_notice(c, "the definitions of " + core::plural(c.plan.tables.size(), "table", "tables") +
		                    " are read on a second session while they are cloned");
		return;
	}
	const auto started = std::chrono::steady_clock::now();
	std::vector<std::string> oids;
	for (const auto &t : c.plan.tables)
		oids.push_back(t.oid);
	catalog::TablePlanScope scope;
	scope.partition_trees = false;
	if (c.plan_read == SchemaRun::PlanRead::decisions_first && !core::is_subset_clone(c.req.options)) {
		scope.whole = false;
		c.definitions_partial = true;
	}
	c.plan.table_defs = catalog::read_table_plan(c.keeper.connection(), oids, scope);
	set_progress_plan(c);
	// An inheritance child after its parents of the plan (otherwise in the
	// plan's order), so that it can be created with INHERITS.
	std::map<std::pair<std::string, std::string>, std::size_t> at;
	for (std::size_t i = 0; i < c.plan.tables.size(); i++)
		at[{c.plan.tables[i].schema, c.plan.tables[i].name}] = i;
	std::vector<catalog::TableRef> ordered;
	std::vector<bool> seen(c.plan.tables.size(), false);
	std::function<void(std::size_t)> place = [&](std::size_t i) {
		if (seen[i])
			return;
		seen[i] = true;
		if (const catalog::SourceTable *def = c.plan.table_defs.find(c.plan.tables[i].oid))
			for (const auto &parent : def->parents)
				if (auto it = at.find(parent); it != at.end())
					place(it->second);
		ordered.push_back(c.plan.tables[i]);
	};
	for (std::size_t i = 0; i < c.plan.tables.size(); i++)
		place(i);
	c.plan.tables = std::move(ordered);
	double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
	phase_notice(c, "read the definitions of " + core::plural(oids.size(), "table", "tables") + " in " +
	                    core::format_fixed(took, 2) + " s");
}

// Subset clones: which rows each table keeps, before the first table. The
// rows are read on the source as they are (masks apply later, to the
// copies), in the clone's snapshot.
void find_subset_rows(Context &c) {
	const auto &o = c.req.options;
	if (!core::is_subset_clone(o) || !c.req.include_data)
		return;
	c.subset = find_subset(c.keeper.connection(), o, c.plan.tables, c.plan.table_defs);
	const Subset &s = *c.subset;
	auto partial = s.partial();
	phase_notice(c, std::string("subset (") + core::to_string(s.mode) + "): rows found for " +
	                    core::plural(partial.size(), "table", "tables") + ", " +
	                    core::plural(s.keys_followed, "foreign key", "foreign keys") + " followed, in " +
	                    core::format_fixed(s.seconds, 2) + " s");
	for (const TableSubset *t : partial) {
		// A filter without keys to follow is the copy's own condition: its
		// rows are counted by the copy.
		if (t->whole())
			pg::notice("pgclone: " + c.subject + ": subset: " + core::subset_filtered_table_text(t->display, t->estimate));
		else
			pg::notice("pgclone: " + c.subject + ": subset: " + core::subset_table_text(t->display, t->counts()));
	}
}

void read_plan(Context &c) {
	auto &src = c.keeper.connection();
	const auto &o = c.req.options;
	const std::string source_schema_q = follow_source_schema(src, c.move);
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
	if (c.req.functions_only) {
		c.plan.privileges = catalog::read_privileges(src, c.plan.names);
		c.plan.functions = catalog::read_functions(src, c.plan.names);
		c.plan.aggregates = catalog::read_aggregates(src, c.plan.names);
		for (const auto &f : c.plan.functions)
			c.plan_objects.insert(privilege_key('f', f.schema, f.name, f.identity_args));
		move_plan(c, source_schema_q);
		return;
	}
	for (const auto &n : c.plan.names)
		c.plan_objects.insert(privilege_key('n', n));
	if (c.req.database)
		c.plan.extensions = catalog::read_extensions(src);
	c.plan.types = catalog::read_types(src, c.plan.names);
	c.plan.tables = catalog::read_tables(src, c.plan.names, o.tables, o.exclude_tables);
	start_read_ahead(c);
	// With a second session the privileges come first in its queue (taken
	// below, once the plan is read).
	if (!c.plan_ahead)
		c.plan.privileges = catalog::read_privileges(src, c.plan.names);
	std::vector<std::string> table_oids;
	for (const auto &t : c.plan.tables)
		table_oids.push_back(t.oid);
	c.plan.text_objects = catalog::read_text_objects(src, c.plan.names, table_oids);
	c.plan.operators = catalog::read_operator_objects(src, c.plan.names, c.req.database);
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
	c.plan.aggregates = catalog::read_aggregates(src, c.plan.names);
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
	move_plan(c, source_schema_q);
	if (c.plan_ahead)
		c.plan.privileges = c.plan_ahead->take_privileges();
	read_table_definitions(c);
	find_subset_rows(c);
}

// --- conflicts ------------------------------------------------------------------

std::optional<char> target_relkind(pg::Spi &spi, const std::string &schema, const std::string &name) {
	if (!relation_exists(schema, name)) // the syscache; asked for every table of the plan
		return std::nullopt;
	auto v = spi.query_value(R"sql(SELECT c.relkind FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2)sql",
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

[[noreturn]] void conflict_error(const MultiCloneRequest &req, const std::string &what,
                                 const char *sqlstate) {
	throw core::Error(
	    what + " already exists on the target", sqlstate,
	    req.function_name + "() found it before changing anything.",
	    "Pass {\"conflict\": \"skip\"}, {\"conflict\": \"replace\"} or {\"conflict\": \"rename\"} in the options to choose what happens to existing objects.");
}

// An existing object of an extension is never replaced, renamed or
// dropped: a clone that would do so (any strategy but "skip") is refused
// before anything is created.
void check_extension_members(Context &c) {
	if (c.req.options.conflict == core::ConflictStrategy::Skip || c.resumed)
		return;
	pg::Spi spi;
	for (const auto &t : c.plan.tables)
		refuse_extension_member(spi, "relation", c.move.map(t.schema), t.name);
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
		const std::string &schema = c.move.map(o.schema);
		bool exists = false;
		if (kind == 'n')
			exists = schema_exists(schema);
		else if (!skip)
			continue;
		else if (kind == 'r')
			exists = relation_exists(schema, o.name);
		else if (kind == 't')
			exists = spi.query_value(R"sql(SELECT 1 FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = $1 AND t.typname = $2)sql",
			                         {schema, o.name})
			             .has_value();
		else
			exists = spi.query_value(R"sql(SELECT 1 FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = $1 AND p.proname = $2
AND pg_catalog.pg_get_function_identity_arguments(p.oid) = $3)sql",
			                         {schema, o.name, o.args})
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
			relation(c.move.map(t.schema), t.name);
	if (!c.resumed)
		for (const auto &s : c.plan.sequences)
			relation(s.seq.schema, s.seq.name);
	for (const auto &v : c.plan.views)
		relation(v.schema, v.name);
	for (const auto &f : c.plan.functions)
		if (f.kind != 'a' && !(c.resumed && f.needed_by_tables) && function_exists(spi, f))
			conflict_error(c.req, "function " + object_name(f.schema, f.name) + "(" + f.identity_args + ")",
			               core::sqlstate::duplicate_function);
	spi.finish();
}

// For a sequence, view or materialized view about to be created: applies
// the conflict strategy to an existing relation of that name. Returns false
// when the object is to be left alone (strategy "skip"). What a "replace"
// drops with it goes into dropped.
bool make_room(pg::Spi &spi, const std::string &schema, const std::string &name, core::ConflictStrategy s,
               Dependents &dropped) {
	auto kind = target_relkind(spi, schema, name);
	if (!kind)
		return true;
	std::string q = qualified_name(schema, name);
	switch (s) {
	case core::ConflictStrategy::Skip:
		return false;
	case core::ConflictStrategy::Replace:
		dropped.add(read_dependents(spi, schema, name));
		spi.exec(std::string("DROP ") + relkind_word(*kind) + " " + q + " CASCADE");
		return true;
	case core::ConflictStrategy::Rename: {
		// Its indexes (a materialized view's) move out of the way too: the
		// new object's indexes take their names.
		auto indexes = spi.query(R"sql(SELECT ic.relname FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
WHERE i.indrelid = pg_catalog.to_regclass($1)::pg_catalog.oid)sql",
		                         {q});
		spi.exec(std::string("ALTER ") + relkind_word(*kind) + " " + q + " RENAME TO " +
		         quote_ident(free_relation_name(schema, name + "_old")));
		for (const auto &row : indexes)
			spi.exec("ALTER INDEX " + qualified_name(schema, *row[0]) + " RENAME TO " +
			         quote_ident(free_relation_name(schema, *row[0] + "_old")));
		return true;
	}
	case core::ConflictStrategy::Error:
		break;
	}
	return true; // checked up front
}

// tablespace: the materialized view's, when the target has it.
DdlItem view_item(const catalog::ViewDef &v, const MultiCloneRequest &req, const std::optional<std::string> &tablespace) {
	std::string q = qualified_name(v.schema, v.name);
	bool mat = v.relkind == 'm';
	std::string with = v.reloptions.empty() ? "" : " WITH (" + v.reloptions + ")";
	if (mat && tablespace)
		with += " TABLESPACE " + quote_ident(*tablespace);
	DdlItem item;
	item.what = std::string(mat ? "materialized view " : "view ") + object_name(v.schema, v.name);
	if (mat)
		// Filled at the end (phase_fill_matviews), as pg_restore does: its
		// query may read what later phases add (inheritance links,
		// policies, other materialized views).
		item.create = "CREATE MATERIALIZED VIEW " + q + with + " AS " + v.query + " WITH NO DATA";
	else
		item.create = "CREATE VIEW " + q + with + " AS " + v.query;
	const char *word = mat ? "MATERIALIZED VIEW " : "VIEW ";
	item.then_kinds = pg::comment_statement | pg::create_index_statement; // its indexes: pg_get_indexdef()
	if (v.comment)
		item.then.push_back(std::string("COMMENT ON ") + word + q + " IS " + quote_literal(*v.comment));
	for (const auto &[col, text] : v.column_comments)
		item.then.push_back("COMMENT ON COLUMN " + q + "." + quote_ident(col) + " IS " + quote_literal(text));
	if (mat && req.options.indexes)
		for (const auto &ix : v.indexes)
			item.then.push_back(ix);
	return item;
}

// Applies the conflict strategy to an existing function of the same
// signature (one another role made is refused whatever the strategy).
// Returns false when it is to be kept (strategy "skip").
// "replace" needs nothing: pg_get_functiondef() says CREATE OR REPLACE.
bool prepare_function(pg::Spi &spi, const catalog::FunctionDef &f, core::ConflictStrategy s, int &warnings) {
	refuse_foreign_routine(spi, f);
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
	std::vector<std::string> created; // their configuration rows come along
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
		if (try_ddl(spi, "extension \"" + e.name + "\"", sql, c.warnings)) {
			c.sum.extensions++;
			created.push_back(e.name);
		}
	}
	spi.finish();
	if (c.req.include_data)
		c.sum.rows += copy_extension_config(c.keeper.connection(),
		                                    catalog::read_extension_config(c.keeper.connection(), created));
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
	if (c.plan.types.empty() && early.empty() && c.plan.text_objects.empty() && c.plan.operators.empty())
		return;
	begin_phase(c, "types");
	pg::Spi spi;
	// Collations and text search objects first: types and tables use them.
	std::vector<DdlItem> items = text_object_ddl_items(spi, c.plan.text_objects);
	const std::size_t n_text = items.size();
	std::size_t kept = 0;
	for (auto &t : type_ddl_items(spi, c.plan.types, c.warnings, &kept))
		items.push_back(std::move(t));
	c.sum.kept_types += kept;
	std::size_t n_types = items.size() - n_text;
	phase_notice(c, "creating " + core::plural(n_types, "type", "types") +
	                    (early.empty() ? ""
	                                   : " and " + core::plural(early.size(), "function", "functions") +
	                                         " that the tables use"));
	for (const auto *f : early) {
		c.early_functions.insert(f->oid);
		if (prepare_function(spi, *f, schema_object_strategy(c), c.warnings))
			items.push_back(function_item(*f));
		else
			c.sum.kept_functions++;
	}
	// Operators, their families and classes, casts: after the functions
	// they are built from, before the tables whose indexes use them.
	const std::size_t n_before_operators = items.size();
	for (auto &o : operator_ddl_items(spi, c.plan.operators))
		items.push_back(std::move(o));
	if (items.size() > n_before_operators)
		phase_notice(c, "creating " + core::plural(items.size() - n_before_operators, "operator object",
		                                           "operator objects") +
		                    " (operators, operator families and classes, casts)");
	std::string old = set_check_function_bodies("off");
	DdlRun run = run_ddl(spi, items);
	set_check_function_bodies(old);
	spi.finish();
	c.warnings += run.warnings;
	for (std::size_t i = n_text; i < n_before_operators; i++)
		if (run.created[i])
			(i < n_text + n_types ? c.sum.types : c.sum.functions)++;
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
		if (!make_room(spi, s.seq.schema, s.seq.name, schema_object_strategy(c), c.dropped)) {
			c.sum.kept_sequences++;
			continue;
		}
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

// ALTER TABLE parent ATTACH PARTITION t, on the target's names.
std::string attach_partition_sql(const Context &c, const catalog::TableRef &t) {
	return "ALTER TABLE " + qualified_name(c.move.map(t.parent_schema), t.parent_name) + " ATTACH PARTITION " +
	       qualified_name(c.move.map(t.schema), t.name) + " " + t.partition_bound;
}

// The same, as CREATE TABLE ... PARTITION OF names it: "parent" FOR VALUES ...
std::string parent_and_bound(const Context &c, const catalog::TableRef &t) {
	return qualified_name(c.move.map(t.parent_schema), t.parent_name) + " " + t.partition_bound;
}

// Whether partition t is attached right after its CREATE TABLE, with no
// subtransaction (Context::attach_early). Only where the attachment cannot
// fail for a reason a clone tolerates (a failing late attachment leaves the
// partition a table of its own, with a WARNING):
// - its parent was created by this clone, in this session, its indexes held
//   back (an index on the parent would be cloned onto the partition under
//   a name of PostgreSQL's choosing, and the partition's own would follow);
// - the partition has no CHECK constraint: the parent's must be on it
//   before it is attached, and a table's checks are created after its rows;
// - no mask (a masked partition key could leave a row outside its bound,
//   failing the copy instead of the attachment) and one consistent snapshot
//   (the rows of every partition and of the default partition agree with
//   the bounds read with them).
bool attaches_early(const Context &c, const catalog::TableRef &t) {
	if (!c.attach_early || !t.is_partition || c.req.options.masks || !c.req.options.consistent)
		return false;
	if (!c.deferred_parents.count(key(t.parent_schema, t.parent_name)))
		return false;
	const catalog::SourceTable *def = c.plan.table_defs.find(t.oid);
	if (!def)
		return false;
	for (const auto &k : def->constraints)
		if (k.type == 'c')
			return false;
	return true;
}

// Partition t may be created attached, PARTITION OF its parent: the table
// clone decides, from the columns it is about to create (core::
// partition_of_fixups). Not on PostgreSQL 18 and later, where a NOT NULL is
// a named constraint that PARTITION OF would name after the parent's rather
// than as the source has it.
std::optional<TableRequest::PartitionOf> partition_of(const Context &c, const catalog::TableRef &t) {
#if PG_VERSION_NUM >= 180000
	(void)c;
	(void)t;
	return std::nullopt;
#else
	const catalog::SourceTable *parent =
	    c.plan.table_defs.find(c.plan.table_defs.oid_of(t.parent_schema, t.parent_name));
	if (!parent)
		return std::nullopt;
	return TableRequest::PartitionOf{parent_and_bound(c, t), &parent->def};
#endif
}

// The tables cloned one after the other in this session (synchronous, or a
// job without a pool) see their parents: a child is created with INHERITS.
TableRequest table_request(const Context &c, const catalog::TableRef &t) {
	TableRequest r = schema_table_request(c.req, t);
	if (c.subset)
		r.kept_rows = c.subset->kept_rows(t.oid);
	r.inherit_at_creation = true;
	r.defer_partitioned_indexes = c.attach_early;
	// attach_early: synchronous, one transaction; a resumed run skipped
	// check_extension_members, so its tables check for themselves, and so do
	// those of a clone that created extensions after that check (CREATE
	// EXTENSION ... CASCADE may bring members into the plan's schemas).
	r.target_checked = c.checked_in_transaction && !c.resumed && c.sum.extensions == 0;
	if (attaches_early(c, t)) {
		r.attach_sql = attach_partition_sql(c, t);
		r.partition_of = partition_of(c, t);
	}
	return r;
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
	c.dropped.add(std::move(o.dropped));
	for (auto &fk : o.foreign_keys)
		c.foreign_keys.push_back({{fk.what, fk.sql}, t.depth});
	for (auto &tr : o.triggers)
		c.triggers.push_back({tr.what, tr.sql});
	if (t.is_partition && c.req.options.triggers)
		for (const auto &sql : t.local_triggers)
			c.triggers.push_back({"trigger of partition " + object_name(t.schema, t.name), sql});
	if (o.indexes_deferred)
		c.deferred_parents.insert(key(t.schema, t.name));
	for (auto &ix : o.partitioned_indexes)
		c.partitioned_indexes.push_back({{ix.what, ix.sql}, t.depth, ix.must_succeed});
	if (o.attached)
		c.attached_early.insert(key(t.schema, t.name));
}

void note_skipped(Context &c, const std::string &display) {
	c.sum.skipped_tables++;
	pg::notice("pgclone: " + display +
	           " already exists on the target; kept it (conflict strategy \"skip\")");
}

// Before table i: when no COPY sent ahead is left to read, the COPYs of the
// next small tables whose definitions have come in (core::
// copy_batch_length), table i's first, in one message. A table that needs
// its own (copy_to_send_ahead) ends the batch, and so does one that
// "conflict": "skip" will keep: its rows are never read on the source.
void send_copies_ahead(Context &c, std::size_t i) {
	if (!c.copy_ahead || !c.copy_ahead->idle())
		return;
	std::vector<std::pair<std::string, std::string>> copies;
	std::vector<uint64_t> bytes;
	const bool skips = c.req.options.conflict == core::ConflictStrategy::Skip;
	for (std::size_t j = i; j < c.plan.tables.size() && copies.size() < core::copy_batch_max; j++) {
		const catalog::TableRef &t = c.plan.tables[j];
		if (c.plan_ahead && c.plan_ahead->pending(t.oid))
			break;
		if (skips && relation_exists(c.move.map(t.schema), t.name))
			break;
		std::optional<std::string> sql =
		    copy_to_send_ahead(c.keeper.connection(), table_request(c, t), c.plan.table_defs);
		if (!sql)
			break;
		copies.emplace_back(t.oid, std::move(*sql));
		bytes.push_back(c.plan.table_defs.find(t.oid)->estimate.bytes);
	}
	copies.resize(core::copy_batch_length(bytes));
	if (!copies.empty())
		c.copy_ahead->send(std::move(copies));
}

TableOutcome clone_one_table(Context &c, std::size_t i) {
	const catalog::TableRef &t = c.plan.tables.at(i);
	c.keeper.next_unit();
	take_definitions(c, t.oid);
	send_copies_ahead(c, i);
	const catalog::SourceTable *def = c.plan.table_defs.find(t.oid);
	progress::table_started(core::qualified_name(c.move.map(t.schema), t.name), def ? def->estimate.bytes : 0);
	TableRequest req = table_request(c, t);
	if (const std::string *queued = c.copy_ahead ? c.copy_ahead->next_for(t.oid) : nullptr)
		req.queued_copy = *queued;
	TableOutcome o = clone_table_on(c.keeper.connection(), req, &c.plan.table_defs);
	if (c.copy_ahead)
		c.copy_ahead->after(t.oid);
	if (o.skipped) {
		note_skipped(c, o.display);
	} else {
		c.subset_rows[t.oid] = o.rows;
		record_table(c, t, o);
	}
	progress::table_finished(o.skipped ? 0 : o.rows);
	return o;
}

// The partitions not attached at their creation, then the indexes and
// index-backed constraints held back from partitioned tables
// (Context::attach_early): each, created on a parent whose partitions are
// attached and indexed, adopts their matching indexes. The deepest
// partitioned tables first, so that a sub-partitioned partition's index
// exists for its parent's index to adopt.
void phase_partitions(Context &c) {
	std::vector<const catalog::TableRef *> parts;
	for (const auto &t : c.plan.tables)
		if (t.is_partition && c.cloned_tables.count(key(t.schema, t.name)) &&
		    !c.attached_early.count(key(t.schema, t.name)) && !c.attached_late.count(key(t.schema, t.name)))
			parts.push_back(&t);
	if (parts.empty() && c.partitioned_indexes.empty())
		return;
	begin_phase(c, "partitions");
	if (!c.attached_early.empty())
		phase_notice(c, core::plural(c.attached_early.size(), "partition", "partitions") +
		                    " attached at creation");
	if (!parts.empty())
		phase_notice(c, "attaching " + core::plural(parts.size(), "partition", "partitions"));
	pg::Spi spi;
	for (const auto *t : parts) {
		// Tried once: a failed attachment leaves a table of its own, with a WARNING.
		c.attached_late.insert(key(t->schema, t->name));
		const std::string &schema = c.move.map(t->schema), &parent_schema = c.move.map(t->parent_schema);
		if (!relation_exists(parent_schema, t->parent_name)) {
			pg::notice("pgclone: partition " + core::display_name(schema, t->name) +
			           " stays a table of its own: its parent " +
			           core::display_name(parent_schema, t->parent_name) + " is not on the target");
			continue;
		}
		try_ddl(spi, "partition " + object_name(schema, t->name), attach_partition_sql(c, *t), c.warnings);
	}
	if (!c.partitioned_indexes.empty())
		phase_notice(c, "creating " + core::plural(c.partitioned_indexes.size(), "index", "indexes") +
		                    " of partitioned tables");
	std::stable_sort(c.partitioned_indexes.begin(), c.partitioned_indexes.end(),
	                 [](const Deferred &a, const Deferred &b) { return a.depth > b.depth; });
	for (const auto &ix : c.partitioned_indexes) {
		if (ix.must_succeed)
			spi.exec_one(ix.stmt.sql);
		else
			try_ddl(spi, ix.stmt.what, ix.stmt.sql, c.warnings);
	}
	c.partitioned_indexes.clear();
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
	// A subset that follows keys promises that every key holds: a key that
	// does not is an error, not a table left without it.
	const bool must_hold = c.subset && c.subset->mode != core::SubsetMode::None;
	for (const auto &fk : c.foreign_keys) {
		if (!must_hold) {
			try_ddl(spi, fk.stmt.what, fk.stmt.sql, c.warnings);
			continue;
		}
		if (auto err = spi.exec_in_subtransaction(fk.stmt.sql, true))
			throw core::Error("the subset clone could not create " + fk.stmt.what, core::sqlstate::foreign_key_violation,
			                  *err,
			                  "Every table a kept row references must be part of the clone (options \"tables\" / \"exclude_tables\"), and a masked key column must be masked the same deterministic way in every table that holds it (docs/SCHEMA_DATABASE.md, \"Subset clones\").");
	}
	spi.finish();
}

// The plan's views and materialized views in dependency order (views first
// where the order is free).
std::vector<std::size_t> view_order(const std::vector<catalog::ViewDef> &views) {
	std::map<std::string, std::size_t> index;
	for (std::size_t i = 0; i < views.size(); i++)
		index[views[i].oid] = i;
	std::vector<core::OrderNode> nodes(views.size());
	for (std::size_t i = 0; i < views.size(); i++) {
		nodes[i].rank = views[i].relkind == 'm' ? 1 : 0;
		for (const auto &d : views[i].deps) {
			auto it = index.find(d);
			if (it != index.end())
				nodes[i].deps.push_back(it->second);
		}
	}
	return core::dependency_order(nodes);
}

// Views and materialized views in dependency order (views first where the
// order is free), then functions and procedures. One run with retries: a
// view that calls a function, or a SQL function that reads a view, is
// created once what it needs exists.
void phase_views_and_functions(Context &c) {
	std::vector<const catalog::FunctionDef *> funcs, aggs;
	for (const auto &f : c.plan.functions) {
		if (c.early_functions.count(f.oid))
			continue;
		if (f.kind == 'a' && c.plan.aggregates.count(f.oid)) {
			aggs.push_back(&f);
			continue;
		}
		if (f.kind == 'a') {
			c.warnings++;
			pg::warning("pgclone: skipped aggregate " + object_name(f.schema, f.name) + "(" +
			                f.identity_args + ")",
			            "The source lists no pg_aggregate row for it.");
			continue;
		}
		funcs.push_back(&f);
	}
	if (c.plan.views.empty() && funcs.empty() && aggs.empty())
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
	std::vector<DdlItem> items;
	std::vector<char> kinds;                         // v, m, f
	std::vector<const catalog::ViewDef *> item_views; // of the items that are views
	for (std::size_t i : view_order(c.plan.views)) {
		const auto &v = c.plan.views[i];
		if (!make_room(spi, v.schema, v.name, c.req.options.conflict, c.dropped)) {
			(v.relkind == 'm' ? c.sum.kept_matviews : c.sum.kept_views)++;
			continue;
		}
		items.push_back(view_item(
		    v, c.req,
		    target_tablespace(spi, v.tablespace, "materialized view " + core::display_name(v.schema, v.name))));
		kinds.push_back(v.relkind);
		item_views.push_back(&v);
	}
	for (const auto *f : funcs) {
		if (!prepare_function(spi, *f, c.req.options.conflict, c.warnings)) {
			c.sum.kept_functions++;
			continue;
		}
		items.push_back(function_item(*f));
		kinds.push_back('f');
	}
	// Aggregates after the routines they are built from (the retries of
	// run_ddl cover any order).
	for (const auto *f : aggs) {
		if (!prepare_function(spi, *f, c.req.options.conflict, c.warnings))
			continue;
		items.push_back(aggregate_item(*f, c.plan.aggregates.at(f->oid)));
		kinds.push_back('f');
	}
	DdlRun run = run_ddl(spi, items);
	spi.finish();
	c.warnings += run.warnings;
	for (std::size_t i = 0; i < items.size(); i++)
		if (run.created[i])
			(kinds[i] == 'v' ? c.sum.views : kinds[i] == 'm' ? c.sum.matviews : c.sum.functions)++;
	// Populated on the source: filled at the end, in dependency order.
	for (std::size_t i = 0; i < item_views.size(); i++)
		if (run.created[i] && kinds[i] == 'm' && c.req.include_data && item_views[i]->populated)
			c.matviews_to_fill.push_back(item_views[i]);
}

// The materialized views populated on the source, filled last: after every
// table's rows, inheritance links, policies and owners, so that each query
// sees what it saw on the source, run as the view's owner as there.
void phase_fill_matviews(Context &c) {
	if (c.matviews_to_fill.empty())
		return;
	begin_phase(c, "filling materialized views");
	phase_notice(c, "filling " + core::plural(c.matviews_to_fill.size(), "materialized view", "materialized views"));
	pg::Spi spi;
	for (const auto *v : c.matviews_to_fill)
		try_ddl(spi, "the rows of materialized view " + object_name(v->schema, v->name),
		        "REFRESH MATERIALIZED VIEW " + qualified_name(v->schema, v->name), c.warnings);
	spi.finish();
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
		if (try_ddl(spi, t.what, t.sql, c.warnings, pg::create_trigger_statement))
			c.sum.triggers++;
	spi.finish();
}

// Row-level security and policies, storage parameters, column settings,
// replica identity, CLUSTER ON, trigger states, comments and inheritance
// links of the tables this clone created: read with one query for all of
// them, applied once their triggers and the functions policies call exist.
void phase_table_settings(Context &c) {
	std::vector<const catalog::TableRef *> tables;
	std::vector<std::string> oids;
	for (const auto &t : c.plan.tables)
		if (c.cloned_tables.count(key(t.schema, t.name))) {
			tables.push_back(&t);
			oids.push_back(t.oid);
		}
	if (tables.empty())
		return;
	begin_phase(c, "table settings");
	const auto settings = c.settings_read_ahead ? std::move(*c.settings_read_ahead)
	                                            : catalog::read_table_settings(c.keeper.connection(), oids);
	// Indexes, constraints or triggers the options left out have no settings.
	const auto &o = c.req.options;
	core::CreatedParts created;
	if (!o.indexes)
		created.indexes.emplace();
	if (!o.constraints)
		created.constraints.emplace();
	if (!o.triggers)
		created.triggers.emplace();
	pg::Spi spi;
	std::vector<DdlStatement> statements;
	for (const auto *t : tables) {
		auto it = settings.find(t->oid);
		if (it != settings.end())
			c.warnings += apply_table_settings(
			    spi, core::settings_for(it->second, created),
			    {c.move.map(t->schema), t->name, t->name, core::display_name(c.move.map(t->schema), t->name),
			     t->schema},
			    statements);
	}
	try_ddl_all(spi, statements, c.warnings, table_settings_kinds);
	spi.finish();
}

// Owners and ACLs of what this clone created (docs/SECURITY.md "Privileges").
void phase_privileges(Context &c) {
	std::set<std::string> plan_tables;
	for (const auto &t : c.plan.tables)
		plan_tables.insert(key(t.schema, t.name));
	std::vector<catalog::ObjectPrivileges> objects;
	for (const auto &o : c.plan.privileges) {
		std::string k = privilege_key(o);
		if (!c.plan_objects.count(k) || c.preexisting.count(k))
			continue;
		// A table of the plan left out (conflict "skip") is not this clone's,
		// nor are its columns' privileges.
		if ((o.kind == "table" || (o.kind == "column" && plan_tables.count(key(o.schema, o.name)))) &&
		    !c.cloned_tables.count(key(o.schema, o.name)))
			continue;
		objects.push_back(o);
		objects.back().schema = c.move.map(o.schema);
	}
	// ALTER DEFAULT PRIVILEGES ... IN SCHEMA of the plan's schemas.
	std::vector<catalog::DefaultPrivilege> defaults;
	if (c.req.options.privileges && !c.req.functions_only)
		defaults = catalog::read_default_privileges(c.keeper.connection(), c.plan.names);
	for (auto &d : defaults)
		d.schema = c.move.map(d.schema);
	if (objects.empty() && defaults.empty())
		return;
	begin_phase(c, "privileges");
	pg::Spi spi;
	c.warnings += apply_privileges(spi, objects, c.req.options);
	c.warnings += apply_default_privileges(spi, defaults);
	spi.finish();
}

// What "replace" dropped with the relations it replaced and the clone did
// not create again itself.
void phase_dependents(Context &c) {
	if (c.dropped.empty())
		return;
	begin_phase(c, "dependents");
	pg::Spi spi;
	c.warnings += recreate_dependents(spi, c.dropped);
	spi.finish();
}

// database() with data: the large objects, after the tables (option "large_objects").
void phase_large_objects(Context &c) {
	if (!c.req.database || !c.req.include_data || !c.req.options.large_objects)
		return;
	begin_phase(c, "large objects");
	c.warnings += clone_large_objects(c.keeper.connection(), c.req.options).warnings;
}

void warn_foreign_tables(Context &c) {
	for (const auto &f : c.plan.foreign_tables) {
		c.warnings++;
		pg::warning("pgclone: skipped foreign table " + f,
		            "pgclone does not clone foreign tables: their rows live on another server.");
	}
}

// --- dry run ---------------------------------------------------------------------

// A relation of the plan (sequence, view): created, or what the strategy does
// to the one on the target, with what a "replace" would drop with it.
core::PlanStep relation_step(pg::Spi &spi, const Context &c, const char *kind, const std::string &schema,
                             const std::string &name) {
	core::PlanStep step{kind, core::display_name(schema, name), "create"};
	if (!target_relkind(spi, schema, name))
		return step;
	step.action = core::conflict_action(c.req.options.conflict);
	if (c.req.options.conflict == core::ConflictStrategy::Replace)
		step.detail["drops"] = read_dependents(spi, schema, name).names();
	return step;
}

core::PlanStep function_step(pg::Spi &spi, const Context &c, const catalog::FunctionDef &f) {
	core::PlanStep step{f.kind == 'p' ? "procedure" : "function",
	                    core::display_name(f.schema, f.name) + "(" + f.identity_args + ")", "create"};
	if (f.kind == 'a') {
		step.action = "not cloned";
		step.detail["reason"] = "pgclone does not clone aggregate functions";
	} else if (function_exists(spi, f)) {
		step.action = core::conflict_action(c.req.options.conflict);
	}
	return step;
}

// The plan of a schema or database clone, step by step in the order of the
// phases, from the plan read_plan read. Reads the target catalog only.
core::DryRun dry_run(Context &c) {
	core::DryRun d;
	d.subject = c.subject;
	d.conflict = core::to_string(c.req.options.conflict);
	const auto &o = c.req.options;
	if (!o.tables.empty())
		d.filters["tables"] = o.tables;
	if (!o.exclude_tables.empty())
		d.filters["exclude_tables"] = o.exclude_tables;
	if (c.move.active())
		d.filters["target_schema"] = c.move.to;
	if (c.subset) {
		// The rows the subset keeps were found by read_plan, as the clone
		// would find them (only read on the source).
		if (o.where_tables)
			d.filters["where"] = *o.where_tables;
		if (o.sample)
			d.filters["sample"] = *o.sample;
		d.filters["subset"] = core::to_string(c.subset->mode);
		nlohmann::json kept = nlohmann::json::object();
		for (const TableSubset *t : c.subset->partial())
			kept[t->display] = t->whole() ? core::subset_filtered_table_text(t->display, t->estimate)
			                              : core::subset_table_text(t->display, t->counts());
		d.filters["subset_rows"] = std::move(kept);
	}
	pg::Spi spi;
	for (const auto &s : c.plan.schemas)
		d.steps.push_back({"schema", s.name, schema_exists(s.name) ? "keep" : "create"});
	for (const auto &e : c.plan.extensions) {
		core::PlanStep step{"extension", e.name, "create", {{"version", e.version}}};
		if (spi.query_value("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = $1", {e.name}))
			step.action = "keep";
		else if (!spi.query_value("SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = $1", {e.name})) {
			step.action = "not cloned";
			step.detail["reason"] = "not available on the target server";
		}
		d.steps.push_back(std::move(step));
	}
	if (!c.req.functions_only) {
		for (const auto &t : c.plan.types)
			d.steps.push_back({"type", core::display_name(t.schema, t.name),
			                   type_exists(spi, t.schema, t.name) ? "keep" : "create"});
		operator_dry_run_steps(spi, c.plan.operators, d.steps);
		for (const auto &f : c.plan.functions)
			if (f.needed_by_tables && f.kind != 'a')
				d.steps.push_back(function_step(spi, c, f));
		for (const auto &s : c.plan.sequences)
			d.steps.push_back(relation_step(spi, c, "sequence", s.seq.schema, s.seq.name));
	}
	spi.finish();
	std::vector<core::PlanStep> deferred, attach;
	if (!c.req.functions_only)
		for (const auto &t : c.plan.tables) {
			c.keeper.next_unit();
			table_dry_run_steps(c.keeper.connection(), table_request(c, t), d, &deferred, &c.plan.table_defs);
			if (t.is_partition)
				attach.push_back({"partition", core::display_name(c.move.map(t.schema), t.name), "attach",
				                  {{"to", core::display_name(c.move.map(t.parent_schema), t.parent_name)},
				                   {"bound", t.partition_bound}}});
		}
	pg::Spi spi2;
	for (auto &s : attach)
		d.steps.push_back(std::move(s));
	std::vector<core::PlanStep> triggers;
	for (auto &s : deferred)
		(s.kind == "trigger" ? triggers : d.steps).push_back(std::move(s));
	for (std::size_t i : view_order(c.plan.views)) {
		const auto &v = c.plan.views[i];
		d.steps.push_back(relation_step(spi2, c, v.relkind == 'm' ? "materialized view" : "view", v.schema, v.name));
	}
	for (const auto &f : c.plan.functions)
		if (!f.needed_by_tables || f.kind == 'a' || c.req.functions_only)
			d.steps.push_back(function_step(spi2, c, f));
	for (auto &s : triggers)
		d.steps.push_back(std::move(s));
	for (const auto &t : c.plan.view_triggers)
		d.steps.push_back({"trigger", t.what, "create", {{"definition", t.sql}}});
	for (const auto &f : c.plan.foreign_tables)
		d.steps.push_back({"foreign table", f, "not cloned", {{"reason", "its rows live on another server"}}});
	spi2.finish();
	return d;
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
	r.plan_objects_ready = true;
	return r;
}

struct SchemaRun::State {
	State(const MultiCloneRequest &r, snapshot::Keeper &k)
	    : c(r, k), started(std::chrono::steady_clock::now()) {}
	Context c;
	std::chrono::steady_clock::time_point started;
};

SchemaRun::SchemaRun(const MultiCloneRequest &req, snapshot::Keeper &keeper)
    : s_(std::make_unique<State>(req, keeper)) {}

SchemaRun::~SchemaRun() = default;

int SchemaRun::warnings() const {
	return s_->c.warnings;
}

void SchemaRun::on_phase(std::function<void(const std::string &)> observer) {
	s_->c.observer = std::move(observer);
}

void SchemaRun::resume_after(std::set<std::pair<std::string, std::string>> done_before) {
	s_->c.resumed = true;
	for (const auto &[schema, table] : done_before)
		s_->c.done_before.insert(key(schema, table));
}

void SchemaRun::read_plan(PlanRead how) {
	Context &c = s_->c;
	c.plan_read = c.req.options.dry_run ? PlanRead::whole : how;
	clone::read_plan(c);
}

void SchemaRun::complete_definitions(const std::vector<bool> &pool_clones) {
	Context &c = s_->c;
	if (!c.definitions_partial)
		return;
	std::vector<std::string> whole, after_rows;
	for (std::size_t i = 0; i < c.plan.tables.size(); i++) {
		const auto &t = c.plan.tables[i];
		// A partitioned table or a partition: the job attaches them and
		// creates the trees' indexes itself (phase_partitions).
		const bool cloned_elsewhere = i < pool_clones.size() && pool_clones[i] && t.relkind == 'r' && !t.is_partition;
		(cloned_elsewhere ? after_rows : whole).push_back(t.oid);
	}
	catalog::read_other_kinds(c.keeper.connection(), c.plan.table_defs, whole);
	catalog::read_kinds_after_rows(c.keeper.connection(), c.plan.table_defs, after_rows);
	c.definitions_partial = false;
}

void SchemaRun::check_conflicts() {
	clone::check_conflicts(s_->c);
}

void SchemaRun::create_schema_objects() {
	Context &c = s_->c;
	with_target_path(c.move, [&] {
		phase_schemas(c);
		if (!c.req.functions_only) {
			phase_extensions(c);
			phase_types(c);
			phase_sequences(c);
		}
	});
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

bool SchemaRun::calls_routines(std::size_t i) const {
	const catalog::SourceTable *def = s_->c.plan.table_defs.find(table(i).oid);
	return def && def->calls_routines;
}

TableRequest SchemaRun::table_request(std::size_t i) const {
	return clone::table_request(s_->c, table(i));
}

const catalog::TablePlan &SchemaRun::table_defs() const {
	return s_->c.plan.table_defs;
}

void SchemaRun::prepare_tables_for_pool() {
	Context &c = s_->c;
	auto strategy = c.req.options.conflict;
	bool make_room =
	    strategy == core::ConflictStrategy::Replace || strategy == core::ConflictStrategy::Rename;
	with_target_path(c.move, [&] {
		pg::Spi spi;
		for (std::size_t i = 0; i < table_count(); i++) {
			if (done_before(i))
				continue;
			const auto &t = table(i);
			if (make_room)
				make_room_for_table(spi, c.move.map(t.schema), t.name, strategy, &c.dropped);
			if (const catalog::SourceTable *def = c.plan.table_defs.find(t.oid)) {
				std::vector<catalog::TypeDef> types = c.plan.table_defs.types_of(*def);
				move_types(types, c.move, c.warnings);
				ensure_types(spi, types, c.warnings);
			}
		}
		spi.finish();
	});
}

void SchemaRun::attach_partitions_early() {
	s_->c.attach_early = true;
	s_->c.checked_in_transaction = true;
}

std::vector<bool> SchemaRun::small_partition_trees(std::size_t max_tables) const {
	const Context &c = s_->c;
	// Partitions are attached at creation only under one snapshot and
	// without masks (attaches_early); otherwise a tree gains nothing.
	if (c.req.options.masks || !c.req.options.consistent)
		return std::vector<bool>(table_count(), false);
	std::vector<core::TreeTable> tables;
	for (std::size_t i = 0; i < table_count(); i++) {
		const auto &t = table(i);
		const catalog::SourceTable *def = c.plan.table_defs.find(t.oid);
		core::TreeTable tt;
		tt.schema = t.schema;
		tt.name = t.name;
		tt.partitioned = t.relkind == 'p';
		tt.is_partition = t.is_partition;
		tt.parent_schema = t.parent_schema;
		tt.parent_name = t.parent_name;
		// A partitioned table's estimate is its partitions'.
		tt.bytes = def && t.relkind != 'p' ? def->estimate.bytes : 0;
		tt.calls_routines = def && def->calls_routines;
		tables.push_back(std::move(tt));
	}
	return core::tables_of_small_partition_trees(tables, core::default_chunk_size, max_tables);
}

void SchemaRun::begin_partition_trees() {
	s_->c.attach_early = true;
}

void SchemaRun::end_partition_trees() {
	Context &c = s_->c;
	with_target_path(c.move, [&] { phase_partitions(c); });
	c.attach_early = false;
}

void SchemaRun::start_tables() {
	if (!s_->c.req.functions_only)
		clone::start_tables(s_->c);
}

TableOutcome SchemaRun::clone_table(std::size_t i) {
	return clone_one_table(s_->c, i);
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
	note_skipped(s_->c, core::display_name(s_->c.move.map(t.schema), t.name));
}

void SchemaRun::send_copies_ahead() {
	Context &c = s_->c;
	// One snapshot for every table (each COPY of a batch runs in the
	// keeper's transaction), and rows whose choice is not made per table on
	// the source first.
	if (c.req.options.consistent && !c.subset && !c.req.options.dry_run)
		c.copy_ahead.emplace(c.keeper.connection());
}

void SchemaRun::create_dependent_objects() {
	Context &c = s_->c;
	if (c.copy_ahead && !c.copy_ahead->idle())
		throw core::Error("COPY statements sent ahead were left unread after the tables",
		                  core::sqlstate::internal_error);
	c.copy_ahead.reset();
	finish_read_ahead(c);
	with_target_path(c.move, [&] {
		if (!c.req.functions_only) {
			double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - c.tables_started).count();
			phase_notice(c, "cloned " + core::plural(c.sum.tables, "table", "tables") + " (" +
			                    core::plural(c.sum.rows, "row", "rows") + ") in " + core::format_fixed(took, 2) + " s");
			phase_partitions(c);
			phase_foreign_keys(c);
		}
		phase_views_and_functions(c);
		if (!c.req.functions_only) {
			phase_triggers(c);
			phase_table_settings(c);
			phase_large_objects(c);
			warn_foreign_tables(c);
		}
		phase_privileges(c);
		phase_fill_matviews(c);
		phase_dependents(c);
	});
}

std::string SchemaRun::dry_run() {
	Context &c = s_->c;
	core::DryRun d = clone::dry_run(c);
	c.keeper.close();
	return core::dry_run_text(d);
}

std::string SchemaRun::finish() {
	Context &c = s_->c;
	c.keeper.close();
	c.sum.warnings = static_cast<uint64_t>(c.warnings);
	c.sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - s_->started).count();
	if (c.req.functions_only)
		return core::functions_summary_text(c.req.schemas.at(0), c.sum);
	std::string text = core::summary_text(c.subject, c.sum);
	if (c.subset) {
		std::vector<std::string> tables;
		for (const auto &[oid, t] : c.subset->tables) {
			if (t.whole() && !t.filter)
				continue;
			// The rows the copy brought; a table a pool worker copied counts
			// the rows found (the same ones), unless its filter was the copy's
			// own condition (subset "none"), whose rows only the copy counts.
			core::TableSubsetCounts counts = t.counts();
			auto copied = c.subset_rows.find(oid);
			if (copied == c.subset_rows.end() && t.whole()) {
				tables.push_back(core::subset_filtered_table_text(t.display, t.estimate));
				continue;
			}
			if (copied != c.subset_rows.end()) {
				counts.all_but = false;
				counts.kept = copied->second;
			}
			tables.push_back(core::subset_table_text(t.display, counts));
		}
		text += "; " + core::subset_result_text(core::to_string(c.subset->mode), tables);
	}
	return text;
}

std::string clone_many(const MultiCloneRequest &req) {
	core::check_multi_table_options(req.options, req.function_name);
	if (req.database)
		core::check_database_options(req.options, req.function_name);
	// Seen by other sessions in pgclone.clone_progress until the clone ends.
	progress::Entry progress_entry(req.functions_only ? "functions" : req.database ? "database" : "schema",
	                               req.database ? std::string() : req.schemas.at(0));
	return as_role(req.options.run_as, [&] {
		// Connecting first: a source that cannot be reached fails the clone
		// before anything is created.
		snapshot::Keeper keeper =
		    snapshot::Keeper::open(req.conninfo, req.options.consistent, req.options.snapshot_id);
		SchemaRun run(req, keeper);
		progress::set_phase("reading the plan");
		run.read_plan(SchemaRun::PlanRead::ahead);
		if (req.options.dry_run)
			return run.dry_run();
		run.check_conflicts();
		run.create_schema_objects();
		run.attach_partitions_early();
		run.start_tables();
		run.send_copies_ahead();
		for (std::size_t i = 0; i < run.table_count(); i++)
			run.clone_table(i);
		run.create_dependent_objects();
		return run.finish();
	});
}

} // namespace pgclone::clone
