// CREATE AGGREGATE text (include/pgclone/core/aggregates.hpp).
#include <string>

#include "pgclone/core/aggregates.hpp"
#include "pgclone/core/ddl.hpp"

#include "pgclone/core/pure.hpp"

namespace pgclone::core {

namespace {

std::string qualified(const ObjectName &n) {
	return qualified_name(n.schema, n.name);
}

const char *modify_word(char m) {
	switch (m) {
	case 's':
		return "SHAREABLE";
	case 'w':
		return "READ_WRITE";
	default:
		return "READ_ONLY";
	}
}

} // namespace

std::string create_aggregate_sql(const AggregateDef &a) {
	std::string o = "SFUNC = " + qualified(a.transfn) + ", STYPE = " + a.transtype;
	if (a.transspace > 0)
		o += ", SSPACE = " + std::to_string(a.transspace);
	if (a.finalfn) {
		o += ", FINALFUNC = " + qualified(*a.finalfn);
		if (a.finalextra)
			o += ", FINALFUNC_EXTRA";
		o += std::string(", FINALFUNC_MODIFY = ") + modify_word(a.finalmodify);
	}
	if (a.combinefn)
		o += ", COMBINEFUNC = " + qualified(*a.combinefn);
	if (a.serialfn)
		o += ", SERIALFUNC = " + qualified(*a.serialfn);
	if (a.deserialfn)
		o += ", DESERIALFUNC = " + qualified(*a.deserialfn);
	if (a.initval)
		o += ", INITCOND = " + quote_literal(*a.initval);
	if (a.mtransfn && a.minvtransfn) {
		o += ", MSFUNC = " + qualified(*a.mtransfn) + ", MINVFUNC = " + qualified(*a.minvtransfn) +
		     ", MSTYPE = " + a.mtranstype;
		if (a.mtransspace > 0)
			o += ", MSSPACE = " + std::to_string(a.mtransspace);
		if (a.mfinalfn) {
			o += ", MFINALFUNC = " + qualified(*a.mfinalfn);
			if (a.mfinalextra)
				o += ", MFINALFUNC_EXTRA";
			o += std::string(", MFINALFUNC_MODIFY = ") + modify_word(a.mfinalmodify);
		}
		if (a.minitval)
			o += ", MINITCOND = " + quote_literal(*a.minitval);
	}
	if (a.sortop)
		o += ", SORTOP = OPERATOR(" + quote_ident(a.sortop->schema) + "." + a.sortop->name + ")";
	if (a.parallel == 's')
		o += ", PARALLEL = SAFE";
	else if (a.parallel == 'r')
		o += ", PARALLEL = RESTRICTED";
	if (a.kind == 'h')
		o += ", HYPOTHETICAL";
	return "CREATE AGGREGATE " + qualified_name(a.schema, a.name) + "(" + a.arguments + ") (" + o + ")";
}

bool is_operator_name(const std::string &name) {
	if (name.empty() || name.size() > 63)
		return false;
	for (char c : name)
		if (std::string("+-*/<>=~!@#%^&|`?").find(c) == std::string::npos)
			return false;
	return true;
}

} // namespace pgclone::core
