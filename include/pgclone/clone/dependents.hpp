// What a `conflict: replace` would destroy besides the relation it replaces,
// read from the target catalog before the DROP ... CASCADE, and put back
// afterwards: views and materialized views that read the relation (and the
// views on those), with their options, indexes, comment, owner and grants;
// foreign keys of other tables that reference it. Other objects the CASCADE
// drops (a function whose SQL-standard body reads the table, a policy of
// another table, a column of the table's row type) cannot be recreated
// from the catalog: they are named in a WARNING each.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>
#include <vector>

#include "pgclone/clone/ddl_runner.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

struct DependentObject {
	char kind = 'v';             // v view, m materialized view, f foreign key
	std::string schema, name;    // the view, or the table holding the foreign key
	std::string constraint_name; // foreign keys
	std::string table_oid;       // foreign keys: that table, as it was before the replace
	DdlItem item;                // what creates it again
};

struct Dependents {
	std::vector<DependentObject> objects; // in an order that creates them (views on views after them)
	// pg_describe_object() of what the CASCADE drops and cannot be recreated.
	std::vector<std::string> lost;
	// The relations that were replaced, for messages ("test_schema.customers").
	std::vector<std::string> replaced;

	void add(Dependents other);
	// What the CASCADE drops, for a dry run: each object described.
	std::vector<std::string> names() const;
	bool empty() const { return objects.empty() && lost.empty(); }
};

// Reads what DROP ... CASCADE of the existing relation schema.name would
// drop with it. Definitions come back schema-qualified.
Dependents read_dependents(pg::Spi &spi, const std::string &schema, const std::string &name);

// After the replacement: creates the dependents again, each in its own
// subtransaction. One that exists by now (the clone itself created it), or a
// foreign key whose table was itself replaced, is left alone. Returns the
// warnings: a dependent that could not be created, and each lost object.
int recreate_dependents(pg::Spi &spi, const Dependents &d);

} // namespace pgclone::clone
