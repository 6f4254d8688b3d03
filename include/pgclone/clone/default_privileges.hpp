// The source's ALTER DEFAULT PRIVILEGES ... IN SCHEMA entries on the target
// (option "privileges"), for the schemas of a schema or database clone.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <vector>

#include "pgclone/catalog/default_acl_reader.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

// One statement per role, schema, object type, grantee and grant option.
// Entries whose role or grantee is missing on the target are left out and
// counted in one WARNING (not counted in the result, like the object
// grants); an unknown privilege keyword or a statement that fails is a
// WARNING. Returns the number of counted warnings.
int apply_default_privileges(pg::Spi &spi, const std::vector<catalog::DefaultPrivilege> &entries);

} // namespace pgclone::clone
