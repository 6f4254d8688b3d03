// Included last by every src/core/*.cpp: core is pure logic and its
// translation units must never see a PostgreSQL server header (docs/BOUNDARY.md
// rule 6). CMake also builds core without the server include path.
#pragma once

#ifdef POSTGRES_H
static_assert(false, "src/core must not include PostgreSQL server headers");
#endif
