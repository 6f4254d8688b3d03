// Large objects of a database clone (option "large_objects", database()
// only): each one created with the source's oid and contents, then its
// owner, ACL and comment as for other objects (options "owners",
// "privileges").
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstdint>

#include "pgclone/core/options.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::clone {

struct LargeObjectOutcome {
	uint64_t copied = 0;
	int warnings = 0;
};

// A large object whose oid exists on the target already: kept with
// conflict "skip" or "rename" (an oid cannot be renamed; NOTICE), replaced
// with "replace", and with "error" the clone fails.
LargeObjectOutcome clone_large_objects(libpq::Connection &src, const core::CloneOptions &options);

} // namespace pgclone::clone
