// The source's ALTER DEFAULT PRIVILEGES entries on the target: IN SCHEMA
// ones for the schemas of a schema or database clone (option "privileges"),
// and every entry of the roles clone_roles clones.
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
// WARNING. An IN SCHEMA entry of a schema the target lacks is left out. A
// whole-database entry holds the role's complete defaults: they are emptied
// first (REVOKE ALL ... FROM PUBLIC, role), then granted as the source has
// them. Returns the number of counted warnings; adds the statements that
// ran to *applied.
int apply_default_privileges(pg::Spi &spi, const std::vector<catalog::DefaultPrivilege> &entries,
                             int *applied = nullptr);

} // namespace pgclone::clone
