// DDL text of collations and text search objects (parsers, templates,
// dictionaries, configurations): pure functions from a catalog description
// to statements. Names are always quoted; the only source text used
// verbatim is a dictionary's option list, which the caller runs through the
// one-statement check like every definition read from the source.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pgclone::core {

struct ObjectName {
	std::string schema, name;
};

// Creation order: a dictionary needs its template, a configuration its
// parser and dictionaries; collations stand alone.
enum class TextObjectKind { Parser = 0, Template = 1, Dictionary = 2, Configuration = 3, Collation = 4 };

struct TextObjectDef {
	TextObjectKind kind = TextObjectKind::Collation;
	std::string oid, schema, name;
	std::optional<std::string> comment;
	// Parser: start, gettoken, end, lextypes, headline; template: init, lexize.
	// nullopt for an optional function that is not set.
	std::vector<std::optional<ObjectName>> functions;
	// Dictionary: its template; configuration: its parser.
	ObjectName base;
	// Dictionary: pg_ts_dict.dictinitoption ("stopwords = 'english'"), or empty.
	std::string options;
	// Configuration: per token type alias, its dictionaries in order.
	std::vector<std::pair<std::string, std::vector<ObjectName>>> mappings;
	// Collation: provider 'c' libc, 'i' icu, 'b' builtin; locale fields as
	// the source has them (collate/ctype for libc, locale for icu/builtin).
	char provider = 'c';
	std::optional<std::string> collate, ctype, locale, icu_rules;
	bool deterministic = true;
};

// "s"."n"
std::string qualified_name(const ObjectName &n);

// "collation", "text search configuration", ... for messages.
std::string text_object_kind_word(TextObjectKind kind);

// The CREATE statement of the object.
std::string text_object_create_sql(const TextObjectDef &d);

// What completes it once it exists: a configuration's mappings (one ALTER
// per token type) and the comment.
std::vector<std::string> text_object_then_sql(const TextObjectDef &d);

} // namespace pgclone::core
