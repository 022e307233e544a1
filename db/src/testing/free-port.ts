import net from "node:net";

/**
 * A TCP port on 127.0.0.1 that was free a moment ago. Another process may take
 * it before the caller binds; callers retry with a new port when that happens.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === "object") resolve(address.port);
        else reject(new Error("could not read the port the OS picked"));
      });
    });
  });
}
