# PGXS build of pgclone.so: C++17 objects linked with libpq.
#   make && make install            (PG_CONFIG=/path/to/pg_config to choose a server)
EXTENSION = pgclone
MODULE_big = pgclone
DATA = $(wildcard sql/pgclone--*.sql)

SRCS = $(sort $(wildcard src/*.cpp src/*/*.cpp))
OBJS = $(SRCS:.cpp=.o)

PG_CONFIG ?= pg_config

# JIT bitcode for C++ sources is not useful here and slows the build down.
override with_llvm = no

PG_CPPFLAGS = -I$(CURDIR)/include -I$(shell $(PG_CONFIG) --includedir)
PG_CXXFLAGS = -std=c++17 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wno-register -fPIC
SHLIB_LINK = -L$(shell $(PG_CONFIG) --libdir) -lpq -lstdc++
EXTRA_CLEAN = $(OBJS) $(OBJS:.o=.d)

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Header dependency tracking for the C++ objects.
override CXXFLAGS += -MMD -MP
-include $(OBJS:.o=.d)
