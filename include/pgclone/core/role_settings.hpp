// ALTER ROLE ... [IN DATABASE ...] SET text for the per-role settings of
// clone_roles (pg_db_role_setting): a pure builder. The setting's name is
// quoted part by part (a custom setting is "prefix"."name"); each value is a
// literal. The caller splits a list setting (search_path, ...) into its
// elements first, as the target server itself splits it.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pgclone::core {

std::string alter_role_set_sql(const std::string &role, const std::optional<std::string> &database,
                               const std::string &name, const std::vector<std::string> &values);

} // namespace pgclone::core
