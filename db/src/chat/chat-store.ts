import type pg from "pg";
import type { ChatEntry } from "@harvest/core/protocol/chat-messages";

type Queryable = pg.Pool | pg.ClientBase;

/** A stored chat message with its channel. */
export type StoredChatMessage = ChatEntry & { channel: string };

/** A player who shared a battle with another recently. */
export type RecentOpponent = { playerId: string; name: string | null };

/** Tells other game-server instances about a stored message, in the same statement (see chat-bus.ts). */
export type ChatAnnouncement = {
  /** The Postgres NOTIFY channel (CHAT_NOTIFY_CHANNEL). */
  notifyChannel: string;
  /** The announcing instance, so that it can skip its own notification. */
  origin: string;
  /** Players who may receive it (a battle's players), or null for everyone (the lobby). */
  recipients: readonly string[] | null;
};

type MessageRow = { id: string; channel: string; player_id: string; display_name: string | null; text: string; sent_at_ms: string };

const MESSAGE_COLUMNS = `m.id::text AS id, m.channel, m.player_id::text AS player_id, p.display_name, m.text,
  (extract(epoch FROM m.sent_at) * 1000)::bigint AS sent_at_ms`;

const fromRow = (row: MessageRow): StoredChatMessage => ({
  id: row.id,
  channel: row.channel,
  from: { playerId: row.player_id, name: row.display_name },
  text: row.text,
  sentAtMs: Number(row.sent_at_ms),
});

/**
 * Stores a message (text already normalised, channel already authorised) and returns it with its id
 * and the sender's name. With `announce`, the same statement NOTIFYs the message as a chat-bus
 * `message` notification: Postgres delivers it at commit, so it is never announced unless stored.
 */
export async function insertChatMessage(
  db: Queryable,
  message: { channel: string; playerId: string; text: string; sentAtMs: number },
  announce?: ChatAnnouncement,
): Promise<StoredChatMessage> {
  const { rows } = await db.query<MessageRow>(
    `WITH m AS (
       INSERT INTO game.chat_messages (channel, player_id, text, sent_at) VALUES ($1, $2, $3, $4)
       RETURNING id, channel, player_id, text, sent_at
     ), out AS (
       SELECT ${MESSAGE_COLUMNS} FROM m JOIN game.players p ON p.id = m.player_id
     )
     SELECT out.*,
       CASE WHEN $5::text IS NOT NULL THEN pg_notify($5, json_build_object(
         'kind', 'message', 'origin', $6::text, 'recipients', $7::text[],
         'message', json_build_object('channel', out.channel, 'id', out.id,
           'from', json_build_object('playerId', out.player_id, 'name', out.display_name),
           'text', out.text, 'sentAtMs', out.sent_at_ms))::text) END AS notified
     FROM out`,
    [message.channel, message.playerId, message.text, new Date(message.sentAtMs), announce?.notifyChannel ?? null, announce?.origin ?? null, announce?.recipients === null || announce === undefined ? null : [...announce.recipients]],
  );
  return fromRow(rows[0]!);
}

/**
 * The last `limit` messages of a channel sent at or after `sinceMs` (and before message `beforeId`
 * when given), oldest first.
 */
export async function chatHistory(db: Queryable, channel: string, options: { sinceMs: number; limit: number; beforeId?: string | undefined }): Promise<StoredChatMessage[]> {
  const { rows } = await db.query<MessageRow>(
    `SELECT * FROM (
       SELECT ${MESSAGE_COLUMNS}, m.id AS seq FROM game.chat_messages m JOIN game.players p ON p.id = m.player_id
        WHERE m.channel = $1 AND ($2::bigint IS NULL OR m.id < $2::bigint) AND m.sent_at >= $3
        ORDER BY m.id DESC LIMIT $4
     ) last ORDER BY seq`,
    [channel, options.beforeId ?? null, new Date(options.sinceMs), options.limit],
  );
  return rows.map(fromRow);
}

/**
 * Deletes messages sent before `olderThanMs` (epoch ms), `batchSize` rows a statement so that no
 * statement holds many locks for long. Returns how many were deleted.
 */
export async function pruneChat(pool: Queryable, olderThanMs: number, batchSize = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await pool.query(
      `DELETE FROM game.chat_messages WHERE id IN (SELECT id FROM game.chat_messages WHERE sent_at < $1 ORDER BY sent_at LIMIT $2)`,
      [new Date(olderThanMs), batchSize],
    );
    total += result.rowCount ?? 0;
    if ((result.rowCount ?? 0) < batchSize) return total;
  }
}

/** The players of a battle (as the engine names them: the practice bot too), or null when there is no such battle. */
export async function battlePlayers(db: Queryable, battleId: string): Promise<string[] | null> {
  const { rows } = await db.query<{ players: string[] }>(`SELECT players FROM game.battles WHERE id = $1`, [battleId]);
  return rows[0]?.players ?? null;
}

/**
 * The players who shared a battle with `playerId` that started or ended at or after `sinceMs`, the
 * most recent first, at most `limit`. Engine-only ids (the practice bot) are not players and are skipped.
 */
export async function recentOpponents(db: Queryable, playerId: string, options: { sinceMs: number; limit: number }): Promise<RecentOpponent[]> {
  // A named statement, parsed once per pooled connection: every player's connection asks this once,
  // and a storm of connections (a deploy, say) would otherwise pay for the parsing each time.
  const { rows } = await db.query<{ player_id: string; display_name: string | null }>({
    name: "chat-recent-opponents",
    text: `SELECT p.id::text AS player_id, p.display_name
       FROM game.battles b
       CROSS JOIN LATERAL unnest(b.players) AS other(id)
       JOIN game.players p ON p.id = CASE WHEN other.id ~ '^[0-9]{1,18}$' THEN other.id::bigint END
      WHERE b.players @> ARRAY[$1::text] AND other.id <> $1 AND coalesce(b.ended_at, b.created_at) >= $2
      GROUP BY p.id
      ORDER BY max(coalesce(b.ended_at, b.created_at)) DESC, p.id
      LIMIT $3`,
    values: [playerId, new Date(options.sinceMs), options.limit],
  });
  return rows.map((row) => ({ playerId: row.player_id, name: row.display_name }));
}
