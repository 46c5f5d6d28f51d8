-- Incident Desk team mode: setting up a shared PostgreSQL (11 or newer).
-- Run the parts in order with psql as a superuser (or a role with CREATEROLE
-- and CREATEDB). Nothing here is run by the app or by `desk`.

-- 1. The owner: owns the schema and runs the migrations. Nobody's everyday
--    login: members of desk_user must not own the tables, or they could
--    disable the triggers that enforce review.
CREATE ROLE desk_owner LOGIN CREATEROLE PASSWORD 'change me';
CREATE DATABASE incident_desk OWNER desk_owner;
REVOKE ALL ON DATABASE incident_desk FROM PUBLIC;

-- 2. The groups (migration 3 creates them too when the owner may).
--    desk_user: everyone who writes, reviews or publishes.
--    desk_admin: who may change the emergency publishing policy.
CREATE ROLE desk_user NOLOGIN;
CREATE ROLE desk_admin NOLOGIN IN ROLE desk_user;
GRANT CONNECT ON DATABASE incident_desk TO desk_user;

-- 3. Create the schema, as the owner (runs every migration):
--      desk --db postgres://desk_owner@HOST/incident_desk audit verify
--    (any command that opens the store migrates it; PGPASSWORD or the URL
--    gives the password.)

-- 4. One login role per person. Their identity in reviews, publications and
--    the audit log is this role's name, taken by the database from the
--    session: nobody can approve as someone else.
CREATE ROLE aiko LOGIN PASSWORD 'aiko''s own password' IN ROLE desk_user;
CREATE ROLE ben  LOGIN PASSWORD 'ben''s own password'  IN ROLE desk_user;
CREATE ROLE chie LOGIN PASSWORD 'chie''s own password' IN ROLE desk_admin;
--    Each person connects as themselves:
--      desk --db postgres://aiko@HOST/incident_desk review status 12
--    with the password from PGPASSWORD or ~/.pgpass (the app keeps it in the
--    OS keychain). It is never stored in the database or in the settings.

-- 5. Require TLS and password logins for these roles in pg_hba.conf, e.g.
--      hostssl incident_desk +desk_user 0.0.0.0/0 scram-sha-256
--      hostssl incident_desk desk_owner 10.0.0.0/8 scram-sha-256

-- Leaving: names in the history are text and stay readable, but a new role
-- created later under the same name would look like the same person, so
-- keep the role and take its rights away instead of dropping it:
--   REVOKE desk_user FROM aiko; ALTER ROLE aiko NOLOGIN;
