// A throwaway PostgreSQL cluster for the team-mode E2E, as the Rust tests
// make one (crates/store/tests/pg_cluster): initdb in a temporary folder,
// started on a free loopback port with password logins, as the `postgres`
// OS user when run as root (PostgreSQL refuses to run as root), stopped and
// removed by stop(). `startCluster()` returns null when no PostgreSQL
// server binaries are installed (Debian's `postgresql` package).
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, Session, startDriver } from "./webdriver.mjs";

export const SUPERUSER_PASSWORD = "super-secret";

/** PG_BIN, else the newest /usr/lib/postgresql/N/bin with initdb and pg_ctl. */
export function findPgBin() {
  if (process.env.PG_BIN) return existsSync(join(process.env.PG_BIN, "initdb")) ? process.env.PG_BIN : null;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin/initdb")) && existsSync(join(root, v, "bin/pg_ctl")))
    .sort((a, b) => Number(a) - Number(b));
  return versions.length ? join(root, versions.at(-1), "bin") : null;
}

export async function startCluster() {
  const bin = findPgBin();
  if (!bin) return null;
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync("/tmp/desk-e2e-pg-");
  chmodSync(dir, 0o755);
  const pw = join(dir, "pw");
  writeFileSync(pw, SUPERUSER_PASSWORD);
  if (asRoot) execFileSync("chown", ["-R", "postgres:postgres", dir]);
  const run = (tool, args) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, tool), ...args], { cwd: "/tmp", stdio: "pipe" })
      : execFileSync(join(bin, tool), args, { cwd: "/tmp", stdio: "pipe" });
  const data = join(dir, "data");
  run("initdb", ["-D", data, "-U", "postgres", "--pwfile", pw, "-E", "UTF8", "--locale=C", "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "--no-sync"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off`;
  run("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "server.log"), "-w", "-t", "60", "start"]);
  const psqlBin = existsSync(join(bin, "psql")) ? join(bin, "psql") : "psql";
  return {
    port,
    /** Runs statements as the superuser on `database`. */
    psql(database, ...statements) {
      const args = ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", database];
      for (const s of statements) args.push("-c", s);
      return execFileSync(psqlBin, args, { env: { ...process.env, PGPASSWORD: SUPERUSER_PASSWORD }, encoding: "utf8" });
    },
    url(role, database = "desk") {
      return `postgres://${role}@127.0.0.1:${port}/${database}`;
    },
    stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * A team's database: a cluster with the roles desk_user, desk_admin and the
 * people aiko and ben (passwords `aiko-pw`, `ben-pw`), the database `desk`,
 * its schema made once by the owner through `desk` (members cannot).
 */
export async function startTeamCluster(desk) {
  const pg = await startCluster();
  pg.psql(
    "postgres",
    "CREATE ROLE desk_user NOLOGIN",
    "CREATE ROLE desk_admin NOLOGIN IN ROLE desk_user",
    "CREATE ROLE aiko LOGIN PASSWORD 'aiko-pw' IN ROLE desk_user",
    "CREATE ROLE ben LOGIN PASSWORD 'ben-pw' IN ROLE desk_user",
    "CREATE DATABASE desk",
  );
  execFileSync(desk, ["--db", `postgres://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${pg.port}/desk`, "audit", "verify"], { stdio: "pipe" });
  return pg;
}

/** Starts one person's app on the team database: its own driver, data folders and database role. */
export async function openAppAs(app, pg, role, password) {
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), `incident-desk-e2e-${role}-`));
  const driver = await startDriver(port, {
    XDG_DATA_HOME: join(data, "data"),
    XDG_CONFIG_HOME: join(data, "config"),
    LANG: "ja_JP.UTF-8",
    DESK_DB: pg.url(role),
    PGPASSWORD: password,
  });
  return { driver, session: await Session.create(port, app) };
}
