// Test-only function (never deployed): POST burns CPU for `?seconds=` (default 3); GET says which isolate
// answers. Its beforeunload writes to UNLOAD_LOG, so a test can tell whether the event fired.
import process from "node:process";

const isolate = crypto.randomUUID();
addEventListener("beforeunload", (event) => {
  const reason = (event as CustomEvent<{ reason?: string }>).detail?.reason;
  Deno.writeTextFileSync(
    Deno.env.get("UNLOAD_LOG")!,
    JSON.stringify({ fn: "burn-cpu", isolate, event: "beforeunload", reason }) + "\n",
    {
      append: true,
    },
  );
});

export default {
  fetch(request: Request): Response {
    if (request.method === "POST") {
      const seconds = Number(new URL(request.url).searchParams.get("seconds") ?? 3);
      const start = process.cpuUsage();
      let spins = 0;
      while (true) {
        const used = process.cpuUsage(start);
        if ((used.user + used.system) / 1e6 >= seconds) break;
        for (let i = 0; i < 100_000; i++) spins += Math.sqrt(i);
      }
      return Response.json({ isolate, spins });
    }
    return Response.json({ isolate });
  },
};
