import { Hono } from "hono";

// Ponder serves /health, /ready, /status and /metrics itself. The indexed data is read through the
// views schema (`chain.*`) by the ownership module, so the indexer adds no routes of its own.
const app = new Hono();

export default app;
