# slow_copy.bash -- sourced by shell tests after tap.bash: slows every COPY into tables created in
# one target schema, so that another session can watch a clone while it loads rows. An event
# trigger gives each table created there a BEFORE INSERT trigger sleeping 2 ms per row, which
# COPY FROM fires.

# slow_copy_install SCHEMA TAG: creates public.TAG_sleep(), public.TAG_add_trigger() and the
# event trigger TAG_slow on the target.
slow_copy_install() {
    local schema=$1 tag=$2
    tgt -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS pgclone" \
        -c "CREATE FUNCTION public.${tag}_sleep() RETURNS trigger LANGUAGE plpgsql AS
            \$\$ BEGIN PERFORM pg_sleep(0.002); RETURN NEW; END \$\$" \
        -c "CREATE FUNCTION public.${tag}_add_trigger() RETURNS event_trigger LANGUAGE plpgsql AS \$\$
            DECLARE o record;
            BEGIN
                FOR o IN SELECT * FROM pg_event_trigger_ddl_commands()
                         WHERE command_tag = 'CREATE TABLE' AND schema_name = '$schema' LOOP
                    EXECUTE format('CREATE TRIGGER slow BEFORE INSERT ON %s FOR EACH ROW
                                    EXECUTE FUNCTION public.${tag}_sleep()', o.object_identity);
                END LOOP;
            END \$\$" \
        -c "CREATE EVENT TRIGGER ${tag}_slow ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
            EXECUTE FUNCTION public.${tag}_add_trigger()" >/dev/null
}

# slow_copy_remove TAG
slow_copy_remove() {
    local tag=$1
    tgt -c "DROP EVENT TRIGGER IF EXISTS ${tag}_slow" -c "DROP FUNCTION IF EXISTS public.${tag}_add_trigger()" \
        -c "DROP FUNCTION IF EXISTS public.${tag}_sleep()" >/dev/null 2>&1
}
