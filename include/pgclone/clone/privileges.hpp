// Owners and access privileges of cloned objects (options "owners" and
// "privileges", docs/SECURITY.md "Privileges"): each object gets its source
// owner and its source ACL where those roles exist on the target. A
// SECURITY DEFINER function that cannot get its source owner keeps the
// caller as owner, loses EXECUTE for PUBLIC and gets none of the source's
// grants, with a WARNING: granted as it was, it would run as the caller for
// everyone.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>
#include <vector>

#include "pgclone/catalog/privilege_reader.hpp"
#include "pgclone/core/options.hpp"
#include "pgclone/libpq/connection.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

// Applies owners and ACLs to those of `objects` that exist on the target
// and belong to no extension there. Every statement runs in a
// subtransaction: one that fails is a WARNING. Roles missing on the target
// are counted and named in one WARNING each for owners and for grantees.
// Returns the number of warnings.
int apply_privileges(pg::Spi &spi, const std::vector<catalog::ObjectPrivileges> &objects,
                     const core::CloneOptions &options);

// pgclone.table() and table_async(): the owner and ACL of source table
// schema.table, applied to schema.target_table (target empty: same name),
// and the ACLs of its serial / identity sequences when the name is the same.
int clone_table_privileges(libpq::Connection &src, const std::string &schema, const std::string &table,
                           const std::string &target_table, const core::CloneOptions &options);

} // namespace pgclone::clone
