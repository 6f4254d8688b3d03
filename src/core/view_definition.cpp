// Single-relation view definitions across the PostgreSQL 16 pg_get_viewdef() change.
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pgclone/core/schema_diff.hpp"
#include "pgclone/core/view_definition.hpp"
#include "pgclone/core/pure.hpp"

namespace pgclone::core {

namespace {

enum class Kind { Ident, QuotedIdent, String, Number, Punct };

struct Token {
	size_t begin, end;
	Kind kind;
};

bool ident_start(unsigned char c) {
	return std::isalpha(c) || c == '_' || c >= 0x80;
}
bool ident_char(unsigned char c) {
	return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

// Splits a pg_get_viewdef() text into tokens. Only what ruleutils prints needs to be
// understood: identifiers, "quoted identifiers", 'strings' (E'...' with backslash escapes),
// numbers and punctuation. nullopt for an unterminated string or quoted identifier.
std::optional<std::vector<Token>> tokenize(std::string_view s) {
	std::vector<Token> out;
	size_t i = 0, n = s.size();
	while (i < n) {
		unsigned char c = s[i];
		if (std::isspace(c)) {
			i++;
		} else if (c == '\'') {
			// E'...' is lexed as the identifier E directly followed by a string.
			bool escapes = !out.empty() && out.back().kind == Kind::Ident && out.back().end == i &&
			               out.back().end - out.back().begin == 1 && (s[i - 1] == 'E' || s[i - 1] == 'e');
			size_t begin = escapes ? out.back().begin : i;
			if (escapes)
				out.pop_back();
			size_t j = i + 1;
			for (;;) {
				if (j >= n)
					return std::nullopt;
				if (escapes && s[j] == '\\') {
					j += 2;
					continue;
				}
				if (s[j] == '\'') {
					if (j + 1 < n && s[j + 1] == '\'') {
						j += 2;
						continue;
					}
					break;
				}
				j++;
			}
			out.push_back({begin, j + 1, Kind::String});
			i = j + 1;
		} else if (c == '"') {
			size_t j = i + 1;
			for (;;) {
				if (j >= n)
					return std::nullopt;
				if (s[j] == '"') {
					if (j + 1 < n && s[j + 1] == '"') {
						j += 2;
						continue;
					}
					break;
				}
				j++;
			}
			out.push_back({i, j + 1, Kind::QuotedIdent});
			i = j + 1;
		} else if (ident_start(c)) {
			size_t j = i + 1;
			while (j < n && ident_char(s[j]))
				j++;
			out.push_back({i, j, Kind::Ident});
			i = j;
		} else if (std::isdigit(c)) {
			size_t j = i + 1;
			while (j < n && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '.'))
				j++;
			out.push_back({i, j, Kind::Number});
			i = j;
		} else if (c == ':' && i + 1 < n && s[i + 1] == ':') {
			out.push_back({i, i + 2, Kind::Punct});
			i += 2;
		} else {
			out.push_back({i, i + 1, Kind::Punct});
			i++;
		}
	}
	return out;
}

std::string lower(std::string_view s) {
	std::string out(s);
	for (char &c : out)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	return out;
}

bool is_name(const Token &t) {
	return t.kind == Kind::Ident || t.kind == Kind::QuotedIdent;
}

// Keywords that may follow the FROM item of a plain single-relation SELECT.
bool clause_keyword(const std::string &w) {
	for (const char *k : {"where", "group", "having", "window", "order", "limit", "offset", "fetch", "for"})
		if (w == k)
			return true;
	return false;
}

// Keywords that mean more than one relation (or a shape ruleutils may print differently).
bool multi_relation_keyword(const std::string &w) {
	for (const char *k : {"union", "intersect", "except", "join", "lateral", "values", "tablesample"})
		if (w == k)
			return true;
	return false;
}

} // namespace

std::optional<std::string> unqualified_single_relation_view(std::string_view definition) {
	auto lexed = tokenize(definition);
	if (!lexed || lexed->empty())
		return std::nullopt;
	const std::vector<Token> &tok = *lexed;
	const size_t n = tok.size();
	auto text = [&](size_t i) { return definition.substr(tok[i].begin, tok[i].end - tok[i].begin); };
	auto word = [&](size_t i) { return tok[i].kind == Kind::Ident ? lower(text(i)) : std::string(); };
	auto punct = [&](size_t i, std::string_view p) {
		return i < n && tok[i].kind == Kind::Punct && text(i) == p;
	};

	// One SELECT, no set operation, join, sub-select or VALUES anywhere.
	int selects = 0;
	for (size_t i = 0; i < n; i++) {
		std::string w = word(i);
		if (w == "select")
			selects++;
		else if (multi_relation_keyword(w))
			return std::nullopt;
	}
	if (selects != 1 || word(0) != "select")
		return std::nullopt;

	// The FROM of the query: the first one outside parentheses that is not "IS [NOT] DISTINCT FROM".
	size_t from = n;
	int depth = 0;
	for (size_t i = 0; i < n && from == n; i++) {
		if (punct(i, "("))
			depth++;
		else if (punct(i, ")"))
			depth--;
		else if (depth == 0 && word(i) == "from" && !(i > 0 && word(i - 1) == "distinct"))
			from = i;
	}
	if (from == n)
		return std::nullopt;

	// FROM [ONLY] [schema.]relation [alias], then the end or the next clause.
	size_t j = from + 1;
	if (j < n && word(j) == "only")
		j++;
	if (j >= n || !is_name(tok[j]))
		return std::nullopt;
	size_t rel = j++;
	if (punct(j, ".")) {
		if (j + 1 >= n || !is_name(tok[j + 1]))
			return std::nullopt;
		rel = j + 1;
		j += 2;
	}
	if (punct(j, "(")) // a function in FROM
		return std::nullopt;
	size_t refname = rel;
	if (j < n &&
	    (tok[j].kind == Kind::QuotedIdent || (tok[j].kind == Kind::Ident && !clause_keyword(word(j))))) {
		refname = j++;
		if (punct(j, "(")) // column aliases
			return std::nullopt;
	}
	if (j < n && !punct(j, ";") && !clause_keyword(word(j)))
		return std::nullopt;
	const size_t from_end = j;

	// Drop "refname." in front of a column name, outside the FROM item; never in front of a
	// function name (a schema that happens to have the relation's name) or after "::" (a type).
	const std::string_view ref = text(refname);
	std::vector<std::pair<size_t, size_t>> cuts;
	for (size_t i = 0; i + 2 < n; i++) {
		if (i >= from && i < from_end)
			continue;
		if (!is_name(tok[i]) || text(i) != ref || !punct(i + 1, ".") || !is_name(tok[i + 2]))
			continue;
		if (i > 0 && (punct(i - 1, ".") || punct(i - 1, "::")))
			continue;
		if (punct(i + 3, "("))
			continue;
		cuts.emplace_back(tok[i].begin, tok[i + 2].begin);
	}
	std::string out;
	out.reserve(definition.size());
	size_t pos = 0;
	for (const auto &[b, e] : cuts) {
		out.append(definition.substr(pos, b - pos));
		pos = e;
	}
	out.append(definition.substr(pos));
	return out;
}

bool same_view_across_16(std::string_view older, std::string_view newer) {
	const std::string target = normalize_definition(newer);
	if (normalize_definition(older) == target)
		return true;
	auto unqualified = unqualified_single_relation_view(older);
	return unqualified && normalize_definition(*unqualified) == target;
}

} // namespace pgclone::core
