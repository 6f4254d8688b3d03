// Collations and text search objects on the target (include/pgclone/clone/text_objects.hpp).
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/text_object_reader.hpp"
#include "pgclone/clone/ddl_runner.hpp"
#include "pgclone/clone/target.hpp"
#include "pgclone/clone/text_objects.hpp"

namespace pgclone::clone {

namespace {

using core::TextObjectKind;

// The target's object of that kind, schema and name; a collation counts
// only when it serves this database's encoding.
bool exists_on_target(pg::Spi &spi, const core::TextObjectDef &d) {
	const char *sql = nullptr;
	switch (d.kind) {
	case TextObjectKind::Parser:
		sql = R"sql(SELECT 1 FROM pg_catalog.pg_ts_parser o JOIN pg_catalog.pg_namespace n ON n.oid = o.prsnamespace
WHERE n.nspname = $1 AND o.prsname = $2)sql";
		break;
	case TextObjectKind::Template:
		sql = R"sql(SELECT 1 FROM pg_catalog.pg_ts_template o JOIN pg_catalog.pg_namespace n ON n.oid = o.tmplnamespace
WHERE n.nspname = $1 AND o.tmplname = $2)sql";
		break;
	case TextObjectKind::Dictionary:
		sql = R"sql(SELECT 1 FROM pg_catalog.pg_ts_dict o JOIN pg_catalog.pg_namespace n ON n.oid = o.dictnamespace
WHERE n.nspname = $1 AND o.dictname = $2)sql";
		break;
	case TextObjectKind::Configuration:
		sql = R"sql(SELECT 1 FROM pg_catalog.pg_ts_config o JOIN pg_catalog.pg_namespace n ON n.oid = o.cfgnamespace
WHERE n.nspname = $1 AND o.cfgname = $2)sql";
		break;
	case TextObjectKind::Collation:
		sql = R"sql(SELECT 1 FROM pg_catalog.pg_collation o JOIN pg_catalog.pg_namespace n ON n.oid = o.collnamespace
WHERE n.nspname = $1 AND o.collname = $2 AND o.collencoding IN (-1, pg_catalog.pg_char_to_encoding(pg_catalog.current_setting('server_encoding'))))sql";
		break;
	}
	return spi.query_value(sql, {d.schema, d.name}).has_value();
}

} // namespace

std::vector<DdlItem> text_object_ddl_items(pg::Spi &spi, const std::vector<core::TextObjectDef> &objects) {
	std::vector<DdlItem> items;
	for (const auto &d : objects) {
		if (exists_on_target(spi, d))
			continue;
		// Two clones needing the same object: the second waits for the first
		// and then finds it.
		lock_target_name(d.schema, d.name);
		if (exists_on_target(spi, d))
			continue;
		ensure_schema(spi, d.schema);
		items.push_back({core::text_object_kind_word(d.kind) + " " + object_name(d.schema, d.name),
		                 core::text_object_create_sql(d), core::text_object_then_sql(d), {}});
	}
	return items;
}

void move_text_objects(std::vector<core::TextObjectDef> &objects, const SchemaMove &move) {
	if (!move.active())
		return;
	auto move_name = [&](core::ObjectName &n) { n.schema = move.map(n.schema); };
	for (auto &d : objects) {
		d.schema = move.map(d.schema);
		move_name(d.base);
		for (auto &f : d.functions)
			if (f)
				move_name(*f);
		for (auto &[token, dictionaries] : d.mappings)
			for (auto &dict : dictionaries)
				move_name(dict);
	}
}

void ensure_text_objects_for_table(libpq::Connection &src, pg::Spi &spi, const std::string &source_table_oid,
                                   const SchemaMove &move, int &warnings) {
	auto objects = catalog::read_text_objects(src, {}, {source_table_oid});
	if (objects.empty())
		return;
	move_text_objects(objects, move);
	auto items = text_object_ddl_items(spi, objects);
	if (items.empty())
		return;
	warnings += run_ddl(spi, items).warnings;
}

} // namespace pgclone::clone
