// Small questions asked of the *target* catalog (does this name exist: the
// syscache; the others through SPI).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <optional>
#include <string>

#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

bool schema_exists(const std::string &schema);

// Concurrent clones into one target database: pgclone serializes its checks
// ("does it exist?") with the creation that follows on the target name, so
// that calls racing each other get what one call after the other would give
// (the second sees the first's committed object) and never a unique-index
// violation on a catalog. The lock is a transaction-level advisory lock
// (ExclusiveLock) in pgclone's own key space: two int4 keys, the first
// advisory_key_space, the second a hash of the name; it waits like any lock
// (lock_timeout, deadlock detection, cancel) and is released at the end of
// the transaction.
constexpr int advisory_key_space = 0x7067636c; // "pgcl"
// Locks the name schema.name of a relation or type (one name space in
// PostgreSQL: a table has a row type of its name).
void lock_target_name(const std::string &schema, const std::string &name);
// Creates schema unless it exists (under the lock of its name). Returns
// whether it was created.
bool ensure_schema(pg::Spi &spi, const std::string &schema);
// Any relation (table, index, sequence, view, ...) of that name in schema.
bool relation_exists(const std::string &schema, const std::string &name);
// base, or base_2, base_3, ... (clipped to 63 bytes): the first free name.
std::string free_relation_name(const std::string &schema, const std::string &base);
// Refuses (42501, before anything is touched) a target schema that belongs
// to the server or to an extension: a system schema (core::is_system_schema),
// the schema pgclone is installed in, or a schema an extension created.
// function_name is the caller's name for messages ("pgclone.schema").
void refuse_protected_schema(pg::Spi &spi, const std::string &schema, const std::string &function_name);
// Whether refuse_protected_schema would refuse it.
bool is_protected_schema(pg::Spi &spi, const std::string &schema);
// Refuses (42501) an existing target object that belongs to an extension:
// the extension owns it, pgclone never drops, renames or replaces it.
// kind: "relation", "type" (name) or "function" (name and identity arguments).
void refuse_extension_member(pg::Spi &spi, const char *kind, const std::string &schema,
                             const std::string &name, const std::string &identity_args = {});

// A role of that name exists on the target.
bool role_exists(pg::Spi &spi, const std::string &role);

// Objects already on the target that a clone would use (an inheritance
// parent that reads the cloned child's rows; a routine that the cloned
// tables call in defaults, checks, indexes or triggers, run with the cloning
// role's rights): the owner of the existing object when it is none of the
// current user, a superuser or source_owner (the role owning the object on
// the source). Such an object was made by someone else who could create in
// its schema, and is not to be trusted. None when the object does not exist.
// kind "relation" (schema, name) or "routine" (schema, name and
// pg_get_function_identity_arguments()).
std::optional<std::string> foreign_owner(pg::Spi &spi, const char *kind, const std::string &schema,
                                         const std::string &name, const std::string &identity_args,
                                         const std::string &source_owner);
// The tablespace an object goes to: the source's when the target has one of
// that name; else nullopt (the database's default), with a NOTICE naming
// what (pg_restore too leaves such an object in the default tablespace).
std::optional<std::string> target_tablespace(pg::Spi &spi, const std::optional<std::string> &tablespace,
                                              const std::string &what);

// OID of schema.name (which must exist), as an unsigned number.
unsigned int relation_oid(const std::string &schema, const std::string &name);

} // namespace pgclone::clone
