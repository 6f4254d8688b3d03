// Reading SQL arguments in C++ regime (each read goes through pg::call).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <optional>
#include <string>

namespace pgclone::sql_api {

// Argument n as text; nullopt when NULL or absent.
std::optional<std::string> text_arg(FunctionCallInfo fcinfo, int n);
// Argument n as text; NULL or absent raises "<name> must not be null".
std::string required_text(FunctionCallInfo fcinfo, int n, const char *name);
// Argument n as boolean; NULL or absent gives def.
bool bool_arg(FunctionCallInfo fcinfo, int n, bool def);
// A text Datum in the function's memory context.
Datum text_result(const std::string &s);

} // namespace pgclone::sql_api
