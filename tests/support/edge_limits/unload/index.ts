// Test-only function (never deployed): says which isolate answers; with `?background=<ms>` it leaves that
// much work to EdgeRuntime.waitUntil. Its beforeunload and the background work's end are written to
// UNLOAD_LOG, one JSON line each.
const isolate = crypto.randomUUID();
const record = (entry: Record<string, unknown>) =>
  Deno.writeTextFileSync(Deno.env.get("UNLOAD_LOG")!, JSON.stringify({ fn: "unload", isolate, ...entry }) + "\n", {
    append: true,
  });
addEventListener("beforeunload", (event) => {
  record({ event: "beforeunload", reason: (event as CustomEvent<{ reason?: string }>).detail?.reason });
});

export default {
  fetch(request: Request): Response {
    const background = Number(new URL(request.url).searchParams.get("background") ?? 0);
    if (background > 0) {
      const work = new Promise((resolve) => setTimeout(resolve, background)).then(() => record({ event: "done" }));
      (globalThis as unknown as { EdgeRuntime: { waitUntil(p: Promise<unknown>): void } }).EdgeRuntime.waitUntil(work);
    }
    return Response.json({ isolate });
  },
};
