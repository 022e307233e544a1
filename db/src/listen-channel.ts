import pg from "pg";

/**
 * Listens on a Postgres NOTIFY channel with a dedicated connection (a pooled one would be handed to
 * someone else), calling `onPayload` for each notification. A dropped connection is re-opened after a
 * second; notifications sent while it was down are lost, so callers that need every one must also
 * read the table the notification is about.
 */
export async function listenChannel(pool: pg.Pool, channel: string, onPayload: (payload: string) => void, { name = `harvest-${channel}`, onError }: { name?: string; onError?: (error: Error) => void } = {}) {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name: ${channel}`);
  let client: pg.Client | undefined;
  let stopped = false;

  async function open(): Promise<void> {
    const next = new pg.Client({ connectionString: (pool.options as { connectionString?: string }).connectionString, application_name: name });
    next.on("notification", (message) => {
      if (message.channel === channel) onPayload(message.payload ?? "");
    });
    next.on("error", (error) => {
      onError?.(error);
      if (!stopped) setTimeout(() => void open().catch((again: Error) => onError?.(again)), 1_000).unref();
    });
    await next.connect();
    await next.query(`LISTEN ${channel}`);
    client = next;
  }

  await open();
  return {
    async stop(): Promise<void> {
      stopped = true;
      await client?.end().catch(() => {});
    },
  };
}
