// pgclone_test: TEST-ONLY entry points that cross the C++/PostgreSQL boundary
// on purpose (docs/BOUNDARY.md). Built and installed only from
// test/boundary_ext; the product never ships it.
//
// Every entry point is the same thin extern "C" shim the product uses
// (pg::invoke around a C++ implementation). The C++ implementations keep
// non-trivially-destructible objects (Tracker, std::string, std::vector)
// alive while an error passes, and count destructor runs in a plain
// backend-local integer that another entry point reads, so a test can prove
// that unwinding really happened (a longjmp past them would skip it).
#include <chrono>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/error.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/spi.hpp"
#include "pgclone/sql_api/args.hpp"

namespace pgclone::test {

namespace {

// Backend-local counters (trivial globals only).
int64 destructor_runs = 0;      // Tracker destructors that ran
int last_caught_sqlerrcode = 0; // SQLSTATE of the last PgError seen by a C++ catch

// An object with a real destructor: it owns heap memory and records that it
// was destroyed. Makes no PostgreSQL call (the boundary rule in docs/ARCHITECTURE.md).
struct Tracker {
	std::string label;
	explicit Tracker(std::string l) : label(std::move(l)) {}
	~Tracker() noexcept { ++destructor_runs; }
	Tracker(const Tracker &) = delete;
	Tracker &operator=(const Tracker &) = delete;
};

using steady = std::chrono::steady_clock;

double seconds_since(steady::time_point start) {
	return std::chrono::duration<double>(steady::now() - start).count();
}

double float8_arg(FunctionCallInfo fcinfo, int n, const char *name) {
	if (n >= PG_NARGS() || PG_ARGISNULL(n))
		throw core::Error(std::string(name) + " must not be null", "22004");
	return PG_GETARG_FLOAT8(n);
}

// Five characters from [0-9A-Z], as in errcodes.txt.
int parse_sqlstate(const std::string &s) {
	bool ok = s.size() == 5;
	for (char c : s)
		ok = ok && ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'));
	if (!ok)
		throw core::Error("invalid SQLSTATE \"" + s + "\"", core::sqlstate::invalid_parameter_value,
		                  "A SQLSTATE is five characters, digits or upper-case letters.");
	return MAKE_SQLSTATE(s[0], s[1], s[2], s[3], s[4]);
}

// throw_std(message): a std::runtime_error escapes the implementation.
Datum throw_std(FunctionCallInfo fcinfo) {
	std::string msg = sql_api::required_text(fcinfo, 0, "message");
	Tracker t("throw_std");
	throw std::runtime_error(msg);
}

// throw_core(message, sqlstate, detail, hint): a core::Error escapes.
Datum throw_core(FunctionCallInfo fcinfo) {
	std::string msg = sql_api::required_text(fcinfo, 0, "message");
	std::string state = sql_api::required_text(fcinfo, 1, "sqlstate");
	parse_sqlstate(state);
	Tracker t("throw_core");
	throw core::Error(msg, state.c_str(), sql_api::text_arg(fcinfo, 2).value_or(""),
	                  sql_api::text_arg(fcinfo, 3).value_or(""));
}

// throw_unknown(): something that is not a std::exception escapes.
Datum throw_unknown(FunctionCallInfo) {
	Tracker t("throw_unknown");
	throw 42;
}

// pg_error_under_call(sqlstate, message, detail, hint): ereport(ERROR) inside
// pg::call while C++ objects are alive. The C++ catch records what it saw
// and rethrows; pg::invoke re-raises it unchanged.
Datum pg_error_under_call(FunctionCallInfo fcinfo) {
	std::string state = sql_api::required_text(fcinfo, 0, "sqlstate");
	std::string msg = sql_api::required_text(fcinfo, 1, "message");
	std::string detail = sql_api::text_arg(fcinfo, 2).value_or("");
	std::string hint = sql_api::text_arg(fcinfo, 3).value_or("");
	int code = parse_sqlstate(state);
	Tracker t("pg_error_under_call");
	std::vector<std::string> heap(16, std::string(64, 'x')); // more to free on the way out
	const char *m = msg.c_str();
	const char *d = detail.empty() ? nullptr : detail.c_str();
	const char *h = hint.empty() ? nullptr : hint.c_str();
	try {
		pg::call([=] {
			ereport(ERROR, (errcode(code), errmsg_internal("%s", m), d ? errdetail_internal("%s", d) : 0,
			                h ? errhint("%s", h) : 0));
		});
	} catch (const pg::PgError &e) {
		last_caught_sqlerrcode = e.sqlerrcode();
		throw;
	}
	return (Datum)0; // not reached: the call above always raises
}

// error_via_spi(sql): runs sql through pg::Spi with a Tracker alive. An
// error anywhere below (the executor, another pg::invoke shim called from
// sql) comes back as PgError; returns the rows processed otherwise.
Datum error_via_spi(FunctionCallInfo fcinfo) {
	std::string sql = sql_api::required_text(fcinfo, 0, "sql");
	Tracker t("error_via_spi");
	pg::Spi spi;
	uint64_t rows = 0;
	try {
		rows = spi.exec(sql);
	} catch (const pg::PgError &e) {
		last_caught_sqlerrcode = e.sqlerrcode();
		throw;
	}
	spi.finish();
	return Int64GetDatum(static_cast<int64>(rows));
}

// throw_inside_spi(message): a C++ exception while an SPI connection is
// open and never finished. The (sub)transaction abort must clean SPI up.
Datum throw_inside_spi(FunctionCallInfo fcinfo) {
	std::string msg = sql_api::required_text(fcinfo, 0, "message");
	Tracker t("throw_inside_spi");
	pg::Spi spi;
	spi.exec("SELECT 1");
	throw core::Error(msg, core::sqlstate::internal_error);
}

// try_in_subtransaction(sql): Spi::exec_in_subtransaction. NULL when sql
// succeeded, else the error text it swallowed (cancel is never swallowed).
Datum try_in_subtransaction(FunctionCallInfo fcinfo) {
	std::string sql = sql_api::required_text(fcinfo, 0, "sql");
	Tracker t("try_in_subtransaction");
	pg::Spi spi;
	auto err = spi.exec_in_subtransaction(sql);
	spi.finish();
	if (!err) {
		fcinfo->isnull = true;
		return (Datum)0;
	}
	return sql_api::text_result(*err);
}

// wait_latch(seconds, poll_ms): waits on the process latch in slices of at
// most poll_ms, checking interrupts after each wake-up; returns the seconds
// waited. A cancel or statement_timeout sets the latch, so it must stop the
// wait long before poll_ms has passed.
Datum wait_latch(FunctionCallInfo fcinfo) {
	double seconds = float8_arg(fcinfo, 0, "seconds");
	long poll_ms = (PG_NARGS() > 1 && !PG_ARGISNULL(1)) ? PG_GETARG_INT32(1) : 1000;
	if (poll_ms < 1)
		throw core::Error("poll_ms must be at least 1", core::sqlstate::invalid_parameter_value);
	Tracker t("wait_latch");
	auto start = steady::now();
	for (double done = 0; done < seconds; done = seconds_since(start)) {
		long left_ms = static_cast<long>((seconds - done) * 1000) + 1;
		long slice = left_ms < poll_ms ? left_ms : poll_ms;
		pg::call([=] {
			int rc =
			    WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, slice, PG_WAIT_EXTENSION);
			if (rc & WL_LATCH_SET)
				ResetLatch(MyLatch);
		});
		pg::check_for_interrupts();
	}
	return Float8GetDatum(seconds_since(start));
}

// spin(seconds): busy C++ work with pg::check_for_interrupts() between
// slices and no latch at all; returns the seconds spun.
Datum spin(FunctionCallInfo fcinfo) {
	double seconds = float8_arg(fcinfo, 0, "seconds");
	Tracker t("spin");
	std::vector<uint64_t> work(1024, 1);
	auto start = steady::now();
	while (seconds_since(start) < seconds) {
		for (size_t i = 1; i < work.size(); i++)
			work[i] = work[i] * 6364136223846793005ULL + work[i - 1];
		pg::check_for_interrupts();
	}
	return Float8GetDatum(seconds_since(start));
}

Datum get_destructor_runs(FunctionCallInfo) {
	return Int64GetDatum(destructor_runs);
}

Datum get_last_caught_sqlstate(FunctionCallInfo fcinfo) {
	if (last_caught_sqlerrcode == 0) {
		fcinfo->isnull = true;
		return (Datum)0;
	}
	int code = last_caught_sqlerrcode;
	const char *s = pg::call([=] { return unpack_sql_state(code); });
	return sql_api::text_result(s);
}

} // namespace

} // namespace pgclone::test

extern "C" {

PG_MODULE_MAGIC;

#define PGCLONE_TEST_SHIM(name)                                                                              \
	PG_FUNCTION_INFO_V1(pgclone_test_##name);                                                                \
	Datum pgclone_test_##name(PG_FUNCTION_ARGS) {                                                            \
		return pgclone::pg::invoke(fcinfo, pgclone::test::name);                                             \
	}

PGCLONE_TEST_SHIM(throw_std)
PGCLONE_TEST_SHIM(throw_core)
PGCLONE_TEST_SHIM(throw_unknown)
PGCLONE_TEST_SHIM(pg_error_under_call)
PGCLONE_TEST_SHIM(error_via_spi)
PGCLONE_TEST_SHIM(throw_inside_spi)
PGCLONE_TEST_SHIM(try_in_subtransaction)
PGCLONE_TEST_SHIM(wait_latch)
PGCLONE_TEST_SHIM(spin)
PGCLONE_TEST_SHIM(get_destructor_runs)
PGCLONE_TEST_SHIM(get_last_caught_sqlstate)
}
