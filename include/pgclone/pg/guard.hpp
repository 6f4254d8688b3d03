// The C++ / PostgreSQL error boundary (docs/BOUNDARY.md).
//
// Two directions:
//  * pg::call(f) runs a PostgreSQL call in PG regime under PG_TRY. If it
//    raises ERROR, the error is copied (SQLSTATE, detail, hint, context),
//    the error state is flushed, and pgclone::pg::PgError is thrown *after*
//    PG_END_TRY, so C++ destructors run on the way out.
//  * pg::invoke(fcinfo, f) is the only thing an extern "C" entry point does:
//    it runs the C++ implementation, catches every exception, and re-raises
//    it as an ordinary ereport(ERROR) once the catch block has closed.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>
#include <type_traits>
#include <utility>

namespace pgclone::pg {

// A PostgreSQL ERROR caught by pg::call. Owns a palloc'd ErrorData copy in
// the memory context that was current at the call (freed with it).
class PgError final : public std::exception {
public:
	explicit PgError(ErrorData *edata) noexcept : edata_(edata) {}
	const char *what() const noexcept override {
		return edata_ && edata_->message ? edata_->message : "error";
	}
	ErrorData *data() const noexcept { return edata_; }
	int sqlerrcode() const noexcept { return edata_ ? edata_->sqlerrcode : 0; }

private:
	ErrorData *edata_;
};

namespace detail {
// PG regime: copy the current error out of ErrorContext and clear it.
ErrorData *capture_error(MemoryContext callers_context);
[[noreturn]] void throw_pg_error(ErrorData *edata);
} // namespace detail

// Runs f() (a PostgreSQL call, PG regime: f must hold only trivially
// destructible locals) and converts an ERROR into PgError.
template <typename F>
auto call(F &&f) -> decltype(f()) {
	using R = decltype(f());
	MemoryContext volatile ctx = CurrentMemoryContext;
	ErrorData *volatile edata = nullptr;
	if constexpr (std::is_void_v<R>) {
		PG_TRY();
		{ f(); }
		PG_CATCH();
		{ edata = detail::capture_error(ctx); }
		PG_END_TRY();
		if (edata)
			detail::throw_pg_error(edata);
	} else {
		static_assert(std::is_trivially_copyable_v<R>, "pg::call returns only trivially copyable values");
		R result{};
		R *volatile out = &result;
		PG_TRY();
		{ *out = f(); }
		PG_CATCH();
		{ edata = detail::capture_error(ctx); }
		PG_END_TRY();
		if (edata)
			detail::throw_pg_error(edata);
		return result;
	}
}

// CHECK_FOR_INTERRUPTS() under the guard: a cancel or statement_timeout
// becomes a PgError (SQLSTATE 57014) that unwinds C++ frames.
void check_for_interrupts();

// NOTICE / WARNING from C++ regime (guarded: ereport at these levels does
// not jump, but may still fail on out-of-memory).
void notice(const std::string &message, const std::string &detail = {});
// DEBUG1: shown to a client that set client_min_messages = debug1.
void debug1(const std::string &message);
void warning(const std::string &message, const std::string &detail = {}, const std::string &hint = {});

namespace detail {
// Error payload copied out of a C++ exception into palloc'd memory.
struct RaisedError {
	int sqlerrcode;
	char *message;
	char *detail;
	char *hint;
	ErrorData *pg; // set when the exception was a PgError: re-raised unchanged
};
// Called inside a catch block: builds the payload; never throws, never jumps
// except on out-of-memory.
RaisedError *payload_from_current_exception() noexcept;
// PG regime: raises the payload with ereport(ERROR). Never returns.
[[noreturn]] void raise(RaisedError *payload);
} // namespace detail

// The body of every extern "C" SQL entry point. f: (FunctionCallInfo) -> Datum.
template <typename F>
Datum invoke(FunctionCallInfo fcinfo, F &&f) {
	detail::RaisedError *payload = nullptr;
	try {
		return f(fcinfo);
	} catch (...) {
		payload = detail::payload_from_current_exception();
	}
	// The catch block has closed: every C++ object of f is destroyed.
	detail::raise(payload);
}

} // namespace pgclone::pg
