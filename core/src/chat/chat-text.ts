import { chatRules } from "./chat-rules.ts";

/** The outcome of normalising a chat message: the text to store, or why it is refused. */
export type ChatTextResult = { ok: true; text: string } | { ok: false; code: "VALIDATION_FAILED"; message: string };

// Line breaks and tabs become spaces; every other control character (C0, DEL, C1) and the bidirectional
// overrides and isolates (which can make a message display as something else) are removed.
const WHITESPACE_CONTROLS = /[\t\n\v\f\r\u0085\u2028\u2029]+/gu;
const HIDDEN_CONTROLS = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu;

/**
 * Normalises what a player typed: lone surrogates replaced, NFC, line breaks to spaces, control
 * characters removed, trimmed. Refuses an empty result and one longer than `maxChars` code points.
 */
export function normalizeChatText(raw: string, maxChars: number = chatRules.maxTextChars): ChatTextResult {
  const text = raw.toWellFormed().normalize("NFC").replace(WHITESPACE_CONTROLS, " ").replace(HIDDEN_CONTROLS, "").trim();
  if (text.length === 0) return { ok: false, code: "VALIDATION_FAILED", message: "the message is empty" };
  const chars = [...text].length;
  if (chars > maxChars) return { ok: false, code: "VALIDATION_FAILED", message: `the message has ${chars} characters; at most ${maxChars} are allowed` };
  return { ok: true, text };
}
