#include <gtest/gtest.h>

#include "pgclone/core/aggregates.hpp"

using namespace pgclone::core;

TEST(Aggregates, SimpleAggregateQuotesItsFunctionsAndLiteral) {
	AggregateDef a;
	a.schema = "s";
	a.name = "total";
	a.arguments = "s.money2";
	a.transfn = {"s", "add \"x\""};
	a.transtype = "bigint";
	a.initval = "0'; DROP";
	EXPECT_EQ(create_aggregate_sql(a), "CREATE AGGREGATE \"s\".\"total\"(s.money2) (SFUNC = \"s\".\"add \"\"x\"\"\", "
	                                   "STYPE = bigint, INITCOND = '0''; DROP')");
}

TEST(Aggregates, EveryOption) {
	AggregateDef a;
	a.schema = "s";
	a.name = "a";
	a.arguments = "double precision ORDER BY anyelement";
	a.kind = 'h';
	a.parallel = 's';
	a.transfn = {"s", "t"};
	a.transtype = "internal";
	a.transspace = 16;
	a.finalfn = ObjectName{"s", "f"};
	a.finalextra = true;
	a.finalmodify = 'w';
	a.combinefn = ObjectName{"s", "c"};
	a.serialfn = ObjectName{"s", "ser"};
	a.deserialfn = ObjectName{"s", "des"};
	a.mtransfn = ObjectName{"s", "mt"};
	a.minvtransfn = ObjectName{"s", "mi"};
	a.mtranstype = "integer";
	a.mfinalfn = ObjectName{"s", "mf"};
	a.minitval = "1";
	a.sortop = ObjectName{"pg_catalog", "<"};
	EXPECT_EQ(create_aggregate_sql(a),
	          "CREATE AGGREGATE \"s\".\"a\"(double precision ORDER BY anyelement) (SFUNC = \"s\".\"t\", STYPE = internal, "
	          "SSPACE = 16, FINALFUNC = \"s\".\"f\", FINALFUNC_EXTRA, FINALFUNC_MODIFY = READ_WRITE, COMBINEFUNC = "
	          "\"s\".\"c\", SERIALFUNC = \"s\".\"ser\", DESERIALFUNC = \"s\".\"des\", MSFUNC = \"s\".\"mt\", MINVFUNC = "
	          "\"s\".\"mi\", MSTYPE = integer, MFINALFUNC = \"s\".\"mf\", MFINALFUNC_MODIFY = READ_ONLY, MINITCOND = '1', "
	          "SORTOP = OPERATOR(\"pg_catalog\".<), PARALLEL = SAFE, HYPOTHETICAL)");
}

TEST(Aggregates, OperatorNamesAreOnlyOperatorCharacters) {
	EXPECT_TRUE(is_operator_name("<"));
	EXPECT_TRUE(is_operator_name("==="));
	EXPECT_FALSE(is_operator_name(""));
	EXPECT_FALSE(is_operator_name("<), PARALLEL = SAFE, SORTOP = OPERATOR(pg_catalog.<"));
	EXPECT_FALSE(is_operator_name("a"));
	EXPECT_FALSE(is_operator_name(std::string(64, '<')));
}
