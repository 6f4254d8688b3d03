// What create_masking_policy changed, so that drop_masking_policy can undo
// exactly that and masking_report can tell masked columns from passed-through
// ones. Kept as the COMMENT of the policy's view: it lives and dies with the
// view, survives pg_dump/pg_restore, and needs no privilege beyond owning
// the view. It never holds mask parameters (a constant, a range), only
// strategy names.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pgclone/pg/spi.hpp"

namespace pgclone::masking {

// What PUBLIC could do on one partition (at any depth) of a partitioned
// table before the policy: a partition can be read directly, so the policy
// revokes PUBLIC's privileges on each of them too.
struct PartitionPrivileges {
	std::string schema, table;
	std::vector<std::string> public_table_privileges;
	std::map<std::string, std::vector<std::string>> public_column_privileges;
};

struct PolicyRecord {
	std::string table;                                 // the base table (same schema)
	std::map<std::string, std::string> masked_columns; // column -> strategy name
	std::string privileged_role;
	std::vector<std::string> public_table_privileges; // what PUBLIC had before
	std::map<std::string, std::vector<std::string>> public_column_privileges;
	std::vector<std::string> granted_table_privileges; // granted to the role by the policy
	bool granted_schema_usage = false;                 // USAGE on the schema granted to the role
	std::vector<PartitionPrivileges> partitions;       // partitioned tables only
};

// "<table>_masked"
std::string policy_view_name(const std::string &table);

// The comment text for a record, and back. parse returns nullopt for any
// comment that is not a well-formed record.
std::string policy_comment(const PolicyRecord &r);
std::optional<PolicyRecord> parse_policy_comment(const std::string &comment);

// The policy views of a schema: view name -> record (nullopt for a view
// named *_masked that pgclone did not create).
std::map<std::string, std::optional<PolicyRecord>> policy_views(pg::Spi &spi, const std::string &schema);

} // namespace pgclone::masking
