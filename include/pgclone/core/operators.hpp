// DDL text of user-defined operators, operator families, operator classes
// and casts: pure functions from a catalog description to statements.
// Schema and object names are quoted here; operator names cannot be quoted,
// so one that is not made of operator characters is refused (an Error).
// Type names, operator signatures (regoperator) and function signatures
// (regprocedure) are the source's own text, which the caller runs through
// the one-statement check like every definition read from the source.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pgclone/core/text_objects.hpp"

namespace pgclone::core {

struct OperatorDef {
	std::string oid, schema, name;
	std::optional<std::string> left, right; // format_type(); nullopt: NONE (a prefix operator)
	ObjectName function;
	std::optional<ObjectName> commutator, negator, restrict_fn, join_fn;
	bool hashes = false, merges = false;
	std::optional<std::string> comment;
};

// One operator or support function of a class or family (pg_amop / pg_amproc).
struct OperatorMember {
	bool is_function = false;
	int number = 0;          // strategy or support number
	std::string left, right; // the member's types (regtype text)
	// Operator: regoperator text, `s.<(integer,integer)`; function:
	// regprocedure text, `s.f(integer,integer)`.
	std::string signature;
	// An ordering operator (amoppurpose 'o'): the family it sorts by.
	std::optional<ObjectName> order_by;
};

struct OperatorFamilyDef {
	std::string oid, schema, name, method; // method: the access method's name
	// Members added with ALTER OPERATOR FAMILY ... ADD (not a class's own).
	std::vector<OperatorMember> members;
	std::optional<std::string> comment;
};

struct OperatorClassDef {
	std::string oid, schema, name, method;
	std::string type; // FOR TYPE (format_type)
	bool is_default = false;
	ObjectName family;
	std::optional<std::string> storage; // STORAGE type, when it differs
	std::vector<OperatorMember> members;
	std::optional<std::string> comment;
};

struct CastDef {
	std::string oid;
	std::string source, target;          // format_type()
	char method = 'f';                   // f function, i inout, b binary coercible
	std::optional<std::string> function; // regprocedure text (method f)
	char context = 'e';                  // e explicit, a assignment, i implicit
	std::optional<std::string> comment;
};

// `"s".+ (integer, integer)` as COMMENT ON OPERATOR names it; for messages too.
std::string operator_signature(const OperatorDef &o);
std::string create_operator_sql(const OperatorDef &o);

std::string create_operator_family_sql(const OperatorFamilyDef &f);
// ALTER OPERATOR FAMILY ... ADD its members, or nullopt when it has none.
std::optional<std::string> operator_family_members_sql(const OperatorFamilyDef &f);
std::string create_operator_class_sql(const OperatorClassDef &c);

// `(s AS t)`, as CREATE / COMMENT ON CAST name it.
std::string cast_signature(const CastDef &c);
std::string create_cast_sql(const CastDef &c);

// COMMENT ON ... for each of them (nullopt without a comment).
std::optional<std::string> operator_comment_sql(const OperatorDef &o);
std::optional<std::string> operator_family_comment_sql(const OperatorFamilyDef &f);
std::optional<std::string> operator_class_comment_sql(const OperatorClassDef &c);
std::optional<std::string> cast_comment_sql(const CastDef &c);

} // namespace pgclone::core
