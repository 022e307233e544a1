/** A chat channel: the global lobby, or one battle's channel for its two players. */
export type ChatChannel = { kind: "lobby" } | { kind: "battle"; battleId: string };

export type ChatChannelResult = { ok: true; channel: ChatChannel; name: string } | { ok: false; code: "VALIDATION_FAILED"; message: string };

export const LOBBY_CHANNEL = "lobby";
const BATTLE_CHANNEL = /^battle:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The channel's name on the wire and in storage: `lobby` or `battle:<uuid>` (lower case). */
export function channelName(channel: ChatChannel): string {
  return channel.kind === "lobby" ? LOBBY_CHANNEL : `battle:${channel.battleId}`;
}

/** Parses `lobby` or `battle:<uuid>`; the uuid is lower-cased so that one battle has one channel name. */
export function parseChannel(raw: string): ChatChannelResult {
  if (raw === LOBBY_CHANNEL) return { ok: true, channel: { kind: "lobby" }, name: LOBBY_CHANNEL };
  const match = BATTLE_CHANNEL.exec(raw);
  if (match?.[1] === undefined) return { ok: false, code: "VALIDATION_FAILED", message: 'the channel must be "lobby" or "battle:<battle id>"' };
  const channel: ChatChannel = { kind: "battle", battleId: match[1].toLowerCase() };
  return { ok: true, channel, name: channelName(channel) };
}
