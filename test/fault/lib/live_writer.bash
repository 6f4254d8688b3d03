# test/fault/lib/live_writer.bash -- a live writer on the source for the consistency tests
# (201, 211, 503): one background session that commits small transactions in a loop while a
# clone runs, so a clone that does not read one snapshot sees rows of different moments.
# Needs schema_common.bash (src_ci, src, PSQL).

WRITER_PID=""
WRITER_APP=""

# start_writer APP SECONDS DECLARE BODY : runs, as application_name APP, a DO block that repeats
# BODY (PL/pgSQL statements, which may use the variables of DECLARE) followed by a COMMIT and a
# 2 ms sleep, for at most SECONDS seconds; returns once it has run for half a second.
start_writer() {
    WRITER_APP=$1
    PGPASSWORD=$PGCLONE_SRC_PASSWORD "$PSQL" -X -q "$(src_ci source) application_name=$1" -c "DO \$\$
        DECLARE $3 stop timestamptz := clock_timestamp() + interval '$2 seconds';
        BEGIN
            WHILE clock_timestamp() < stop LOOP
                $4
                COMMIT;
                PERFORM pg_sleep(0.002);
            END LOOP;
        END \$\$" >/dev/null 2>&1 &
    WRITER_PID=$!
    sleep 0.5
}

# stop_writer : ends the writer's session and waits for its psql.
stop_writer() {
    [[ -z $WRITER_PID ]] && return 0
    src -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '$WRITER_APP'" >/dev/null
    wait "$WRITER_PID" 2>/dev/null
    WRITER_PID=""
}

# kill_writer : for an EXIT trap: stops the writer's psql without asking the source.
kill_writer() {
    [[ -z $WRITER_PID ]] && return 0
    kill "$WRITER_PID" 2>/dev/null
    wait "$WRITER_PID" 2>/dev/null
    WRITER_PID=""
}
