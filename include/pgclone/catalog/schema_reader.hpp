// Reads the objects of whole schemas from the source catalog: schemas,
// types, sequences, the table list (with the tables / exclude_tables
// filters), views and materialized views, functions, view triggers and
// extensions. Every query runs on a session with search_path = pg_catalog,
// so every name, type and expression comes back schema-qualified.
// Objects that belong to an extension are never listed: the extension
// brings them.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pgclone/catalog/table_reader.hpp"
#include "pgclone/core/text_objects.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::catalog {

struct SchemaDef {
	std::string name;
	std::optional<std::string> comment;
};

// A user-defined enum, domain, composite or range type.
struct TypeDef {
	std::string oid;
	std::string schema, name;
	char kind = 'e';        // e enum, d domain, c composite, r range
	std::string create_sql; // CREATE TYPE / CREATE DOMAIN, schema-qualified
	std::optional<std::string> comment;
	std::vector<std::string> deps; // oids of the types it is built from
	std::string extension;         // set when an extension owns it (it is not created then)
	core::ObjectName multirange;   // a range's multirange type (the last item of create_sql)
};

// A sequence of the schema with its options (and, once read, its state).
struct SequenceDef {
	// schema, name, options (column unused); last_value and is_called only
	// once read_sequence_positions has read them.
	OwnedSequence seq;
	std::optional<std::string> comment;
	// The table whose column owns it (serial / identity); empty when none.
	std::string owner_schema, owner_table;
};

struct TableRef {
	std::string oid, schema, name;
	char relkind = 'r'; // r table, p partitioned table
	bool is_partition = false;
	std::string parent_schema, parent_name; // partitions only
	std::string partition_bound;            // FOR VALUES ... / DEFAULT, constants only (pg/partition_bound.hpp)
	int depth = 0;                          // 0, or how deep a partition is nested
	// Triggers a partition defines itself (not the clones of its parent's).
	std::vector<std::string> local_triggers; // CREATE TRIGGER statements
	// An inheritance child (INHERITS, not a partition): a schema clone
	// creates it after its parents (read_table_definitions).
	bool inherits = false;
};

struct ViewDef {
	std::string oid, schema, name;
	char relkind = 'v';     // v view, m materialized view
	std::string reloptions; // "security_barrier=true, check_option=local" or empty
	std::string query;      // pg_get_viewdef() without the trailing semicolon
	bool populated = true;
	std::optional<std::string> comment;
	std::vector<std::pair<std::string, std::string>> column_comments;
	std::vector<std::string> deps;    // oids of the relations it reads
	std::vector<std::string> indexes; // materialized views: CREATE INDEX statements
	std::optional<std::string> tablespace; // materialized views; nullopt: the database's default
};

struct FunctionDef {
	std::string oid, schema, name;
	std::string identity_args; // pg_get_function_identity_arguments()
	char kind = 'f';           // f function, p procedure, w window, a aggregate
	std::string language;
	std::string create_sql; // pg_get_functiondef() (empty for aggregates)
	std::optional<std::string> comment;
	// A column default, check constraint, domain, index expression, operator,
	// operator class or cast uses it: it must exist before the tables are created.
	bool needed_by_tables = false;
	std::string owner; // the role owning it on the source
};

struct StatementDef {
	std::string what; // for messages: trigger "t" on s.v
	std::string sql;
};

struct ExtensionDef {
	std::string name, schema, version;
};

// Throws core::Error invalid_schema_name when the schema does not exist.
SchemaDef read_schema(libpq::Connection &src, const std::string &name);
// Every user schema: not pg_catalog, information_schema, pg_toast / pg_temp,
// nor a schema an extension created.
std::vector<SchemaDef> read_user_schemas(libpq::Connection &src);

std::vector<TypeDef> read_types(libpq::Connection &src, const std::vector<std::string> &schemas);
// The user-defined types of these oids (those that are no enum, domain,
// range or free-standing composite are left out), in (schema, name) order.
std::vector<TypeDef> read_types_by_oid(libpq::Connection &src, const std::vector<std::string> &oids);

std::vector<SequenceDef> read_sequences(libpq::Connection &src, const std::vector<std::string> &schemas);

// Tables and partitioned tables of the schemas whose names match the
// filters (POSIX regexes evaluated by the source as ^(pattern)$; excludes
// after includes). Parents come before their partitions. An invalid regex
// fails with the source's error.
std::vector<TableRef> read_tables(libpq::Connection &src, const std::vector<std::string> &schemas,
                                  const std::vector<std::string> &include,
                                  const std::vector<std::string> &exclude);
// Foreign tables of the schemas ("schema.table"): they are not cloned.
std::vector<std::string> read_foreign_tables(libpq::Connection &src, const std::vector<std::string> &schemas);

std::vector<ViewDef> read_views(libpq::Connection &src, const std::vector<std::string> &schemas);
std::vector<FunctionDef> read_functions(libpq::Connection &src, const std::vector<std::string> &schemas);
// The routines (outside pg_catalog, not of an extension) that the tables'
// triggers, defaults, generated columns, checks, indexes and policies call.
std::vector<FunctionDef> read_functions_for_tables(libpq::Connection &src, const std::vector<std::string> &table_oids);
std::vector<StatementDef> read_view_triggers(libpq::Connection &src, const std::vector<std::string> &schemas);
// Installed extensions except plpgsql.
std::vector<ExtensionDef> read_extensions(libpq::Connection &src);

} // namespace pgclone::catalog
