// The masking functions of the SQL surface (v3.1.0 - v3.6.0): discovery on
// the source, static masking in place, dynamic masking policies (a masked
// view) and the compliance report, all on the rules and the compiler of
// core/ (sensitivity.hpp, masking.hpp).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>
#include <vector>

namespace pgclone::masking {

// pgclone.discover_sensitive(): JSON text {"table": {"column": mask}} for
// the sensitive columns of the source schema's tables.
std::string discover_sensitive(const std::string &conninfo, const std::string &schema);

// pgclone.mask_in_place(): one UPDATE of every row; "OK: masked N rows in
// s.t (K columns)".
std::string mask_in_place(const std::string &schema, const std::string &table, const std::string &mask_json);

// pgclone.create_masking_policy() / drop_masking_policy().
std::string create_masking_policy(const std::string &schema, const std::string &table,
                                  const std::string &mask_json, const std::string &privileged_role);
std::string drop_masking_policy(const std::string &schema, const std::string &table);

// One row of pgclone.masking_report().
struct ReportRow {
	std::string schema_name;
	std::string table_name;
	std::string column_name;
	std::string sensitivity;
	std::string mask_status;
	std::string recommendation;
};
std::vector<ReportRow> masking_report(const std::string &schema);

} // namespace pgclone::masking
