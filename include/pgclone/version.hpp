// The library's version; pgclone.version() returns "pgclone " + this.
#pragma once

#define PGCLONE_VERSION "4.6.0"
