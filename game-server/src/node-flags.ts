/**
 * The V8 flags the game server process runs with: `scripts/stack` starts it with them (`npm start`),
 * and `npm run bench:ws` starts both of its servers (the game server and the bare baseline) with them. To run it by hand:
 * `node --no-allocation-site-pretenuring game-server/src/index.ts`.
 *
 * `--no-allocation-site-pretenuring`: V8 watches which allocation sites make objects that outlive
 * young-generation collections, and from then on allocates that site's objects straight in the old
 * generation. At a human pace a battle's state and views live for seconds, so the engine's and the
 * views' sites are judged long-lived; once judged, a site is never watched again. When the same
 * process later serves many fast battles, those objects die within milliseconds, but every one is
 * still allocated, and collected, as an old one. After 2,000 players at a human pace, the game
 * server spent ~0.093-0.102 ms of CPU an action at saturation with the default, and ~0.081-0.086 ms
 * without pretenuring, the same as a process that never had a slow phase (docs/adr/015).
 */
export const GAME_SERVER_NODE_FLAGS: readonly string[] = ["--no-allocation-site-pretenuring"];
