// DDL text of user-defined aggregates: a pure function from the catalog
// description (pg_aggregate) to CREATE AGGREGATE. Function, type and
// operator names are quoted here; the argument list and type names are the
// source's text (pg_get_function_arguments / format_type), which the caller
// runs through the one-statement check like every definition from the source.
#pragma once

#include <optional>
#include <string>

#include "pgclone/core/text_objects.hpp"

namespace pgclone::core {

struct AggregateDef {
	std::string oid, schema, name;
	std::string arguments;  // pg_get_function_arguments(): "x integer" / "p float8 ORDER BY v anyelement"
	char kind = 'n';        // n normal, o ordered-set, h hypothetical-set
	char parallel = 'u';    // pg_proc.proparallel
	ObjectName transfn;
	std::string transtype;  // format_type()
	int transspace = 0;
	std::optional<ObjectName> finalfn, combinefn, serialfn, deserialfn;
	bool finalextra = false;
	char finalmodify = 'r'; // r READ_ONLY, s SHAREABLE, w READ_WRITE
	std::optional<std::string> initval;
	// Moving-aggregate mode (all set or none).
	std::optional<ObjectName> mtransfn, minvtransfn, mfinalfn;
	std::string mtranstype;
	int mtransspace = 0;
	bool mfinalextra = false;
	char mfinalmodify = 'r';
	std::optional<std::string> minitval;
	std::optional<ObjectName> sortop;
	std::optional<std::string> comment;
};

std::string create_aggregate_sql(const AggregateDef &a);

// An operator name as PostgreSQL allows it (only the characters
// + - * / < > = ~ ! @ # % ^ & | ` ?, at most 63 bytes): operator names cannot
// be quoted, so a name that is anything else is refused before it is used.
bool is_operator_name(const std::string &name);

} // namespace pgclone::core
