/**
 * JSON with object keys sorted at every depth, so that equal data gives equal text whatever order
 * its keys were written in (a database's JSON column may reorder them). As JSON.stringify: fields
 * that are undefined or functions are left out, such array items become null, non-finite numbers
 * become null. Built by hand with string concatenation because every state hash runs it: this is
 * about twice as fast as JSON.stringify with a sorting replacer.
 *
 * @example
 * stableStringify({ b: 1, a: [2, { d: 3, c: 4 }] }) // '{"a":[2,{"c":4,"d":3}],"b":1}'
 */
export function stableStringify(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (value === null) return "null";
      return Array.isArray(value) ? arrayText(value) : objectText(value as Record<string, unknown>);
    default:
      return "null";
  }
}

function arrayText(items: readonly unknown[]): string {
  let out = "[";
  for (let i = 0; i < items.length; i++) out += (i === 0 ? "" : ",") + stableStringify(items[i]);
  return `${out}]`;
}

// Quoted keys, memoised: a state repeats the same few dozen keys thousands of times, and quoting
// them was half the cost. Bounded, and invisible to callers (the output never depends on it).
const quotedKeys = new Map<string, string>();

function quoted(key: string): string {
  let text = quotedKeys.get(key);
  if (text === undefined) {
    text = JSON.stringify(key);
    if (quotedKeys.size < 512) quotedKeys.set(key, text);
  }
  return text;
}

function objectText(record: Record<string, unknown>): string {
  let out = "{";
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined || typeof item === "function") continue;
    out += (first ? "" : ",") + quoted(key) + ":" + stableStringify(item);
    first = false;
  }
  return `${out}}`;
}
