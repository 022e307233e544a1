import type { ServerMessage } from "@harvest/core/protocol/ws-messages";

/** One open WebSocket of a signed-in player, as the services see it. */
export type Connection = { readonly playerId: string; readonly sessionId: string; readonly send: (message: ServerMessage) => void };

/**
 * The connections open on this game-server process, by player: how the matchmaker, the battles and
 * the chat reach a player who did not just send a message (a match found, an opponent's move).
 */
export function createConnectionRegistry() {
  const byPlayer = new Map<string, Set<Connection>>();
  return {
    add(connection: Connection) {
      const set = byPlayer.get(connection.playerId) ?? new Set<Connection>();
      set.add(connection);
      byPlayer.set(connection.playerId, set);
    },
    remove(connection: Connection) {
      const set = byPlayer.get(connection.playerId);
      set?.delete(connection);
      if (set?.size === 0) byPlayer.delete(connection.playerId);
    },
    /** The player's open connections on this process (none when they are elsewhere or offline). */
    of(playerId: string): readonly Connection[] {
      return [...(byPlayer.get(playerId) ?? [])];
    },
    /** Every player with at least one connection here. */
    players: () => [...byPlayer.keys()],
  };
}

export type ConnectionRegistry = ReturnType<typeof createConnectionRegistry>;
