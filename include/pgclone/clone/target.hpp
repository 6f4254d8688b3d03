// Small questions asked of the *target* catalog through SPI.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>

#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

bool schema_exists(pg::Spi &spi, const std::string &schema);
// Any relation (table, index, sequence, view, ...) of that name in schema.
bool relation_exists(pg::Spi &spi, const std::string &schema, const std::string &name);
// base, or base_2, base_3, ... (clipped to 63 bytes): the first free name.
std::string free_relation_name(pg::Spi &spi, const std::string &schema, const std::string &base);
// OID of schema.name (which must exist), as an unsigned number.
unsigned int relation_oid(pg::Spi &spi, const std::string &schema, const std::string &name);

} // namespace pgclone::clone
