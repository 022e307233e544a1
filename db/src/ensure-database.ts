import pg from "pg";

// 42P04 duplicate_database; 23505 when two CREATE DATABASE race on the catalog's unique index.
const ALREADY_EXISTS = new Set(["42P04", "23505"]);

/**
 * Creates database `name` on the server at `url` unless it exists, and returns
 * the URL that points at it. Safe when several processes race to create it.
 */
export async function ensureDatabase(url: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } catch (error) {
        if (!ALREADY_EXISTS.has((error as { code?: string }).code ?? "")) throw error;
      }
    }
  } finally {
    await client.end();
  }
  return databaseUrl(url, name);
}

/** `url` with its database replaced by `name`. */
export function databaseUrl(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return parsed.toString();
}
