// What a table carries beside its columns, keys, indexes and triggers, and
// the statements that give a cloned table the same: storage parameters (of
// the table and its TOAST table), per-column storage, statistics target and
// options, REPLICA IDENTITY, CLUSTER ON, disabled triggers, comments on
// indexes, constraints, triggers and policies, row-level security and its
// policies, inheritance parents. Pure functions; every name is quoted and
// every option value is a literal. Policy expressions are the source's text:
// the caller runs each statement through the one-statement check.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "pgclone/core/text_objects.hpp"

namespace pgclone::core {

struct Option {
	std::string name, value;
};

struct ColumnSettings {
	std::string name;
	std::optional<char> storage;   // p plain, e external, m main, x extended; set when not the type's
	std::optional<int> statistics; // SET STATISTICS; set when not the default
	std::vector<Option> options;   // n_distinct, n_distinct_inherited
};

// A comment on something that belongs to the table.
struct OwnedComment {
	std::string kind; // INDEX, CONSTRAINT, TRIGGER, POLICY, RULE
	std::string name; // the object's name (an index's is schema-local)
	std::string text;
};

struct PolicyDef {
	std::string name;
	bool permissive = true;
	char command = '*';             // r SELECT, a INSERT, w UPDATE, d DELETE, * ALL
	std::vector<std::string> roles; // empty string = PUBLIC
	std::optional<std::string> using_expr, check_expr;
};

struct TableSettings {
	std::string oid; // source table
	std::vector<Option> reloptions, toast_reloptions;
	char replica_identity = 'd';     // d default, n nothing, f full, i index
	std::string replica_index;       // 'i': the index
	std::string cluster_index;       // CLUSTER ON, or empty
	std::vector<ColumnSettings> columns;
	std::vector<std::pair<std::string, char>> trigger_states; // triggers not 'O' (enabled): D, R, A
	std::vector<OwnedComment> comments;
	bool row_security = false, force_row_security = false;
	std::vector<PolicyDef> policies;
	// INHERITS, in order (never partitions), with the parent's owner on the
	// source: a query of a parent reads its children's rows with the
	// parent's privileges, so a child is linked only to a target parent
	// that the caller or that same role owns.
	struct Parent {
		std::string schema, name, owner;
	};
	std::vector<Parent> parents;
	// Rules (not a view's own) and extended statistics: the source's CREATE
	// statements (pg_get_ruledef / pg_get_statisticsobjdef), naming the
	// source table; statistics with their schema and name for the comment.
	std::vector<std::string> rules;
	struct Statistics {
		std::string schema, name, create;
		std::optional<std::string> comment;
	};
	std::vector<Statistics> statistics;
};

// Statements that give target table `target_q` the source table's settings
// (not policies, not inheritance). Rules and statistics are included only
// when `same_name` (the source's statements name the source table). index_name maps a source index name to
// the target's (a renamed table clone derives its indexes' names).
std::vector<std::string> table_settings_sql(const TableSettings &s, const std::string &target_schema,
                                            const std::string &target_q,
                                            const std::function<std::string(const std::string &)> &index_name,
                                            bool same_name = true);

// What a table clone created of the source table: the settings of anything
// else (a column left out by "columns", an index or trigger left out by an
// option) are dropped, so they are not reported as failures.
struct CreatedParts {
	std::optional<std::set<std::string>> columns, indexes, constraints, triggers;
};
TableSettings settings_for(const TableSettings &s, const CreatedParts &created);

// ENABLE / FORCE ROW LEVEL SECURITY for the table, when the source has them.
std::vector<std::string> row_security_sql(const TableSettings &s, const std::string &target_q);

// A policy as the target may have it. Roles missing on the target
// (role_exists false) are never a reason for a more permissive policy: a
// PERMISSIVE policy keeps the roles that exist (nullopt when none does: the
// policy would grant nothing), a RESTRICTIVE one applies to PUBLIC instead.
// `note` says what was changed, empty when nothing was.
struct PolicyStatement {
	std::optional<std::string> sql;
	std::string note;
};
PolicyStatement policy_sql(const PolicyDef &p, const std::string &target_q,
                           const std::function<bool(const std::string &)> &role_exists);

} // namespace pgclone::core
