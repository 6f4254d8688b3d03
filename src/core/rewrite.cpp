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

} // namespace

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
