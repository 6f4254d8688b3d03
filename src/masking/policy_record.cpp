// Masking policy records (see policy_record.hpp).
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pgclone/core/privileges.hpp"
#include "pgclone/pg/postgres.hpp"

#include "pgclone/masking/policy_record.hpp"

namespace pgclone::masking {

namespace {

constexpr const char *comment_prefix = "pgclone masking policy ";

} // namespace

std::string policy_view_name(const std::string &table) {
	return table + "_masked";
}

std::string policy_comment(const PolicyRecord &r) {
	nlohmann::json j = {
	    {"table", r.table},
	    {"masked_columns", r.masked_columns},
	    {"privileged_role", r.privileged_role},
	    {"public_table_privileges", r.public_table_privileges},
	    {"public_column_privileges", r.public_column_privileges},
	    {"granted_table_privileges", r.granted_table_privileges},
	    {"granted_schema_usage", r.granted_schema_usage},
	};
	if (!r.partitions.empty()) {
		nlohmann::json parts = nlohmann::json::array();
		for (const auto &p : r.partitions)
			parts.push_back({{"schema", p.schema},
			                 {"table", p.table},
			                 {"public_table_privileges", p.public_table_privileges},
			                 {"public_column_privileges", p.public_column_privileges}});
		j["partitions"] = parts;
	}
	return comment_prefix + j.dump();
}

std::optional<PolicyRecord> parse_policy_comment(const std::string &comment) {
	if (comment.rfind(comment_prefix, 0) != 0)
		return std::nullopt;
	try {
		const auto j = nlohmann::json::parse(comment.substr(std::string(comment_prefix).size()));
		PolicyRecord r;
		r.table = j.at("table").get<std::string>();
		r.masked_columns = j.at("masked_columns").get<std::map<std::string, std::string>>();
		r.privileged_role = j.at("privileged_role").get<std::string>();
		r.public_table_privileges = j.at("public_table_privileges").get<std::vector<std::string>>();
		r.public_column_privileges =
		    j.at("public_column_privileges").get<std::map<std::string, std::vector<std::string>>>();
		r.granted_table_privileges = j.at("granted_table_privileges").get<std::vector<std::string>>();
		r.granted_schema_usage = j.at("granted_schema_usage").get<bool>();
		// The comment can be edited by the table's owner; drop_masking_policy
		// pastes these keywords into GRANT / REVOKE, so anything but a plain
		// privilege keyword makes the record untrustworthy.
		auto all_known = [](const std::vector<std::string> &privs) {
			return std::all_of(privs.begin(), privs.end(),
			                   [](const std::string &p) { return core::is_known_privilege(p); });
		};
		if (!all_known(r.public_table_privileges) || !all_known(r.granted_table_privileges))
			return std::nullopt;
		for (const auto &[column, privs] : r.public_column_privileges)
			if (!all_known(privs))
				return std::nullopt;
		// Records written before partitions were covered have none.
		if (j.contains("partitions")) {
			for (const auto &pj : j.at("partitions")) {
				PartitionPrivileges p;
				p.schema = pj.at("schema").get<std::string>();
				p.table = pj.at("table").get<std::string>();
				p.public_table_privileges = pj.at("public_table_privileges").get<std::vector<std::string>>();
				p.public_column_privileges =
				    pj.at("public_column_privileges").get<std::map<std::string, std::vector<std::string>>>();
				if (!all_known(p.public_table_privileges))
					return std::nullopt;
				for (const auto &[column, privs] : p.public_column_privileges)
					if (!all_known(privs))
						return std::nullopt;
				r.partitions.push_back(std::move(p));
			}
		}
		return r;
	} catch (const nlohmann::json::exception &) {
		return std::nullopt;
	}
}

std::map<std::string, std::optional<PolicyRecord>> policy_views(pg::Spi &spi, const std::string &schema) {
	auto rows = spi.query(
	    R"sql(SELECT c.relname, pg_catalog.obj_description(c.oid, 'pg_class')
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind = 'v' AND pg_catalog."right"(c.relname, 7) = '_masked')sql",
	    {schema});
	std::map<std::string, std::optional<PolicyRecord>> out;
	for (const auto &r : rows)
		out[*r[0]] = r[1] ? parse_policy_comment(*r[1]) : std::nullopt;
	return out;
}

} // namespace pgclone::masking
