// DDL text of collations and text search objects (include/pgclone/core/text_objects.hpp).
#include <cctype>
#include <string>
#include <vector>

#include "pgclone/core/ddl.hpp"
#include "pgclone/core/text_objects.hpp"

#include "pgclone/core/pure.hpp"

namespace pgclone::core {

namespace {

// The keyword of COMMENT ON / CREATE for the kind.
const char *sql_word(TextObjectKind kind) {
	switch (kind) {
	case TextObjectKind::Parser:
		return "TEXT SEARCH PARSER";
	case TextObjectKind::Template:
		return "TEXT SEARCH TEMPLATE";
	case TextObjectKind::Dictionary:
		return "TEXT SEARCH DICTIONARY";
	case TextObjectKind::Configuration:
		return "TEXT SEARCH CONFIGURATION";
	case TextObjectKind::Collation:
		break;
	}
	return "COLLATION";
}

// "START = f, GETTOKEN = g, ..." for the functions that are set.
std::string function_list(const TextObjectDef &d, const std::vector<const char *> &keys) {
	std::string out;
	for (std::size_t i = 0; i < keys.size() && i < d.functions.size(); i++) {
		if (!d.functions[i])
			continue;
		out += (out.empty() ? "" : ", ") + std::string(keys[i]) + " = " + qualified_name(*d.functions[i]);
	}
	return out;
}

std::string collation_options(const TextObjectDef &d) {
	std::string out;
	switch (d.provider) {
	case 'i':
		out = "provider = icu, locale = " + quote_literal(d.locale.value_or(""));
		if (d.icu_rules)
			out += ", rules = " + quote_literal(*d.icu_rules);
		break;
	case 'b':
		out = "provider = builtin, locale = " + quote_literal(d.locale.value_or(""));
		break;
	default:
		out = "provider = libc, lc_collate = " + quote_literal(d.collate.value_or("")) +
		      ", lc_ctype = " + quote_literal(d.ctype.value_or(""));
	}
	if (!d.deterministic)
		out += ", deterministic = false";
	return out;
}

} // namespace

std::string qualified_name(const ObjectName &n) {
	return qualified_name(n.schema, n.name);
}

std::string text_object_kind_word(TextObjectKind kind) {
	std::string word = sql_word(kind);
	for (char &ch : word)
		ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
	return word;
}

std::string text_object_create_sql(const TextObjectDef &d) {
	std::string head = "CREATE " + std::string(sql_word(d.kind)) + " " + qualified_name(d.schema, d.name) + " (";
	switch (d.kind) {
	case TextObjectKind::Parser:
		return head + function_list(d, {"START", "GETTOKEN", "END", "LEXTYPES", "HEADLINE"}) + ")";
	case TextObjectKind::Template:
		return head + function_list(d, {"INIT", "LEXIZE"}) + ")";
	case TextObjectKind::Dictionary:
		return head + "TEMPLATE = " + qualified_name(d.base) + (d.options.empty() ? "" : ", " + d.options) + ")";
	case TextObjectKind::Configuration:
		return head + "PARSER = " + qualified_name(d.base) + ")";
	case TextObjectKind::Collation:
		break;
	}
	return head + collation_options(d) + ")";
}

std::vector<std::string> text_object_then_sql(const TextObjectDef &d) {
	std::vector<std::string> out;
	const std::string q = qualified_name(d.schema, d.name);
	for (const auto &[alias, dicts] : d.mappings) {
		if (dicts.empty())
			continue;
		std::string list;
		for (const auto &dict : dicts)
			list += (list.empty() ? "" : ", ") + qualified_name(dict);
		out.push_back("ALTER TEXT SEARCH CONFIGURATION " + q + " ADD MAPPING FOR " + quote_ident(alias) +
		              " WITH " + list);
	}
	if (d.comment)
		out.push_back("COMMENT ON " + std::string(sql_word(d.kind)) + " " + q + " IS " + quote_literal(*d.comment));
	return out;
}

} // namespace pgclone::core
