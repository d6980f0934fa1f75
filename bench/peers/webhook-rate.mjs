// Open-loop fixed-rate loader for webhook intake (Debian's wrk has no -R): sends RATE signed deliveries per
// second for SECONDS, each with a fresh X-GitHub-Delivery, over a keep-alive pool. Latency is measured from the
// time a request was *due*, not when a socket freed up, so a stalled server is not hidden (no coordinated omission).
// usage: node webhook-rate.mjs URL BODY_FILE SIGNATURE EVENT [RATE=500] [SECONDS=15]
// Last line: webhook-rate rate=… sent=… ok=… errors=… p50_ms=… p99_ms=… max_ms=…
import http from "node:http";
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";

const [url, bodyFile, sig, event, rateArg, secondsArg] = process.argv.slice(2);
const rate = Number(rateArg ?? 500), seconds = Number(secondsArg ?? 15);
const body = readFileSync(bodyFile);
const target = new URL("/api/github/webhook", url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const total = Math.round(rate * seconds), intervalMs = 1000 / rate;
const latencies = [];
let ok = 0, errors = 0, done = 0, sent = 0;

const finished = new Promise((resolve) => {
  const send = (dueAt) => {
    const req = http.request(target, {
      method: "POST", agent,
      headers: { "Content-Type": "application/json", "Content-Length": body.length, "X-GitHub-Event": event,
        "X-GitHub-Delivery": randomUUID(), "X-Hub-Signature-256": sig, "User-Agent": "GitHub-Hookshot/bench" },
    }, (res) => {
      res.resume();
      res.on("end", () => {
        latencies.push(performance.now() - dueAt);
        if (res.statusCode >= 200 && res.statusCode < 300) ok++; else errors++;
        if (++done === total) resolve();
      });
    });
    req.on("error", () => { errors++; if (++done === total) resolve(); });
    req.end(body);
  };
  const start = performance.now();
  const tick = () => {
    const now = performance.now();
    while (sent < total && start + sent * intervalMs <= now) send(start + sent++ * intervalMs);
    if (sent < total) setTimeout(tick, 1);
  };
  tick();
});
await finished;
agent.destroy();
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(2);
console.log(`webhook-rate rate=${rate} sent=${sent} ok=${ok} errors=${errors} p50_ms=${q(0.5)} p99_ms=${q(0.99)} max_ms=${latencies.at(-1).toFixed(2)}`);
