// DDL text builders: pure functions from a table description to SQL text.
// Identifiers are always quoted (like pg_dump --quote-all-identifiers), so
// nothing here depends on the server's keyword list.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgclone::core {

// "name" with embedded double quotes doubled.
std::string quote_ident(std::string_view name);
// 'text' with quotes doubled; E'...' with doubled backslashes when needed,
// as the server's quote_literal does.
std::string quote_literal(std::string_view text);
// "schema"."name"
std::string qualified_name(std::string_view schema, std::string_view name);
// schema.name without quotes, for messages and result texts.
std::string display_name(std::string_view schema, std::string_view name);

struct ColumnDef {
	std::string name;
	std::string type;         // format_type() text, schema-qualified where needed
	char type_category = 'U'; // pg_type.typcategory: S string, N numeric, D date/time, ...
	// The type's binary COPY form means the same on a server of the same major
	// version: a built-in type with send/receive functions whose values are
	// not OIDs of catalog objects (the reg* types send raw OIDs).
	bool binary_copy_safe = false;
	std::optional<std::string> collation; // already-quoted qualified collation name
	std::optional<std::string> default_expr;
	bool not_null = false;
	char identity = '\0';         // 'a' ALWAYS, 'd' BY DEFAULT
	std::string identity_options; // sequence options text inside ( ... )
	char generated = '\0';        // 's' STORED, 'v' VIRTUAL (PostgreSQL 18+)
	std::string generated_expr;
	std::vector<std::string> generated_from; // columns the generation expression uses
	std::optional<std::string> comment;
	// Inherited from a parent only (pg_attribute.attislocal false): a table
	// created with INHERITS gets it from the parent and does not list it.
	bool inherited_only = false;
};

struct TableDef {
	std::string schema;
	std::string name;
	std::vector<ColumnDef> columns;
	bool unlogged = false;
	std::optional<std::string> partition_key; // pg_get_partkeydef() text
	std::optional<std::string> comment;
	std::optional<std::string> tablespace; // TABLESPACE; nullopt: the database's default
	// INHERITS (parents, as schema and name), set by the clone when every
	// parent exists on the target: the columns inherited only are left out.
	std::vector<std::pair<std::string, std::string>> inherits;
};

// CREATE [UNLOGGED] TABLE "s"."t" (...) [INHERITS (...)] [PARTITION BY ...] [TABLESPACE ...] — columns, types,
// collations, defaults, NOT NULL, identity and generated columns. No
// constraints or indexes: those come after the data is loaded.
std::string create_table_sql(const TableDef &t);

// CREATE [UNLOGGED] TABLE "s"."t" PARTITION OF <parent_and_bound> [PARTITION BY ...] [TABLESPACE ...]:
// the partition t in one statement, its columns the parent's (see partition_of_fixups).
// parent_and_bound: the parent's qualified name and its FOR VALUES / DEFAULT clause.
std::string create_partition_of_sql(const TableDef &t, const std::string &parent_and_bound);

// A partition created with PARTITION OF takes its parent's columns, with their types, collations,
// defaults and NOT NULL. The statements that then give it the columns of `part` as the source has
// them (its own defaults, its NOT NULL beyond the parent's), on part_q; none when they are the
// parent's. nullopt when PARTITION OF cannot give part its columns: other names, order, types or
// collations than the parent's, an identity or generated column, or a NOT NULL of the parent that
// part lacks (a real source cannot have that, so the plain CREATE TABLE shows what is wrong); or
// its place: another tablespace than the parent's.
std::optional<std::vector<std::string>> partition_of_fixups(const TableDef &part, const TableDef &parent,
                                                            const std::string &part_q);

// SELECT pg_catalog.setval('<sequence_q>'::regclass, <last_value>, <is_called>): puts a sequence
// where the source's stands. last_value must be an integer literal (the source readers check it).
std::string setval_sql(const std::string &sequence_q, const std::string &last_value, bool is_called);

// Names of the columns that receive data through COPY (generated columns
// are computed by the target and left out).
std::vector<std::string> copy_column_names(const TableDef &t);

} // namespace pgclone::core
