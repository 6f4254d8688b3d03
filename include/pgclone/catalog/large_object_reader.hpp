// Reads the large objects of the source database: their list with owners,
// ACL items (aclexplode(), checked by the target like every ACL) and
// comments in one query, and their contents in chunks.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pgclone/catalog/privilege_reader.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::catalog {

struct LargeObjectDef {
	std::string oid;
	std::string owner;
	std::vector<AclEntry> acl;
	std::optional<std::string> comment;
};

std::vector<LargeObjectDef> read_large_objects(libpq::Connection &src);

// Up to `length` bytes of large object `oid` from `offset`, as bytea text
// ("\x..."): empty ("\x") at its end.
std::string read_large_object_chunk(libpq::Connection &src, const std::string &oid, int64_t offset, int length);

} // namespace pgclone::catalog
