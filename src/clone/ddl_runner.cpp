// Creating objects one subtransaction each, with retries.
#include <optional>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/ddl_runner.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/settings.hpp"

namespace pgclone::clone {

int DdlRun::count() const {
	int n = 0;
	for (bool c : created)
		n += c ? 1 : 0;
	return n;
}

std::string object_name(const std::string &schema, const std::string &name) {
	return "\"" + schema + "\".\"" + name + "\"";
}

namespace {

// One statement in a subtransaction; the error text, or nullopt.
// DDL text built from the source's catalog output (view queries, function
// bodies, index and trigger definitions) must be exactly one statement: a
// source that answers with "...; DROP ..." must not run anything here, nor
// one that answers with another kind of statement than the one expected.
std::optional<std::string> run_one(pg::Spi &spi, const std::string &sql, pg::StatementKinds kinds) {
	return spi.exec_in_subtransaction(sql, true, kinds);
}

} // namespace

bool try_ddl(pg::Spi &spi, const std::string &what, const std::string &sql, int &warnings,
             pg::StatementKinds kinds) {
	auto err = run_one(spi, sql, kinds);
	if (!err)
		return true;
	warnings++;
	pg::warning("pgclone: skipped " + what, *err);
	return false;
}

void try_ddl_all(pg::Spi &spi, const std::vector<DdlStatement> &statements, int &warnings,
                 pg::StatementKinds kinds) {
	std::vector<std::string> texts;
	for (const auto &s : statements)
		texts.push_back(s.sql);
	if (!spi.exec_batch_in_subtransaction(texts, kinds))
		return;
	for (const auto &s : statements)
		try_ddl(spi, s.what, s.sql, warnings, kinds);
}

std::string set_check_function_bodies(const std::string &value) {
	std::string old = pg::setting("check_function_bodies");
	pg::set_local("check_function_bodies", value);
	return old;
}

namespace {

// Runs sql in a subtransaction with one setting changed for it (the
// setting is set for the transaction and put back right after).
bool create_with_setting(pg::Spi &spi, const std::string &name, const std::string &value,
                         const std::string &sql, pg::StatementKinds kinds) {
	bool ok = false;
	pg::with_local(name, value, [&] { ok = !run_one(spi, sql, kinds).has_value(); });
	return ok;
}

void complete(pg::Spi &spi, const DdlItem &item, DdlRun &run, std::size_t i) {
	run.created[i] = true;
	for (const auto &sql : item.then)
		try_ddl(spi, "part of " + item.what, sql, run.warnings, item.then_kinds);
}

} // namespace

DdlRun run_ddl(pg::Spi &spi, const std::vector<DdlItem> &items) {
	DdlRun run;
	run.created.assign(items.size(), false);
	std::vector<std::string> errors(items.size());
	bool progress = true;
	while (progress) {
		progress = false;
		for (size_t i = 0; i < items.size(); i++) {
			if (run.created[i])
				continue;
			pg::check_for_interrupts(); // up to n^2 attempts: stay cancellable
			auto err = run_one(spi, items[i].create, items[i].create_kinds);
			if (err) {
				errors[i] = *err;
				continue;
			}
			progress = true;
			complete(spi, items[i], run, i);
		}
	}
	for (size_t i = 0; i < items.size(); i++) {
		if (run.created[i])
			continue;
		const DdlItem &item = items[i];
		if (!item.validation_search_path.empty()) {
			if (create_with_setting(spi, "search_path", item.validation_search_path, item.create,
			                        item.create_kinds)) {
				pg::notice("pgclone: " + item.what +
				               " refers to objects by bare names; its body was validated with search_path = " +
				               item.validation_search_path,
				           "Calls resolve those names through the caller's search_path, as on the source.");
				complete(spi, item, run, i);
				continue;
			}
			if (create_with_setting(spi, "check_function_bodies", "off", item.create, item.create_kinds)) {
				run.warnings++;
				pg::warning(
				    "pgclone: created " + item.what + " without validating its body", errors[i],
				    "The body refers to objects that do not exist on the target. The function fails when called until they exist.");
				complete(spi, item, run, i);
				continue;
			}
		}
		run.warnings++;
		pg::warning("pgclone: skipped " + item.what, errors[i]);
	}
	return run;
}

} // namespace pgclone::clone
