src/libpq/conninfo.o: src/libpq/conninfo.cpp \
 /usr/include/postgresql/libpq-fe.h \
 /usr/include/postgresql/postgres_ext.h \
 /usr/include/postgresql/pg_config_ext.h \
 /work/main/include/pgclone/core/error.hpp \
 /work/main/include/pgclone/libpq/conninfo.hpp
/usr/include/postgresql/libpq-fe.h:
/usr/include/postgresql/postgres_ext.h:
/usr/include/postgresql/pg_config_ext.h:
/work/main/include/pgclone/core/error.hpp:
/work/main/include/pgclone/libpq/conninfo.hpp:
