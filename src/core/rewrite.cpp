// Re-targeting source DDL text at a renamed table.
#include "pgclone/core/rewrite.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/pure.hpp"

namespace pgclone::core {

void check_name(std::string_view name, const char *what) {
	if (name.empty() || name.size() > max_identifier_bytes)
		throw Error("invalid " + std::string(what) + " \"" + std::string(name) + "\"", sqlstate::invalid_name,
		            "A name has 1 to " + std::to_string(max_identifier_bytes) + " bytes.");
}

void check_target_table_name(std::string_view name) {
	if (name.find('.') != std::string_view::npos)
		throw Error("target table name \"" + std::string(name) + "\" contains a dot", sqlstate::invalid_name,
		            "The target table name is one name, never schema-qualified: it would create a table literally named \"" +
		                std::string(name) + "\".",
		            "Pass the schema as the option \"target_schema\": {\"target_schema\": \"staging\"}.");
}

std::string clip_identifier(std::string_view name, size_t max_bytes) {
	if (name.size() <= max_bytes)
		return std::string(name);
	size_t cut = max_bytes;
	// Step back over UTF-8 continuation bytes (10xxxxxx).
	while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80)
		cut--;
	return std::string(name.substr(0, cut));
}

std::string derive_name(std::string_view name, std::string_view source_table, std::string_view target_table) {
	if (source_table == target_table)
		return std::string(name);
	std::string out;
	if (name.substr(0, source_table.size()) == source_table)
		out = std::string(target_table) + std::string(name.substr(source_table.size()));
	else
		out = std::string(name) + "_" + std::string(target_table);
	return clip_identifier(out);
}

namespace {

bool consume(std::string_view &s, std::string_view prefix) {
	if (s.substr(0, prefix.size()) != prefix)
		return false;
	s.remove_prefix(prefix.size());
	return true;
}

bool is_keyword_char(char c) {
	return (c >= 'A' && c <= 'Z') || c == ' ';
}

// Skips one identifier as quote_identifier() prints it: "..." with doubled
// quotes inside, or a run of characters up to a space. False when s does
// not start with one.
bool consume_identifier(std::string_view &s) {
	if (s.empty())
		return false;
	if (s[0] != '"') {
		size_t end = s.find(' ');
		if (end == 0 || end == std::string_view::npos)
			return false;
		s.remove_prefix(end);
		return true;
	}
	for (size_t i = 1; i < s.size(); i++) {
		if (s[i] != '"')
			continue;
		if (i + 1 < s.size() && s[i + 1] == '"') {
			i++;
			continue;
		}
		s.remove_prefix(i + 1);
		return true;
	}
	return false;
}

} // namespace

std::optional<std::string> retarget_created_schema(std::string_view def, std::string_view old_schema_q,
                                                   std::string_view new_schema_q) {
	if (def.substr(0, 7) != "CREATE ")
		return std::nullopt;
	// Keywords are upper case; a name is lower case or quoted.
	size_t at = 7;
	while (at < def.size() && is_keyword_char(def[at]))
		at++;
	std::string_view rest = def.substr(at);
	if (at == 7 || def[at - 1] != ' ' || !consume(rest, old_schema_q) || rest.empty() || rest[0] != '.')
		return std::nullopt;
	return std::string(def.substr(0, at)) + std::string(new_schema_q) + std::string(rest);
}

std::optional<std::string> retarget_on_schema(std::string_view def, std::string_view old_schema_q,
                                              std::string_view new_schema_q) {
	std::string_view s = def;
	if (!consume(s, "CREATE "))
		return std::nullopt;
	if (!consume(s, "UNIQUE "))
		consume(s, "CONSTRAINT ");
	if (!consume(s, "INDEX ") && !consume(s, "TRIGGER "))
		return std::nullopt;
	if (!consume_identifier(s))
		return std::nullopt;
	// The events of a trigger come before ON; none of them holds " ON ".
	std::string needle = " ON " + std::string(old_schema_q) + ".";
	std::string needle_only = " ON ONLY " + std::string(old_schema_q) + ".";
	size_t at = s.find(needle_only);
	size_t len = needle_only.size();
	size_t plain = s.find(needle);
	if (plain != std::string_view::npos && (at == std::string_view::npos || plain < at)) {
		at = plain;
		len = needle.size();
	}
	if (at == std::string_view::npos)
		return std::nullopt;
	size_t head = def.size() - s.size() + at + len - old_schema_q.size() - 1;
	return std::string(def.substr(0, head)) + std::string(new_schema_q) +
	       std::string(def.substr(head + old_schema_q.size()));
}

std::optional<std::string> rewrite_index_def(std::string_view def, std::string_view index_q,
                                             std::string_view table_q, std::string_view new_index_q,
                                             std::string_view new_table_q, bool cascade) {
	std::string_view s = def;
	std::string out = "CREATE ";
	if (!consume(s, "CREATE "))
		return std::nullopt;
	if (consume(s, "UNIQUE "))
		out += "UNIQUE ";
	if (!consume(s, "INDEX ") || !consume(s, index_q) || !consume(s, " ON "))
		return std::nullopt;
	out += "INDEX ";
	out += new_index_q;
	out += " ON ";
	if (consume(s, "ONLY ") && !cascade)
		out += "ONLY ";
	if (!consume(s, table_q) || s.substr(0, 7) != " USING ")
		return std::nullopt;
	out += new_table_q;
	out += s;
	return out;
}

std::optional<std::string> rewrite_trigger_def(std::string_view def, std::string_view trigger_q,
                                               std::string_view table_q, std::string_view new_table_q) {
	std::string_view s = def;
	std::string out = "CREATE ";
	if (!consume(s, "CREATE "))
		return std::nullopt;
	if (consume(s, "CONSTRAINT "))
		out += "CONSTRAINT ";
	if (!consume(s, "TRIGGER ") || !consume(s, trigger_q) || s.empty() || s[0] != ' ')
		return std::nullopt;
	out += "TRIGGER ";
	out += trigger_q;
	std::string needle = " ON " + std::string(table_q) + " ";
	size_t at = s.find(needle);
	if (at == std::string_view::npos)
		return std::nullopt;
	out += s.substr(0, at);
	out += " ON ";
	out += new_table_q;
	out += " ";
	out += s.substr(at + needle.size());
	return out;
}

} // namespace pgclone::core
