// The error boundary between C++ exceptions and PostgreSQL's longjmp errors.
#include <cstring>
#include <exception>
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/error.hpp"
#include "pgclone/core/secret_text.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/log_filter.hpp"

namespace pgclone::pg {

namespace detail {

// PG regime, called from PG_CATCH. Memory: the caller's context (restored
// here, because elog switched to ErrorContext). Never throws.
ErrorData *capture_error(MemoryContext callers_context) {
	MemoryContextSwitchTo(callers_context);
	ErrorData *edata = CopyErrorData();
	FlushErrorState();
	return edata;
}

void throw_pg_error(ErrorData *edata) {
	throw PgError(edata);
}

namespace {

char *dup_or_null(const std::string &s) noexcept {
	return s.empty() ? nullptr : pstrdup(s.c_str());
}

int sqlstate_to_code(const char *s) noexcept {
	if (!s || std::strlen(s) != 5)
		return ERRCODE_INTERNAL_ERROR;
	return MAKE_SQLSTATE(s[0], s[1], s[2], s[3], s[4]);
}

} // namespace

// Inside a catch block. Allocates in CurrentMemoryContext (the caller's
// context of the SQL function: freed at the end of the statement).
RaisedError *payload_from_current_exception() noexcept {
	auto *p = static_cast<RaisedError *>(palloc0(sizeof(RaisedError)));
	try {
		throw;
	} catch (const PgError &e) {
		p->pg = e.data();
	} catch (const core::Error &e) {
		p->sqlerrcode = sqlstate_to_code(e.sqlstate());
		p->message = pstrdup(e.what());
		p->detail = dup_or_null(e.detail());
		p->hint = dup_or_null(e.hint());
	} catch (const std::bad_alloc &) {
		p->sqlerrcode = ERRCODE_OUT_OF_MEMORY;
		p->message = pstrdup("out of memory");
	} catch (const std::exception &e) {
		p->sqlerrcode = ERRCODE_INTERNAL_ERROR;
		p->message = psprintf("pgclone internal error: %s", e.what());
	} catch (...) {
		p->sqlerrcode = ERRCODE_INTERNAL_ERROR;
		p->message = pstrdup("pgclone internal error: unknown exception");
	}
	return p;
}

// PG regime: no C++ objects live here. Never returns.
//
// The server log gets the error without the STATEMENT line and without the
// CONTEXT lines (errhidestmt / errhidecontext; the client still gets both):
// the statement that called a pgclone function, and the SQL text that SPI
// callers such as PL/pgSQL put into the context, carry the source conninfo
// and with it the password (docs/SECURITY.md).
void raise(RaisedError *p) {
	if (p->pg) {
		ErrorData *edata = p->pg;
		edata->elevel = ERROR;
		edata->hide_stmt = true;
		edata->hide_ctx = true;
		ReThrowError(edata);
	}
	ereport(ERROR, (errcode(p->sqlerrcode), errmsg_internal("%s", p->message),
	                p->detail ? errdetail_internal("%s", p->detail) : 0, p->hint ? errhint("%s", p->hint) : 0,
	                errhidestmt(true), errhidecontext(true)));
	pg_unreachable();
}

} // namespace detail

namespace {

emit_log_hook_type previous_emit_log_hook = nullptr;

// PG regime (emit_log_hook): runs for every message before it is written.
// While the current statement calls pgclone with a secret in its text, no
// message of it is logged with its STATEMENT line; nor with its CONTEXT
// lines, which quote the SQL that PL/pgSQL and SQL functions ran (also
// whenever the context alone carries such a call). This covers what the
// guard in raise() cannot: errors raised before or after pgclone's own
// code runs (a wrong argument type, a failed cast of the result, a missing
// privilege) and a FATAL that terminates the session during a clone.
void hide_secret_statements(ErrorData *edata) {
	if (core::may_carry_pgclone_secret(debug_query_string)) {
		edata->hide_stmt = true;
		edata->hide_ctx = true;
	} else if (core::may_carry_pgclone_secret(edata->context)) {
		edata->hide_ctx = true;
	}
	if (previous_emit_log_hook)
		previous_emit_log_hook(edata);
}

} // namespace

void install_log_filter() {
	previous_emit_log_hook = emit_log_hook;
	emit_log_hook = hide_secret_statements;
}

void check_for_interrupts() {
	call([] { CHECK_FOR_INTERRUPTS(); });
}

void notice(const std::string &message, const std::string &detail) {
	const char *m = message.c_str();
	const char *d = detail.empty() ? nullptr : detail.c_str();
	call([=] {
		ereport(NOTICE, (errmsg_internal("%s", m), d ? errdetail_internal("%s", d) : 0, errhidestmt(true)));
	});
}

void debug1(const std::string &message) {
	const char *m = message.c_str();
	call([=] { ereport(DEBUG1, (errmsg_internal("%s", m), errhidestmt(true))); });
}

void warning(const std::string &message, const std::string &detail, const std::string &hint) {
	const char *m = message.c_str();
	const char *d = detail.empty() ? nullptr : detail.c_str();
	const char *h = hint.empty() ? nullptr : hint.c_str();
	call([=] {
		ereport(WARNING, (errmsg_internal("%s", m), d ? errdetail_internal("%s", d) : 0,
		                  h ? errhint("%s", h) : 0, errhidestmt(true)));
	});
}

} // namespace pgclone::pg
