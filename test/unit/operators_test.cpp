#include <gtest/gtest.h>

#include "pgclone/core/error.hpp"
#include "pgclone/core/operators.hpp"

using namespace pgclone::core;

namespace {

OperatorDef binary_operator() {
	OperatorDef o;
	o.schema = "s\"; DROP";
	o.name = "===";
	o.left = "s.money2";
	o.right = "s.money2";
	o.function = {"s", "eq\"x"};
	return o;
}

} // namespace

TEST(Operators, CreateQuotesSchemaAndFunctionsAndNamesEveryOption) {
	OperatorDef o = binary_operator();
	o.commutator = ObjectName{"s\"; DROP", "==="};
	o.negator = ObjectName{"s", "!=="};
	o.restrict_fn = ObjectName{"pg_catalog", "eqsel"};
	o.join_fn = ObjectName{"pg_catalog", "eqjoinsel"};
	o.hashes = o.merges = true;
	EXPECT_EQ(
	    create_operator_sql(o),
	    "CREATE OPERATOR \"s\"\"; DROP\".=== (FUNCTION = \"s\".\"eq\"\"x\", LEFTARG = s.money2, "
	    "RIGHTARG = s.money2, COMMUTATOR = OPERATOR(\"s\"\"; DROP\".===), NEGATOR = OPERATOR(\"s\".!==), "
	    "RESTRICT = \"pg_catalog\".\"eqsel\", JOIN = \"pg_catalog\".\"eqjoinsel\", HASHES, MERGES)");
}

TEST(Operators, PrefixOperatorAndItsComment) {
	OperatorDef o = binary_operator();
	o.left.reset();
	o.comment = "it's; --";
	EXPECT_EQ(create_operator_sql(o),
	          "CREATE OPERATOR \"s\"\"; DROP\".=== (FUNCTION = \"s\".\"eq\"\"x\", RIGHTARG = s.money2)");
	EXPECT_EQ(*operator_comment_sql(o),
	          "COMMENT ON OPERATOR \"s\"\"; DROP\".=== (NONE, s.money2) IS 'it''s; --'");
	o.comment.reset();
	EXPECT_FALSE(operator_comment_sql(o));
}

TEST(Operators, AnOperatorNameThatIsNotOneIsRefused) {
	for (const char *bad : {"=; DROP TABLE t; --", "a", "", "=)", "= ="}) {
		OperatorDef o = binary_operator();
		o.name = bad;
		EXPECT_THROW(create_operator_sql(o), Error) << bad;
		o.name = "=";
		o.commutator = ObjectName{"s", bad};
		EXPECT_THROW(create_operator_sql(o), Error) << bad;
	}
}

TEST(Operators, ClassWithMembersFamilyAndStorage) {
	OperatorClassDef c;
	c.schema = "s";
	c.name = "odd \"cls\"; --";
	c.method = "gist";
	c.type = "s.box2";
	c.is_default = true;
	c.family = {"s", "odd \"fam\""};
	c.storage = "s.key";
	OperatorMember op;
	op.number = 1;
	op.left = op.right = "s.box2";
	op.signature = "s.<<(s.box2,s.box2)";
	OperatorMember ordering = op;
	ordering.number = 15;
	ordering.signature = "s.<->(s.box2,s.box2)";
	ordering.order_by = ObjectName{"pg_catalog", "float_ops"};
	OperatorMember fn;
	fn.is_function = true;
	fn.number = 1;
	fn.left = fn.right = "s.box2";
	fn.signature = "s.consistent(internal,s.box2,smallint,oid,internal)";
	c.members = {op, ordering, fn};
	c.comment = "x";
	EXPECT_EQ(
	    create_operator_class_sql(c),
	    "CREATE OPERATOR CLASS \"s\".\"odd \"\"cls\"\"; --\" DEFAULT FOR TYPE s.box2 USING \"gist\" "
	    "FAMILY \"s\".\"odd \"\"fam\"\"\" AS OPERATOR 1 s.<<(s.box2,s.box2), "
	    "OPERATOR 15 s.<->(s.box2,s.box2) FOR ORDER BY \"pg_catalog\".\"float_ops\", "
	    "FUNCTION 1 (s.box2, s.box2) s.consistent(internal,s.box2,smallint,oid,internal), STORAGE s.key");
	EXPECT_EQ(*operator_class_comment_sql(c),
	          "COMMENT ON OPERATOR CLASS \"s\".\"odd \"\"cls\"\"; --\" USING \"gist\" IS 'x'");
}

TEST(Operators, ClassWithoutMembersNamesItsOwnTypeAsStorage) {
	OperatorClassDef c;
	c.schema = "s";
	c.name = "c";
	c.method = "btree";
	c.type = "integer";
	c.family = {"s", "f"};
	EXPECT_EQ(
	    create_operator_class_sql(c),
	    "CREATE OPERATOR CLASS \"s\".\"c\" FOR TYPE integer USING \"btree\" FAMILY \"s\".\"f\" AS STORAGE integer");
}

TEST(Operators, FamilyAndItsOwnMembers) {
	OperatorFamilyDef f;
	f.schema = "s";
	f.name = "rev";
	f.method = "btree";
	EXPECT_EQ(create_operator_family_sql(f), "CREATE OPERATOR FAMILY \"s\".\"rev\" USING \"btree\"");
	EXPECT_FALSE(operator_family_members_sql(f));
	OperatorMember op;
	op.number = 3;
	op.left = "integer";
	op.right = "bigint";
	op.signature = "=(integer,bigint)";
	OperatorMember fn;
	fn.is_function = true;
	fn.number = 1;
	fn.left = "integer";
	fn.right = "bigint";
	fn.signature = "s.cmp(integer,bigint)";
	f.members = {op, fn};
	EXPECT_EQ(*operator_family_members_sql(f),
	          "ALTER OPERATOR FAMILY \"s\".\"rev\" USING \"btree\" ADD "
	          "OPERATOR 3 =(integer,bigint), FUNCTION 1 (integer, bigint) s.cmp(integer,bigint)");
}

TEST(Operators, CastsOfEveryMethodAndContext) {
	CastDef c;
	c.source = "s.money2";
	c.target = "text";
	c.function = "s.money2_text(s.money2)";
	EXPECT_EQ(create_cast_sql(c), "CREATE CAST (s.money2 AS text) WITH FUNCTION s.money2_text(s.money2)");
	c.context = 'a';
	c.method = 'i';
	EXPECT_EQ(create_cast_sql(c), "CREATE CAST (s.money2 AS text) WITH INOUT AS ASSIGNMENT");
	c.context = 'i';
	c.method = 'b';
	EXPECT_EQ(create_cast_sql(c), "CREATE CAST (s.money2 AS text) WITHOUT FUNCTION AS IMPLICIT");
	c.comment = "a'b";
	EXPECT_EQ(*cast_comment_sql(c), "COMMENT ON CAST (s.money2 AS text) IS 'a''b'");
	c.method = 'f';
	c.function.reset();
	EXPECT_THROW(create_cast_sql(c), Error);
}
