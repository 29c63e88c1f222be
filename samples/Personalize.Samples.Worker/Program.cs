using Microsoft.Extensions.Hosting;
using Personalize.Samples.Worker;

// A Personalize worker: every minute it sends what became due, every hour it ticks (like-a-friend occasions), into
// ./outbox, on the SQLite store seeded with the bundled customers. Ctrl+C stops it after the page in hand.
using var host = WorkerHost.Build(args);
await host.RunAsync();
