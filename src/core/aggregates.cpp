// CREATE AGGREGATE text (include/pgclone/core/aggregates.hpp).
#include <string>

#include "pgclone/core/aggregates.hpp"
#include "pgclone/core/ddl.hpp"

#include "pgclone/core/pure.hpp"

namespace pgclone::core {

namespace {

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

// ", FINALFUNC = f[, FINALFUNC_EXTRA], FINALFUNC_MODIFY = m" (prefix "" or "M").
std::string final_options(const std::string &prefix, const std::optional<ObjectName> &fn, bool extra, char modify) {
	if (!fn)
		return "";
	return ", " + prefix + "FINALFUNC = " + qualified_name(*fn) + (extra ? ", " + prefix + "FINALFUNC_EXTRA" : "") + ", " +
	       prefix + "FINALFUNC_MODIFY = " + modify_word(modify);
}

} // namespace

std::string create_aggregate_sql(const AggregateDef &a) {
	std::string o = "SFUNC = " + qualified_name(a.transfn) + ", STYPE = " + a.transtype;
	if (a.transspace > 0)
		o += ", SSPACE = " + std::to_string(a.transspace);
	o += final_options("", a.finalfn, a.finalextra, a.finalmodify);
	if (a.combinefn)
		o += ", COMBINEFUNC = " + qualified_name(*a.combinefn);
	if (a.serialfn)
		o += ", SERIALFUNC = " + qualified_name(*a.serialfn);
	if (a.deserialfn)
		o += ", DESERIALFUNC = " + qualified_name(*a.deserialfn);
	if (a.initval)
		o += ", INITCOND = " + quote_literal(*a.initval);
	if (a.mtransfn && a.minvtransfn) {
		o += ", MSFUNC = " + qualified_name(*a.mtransfn) + ", MINVFUNC = " + qualified_name(*a.minvtransfn) +
		     ", MSTYPE = " + a.mtranstype;
		if (a.mtransspace > 0)
			o += ", MSSPACE = " + std::to_string(a.mtransspace);
		o += final_options("M", a.mfinalfn, a.mfinalextra, a.mfinalmodify);
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
