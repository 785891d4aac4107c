// Test-only function (never deployed): allocates `?mb=` megabytes (default 400) and keeps them, on the JS
// heap (`?kind=heap`) or in buffers outside it (`?kind=buffer`).
const kept: unknown[] = [];

export default {
  fetch(request: Request): Response {
    const params = new URL(request.url).searchParams;
    const mb = Number(params.get("mb") ?? 400);
    const kind = params.get("kind") ?? "heap";
    for (let i = 0; i < mb; i++) {
      // 1 MB each: 131072 doubles, or 1048576 bytes.
      kept.push(kind === "heap" ? new Array(131_072).fill(i + 0.5) : new Uint8Array(1_048_576).fill(i % 256));
    }
    return Response.json({ allocated_mb: mb, kind });
  },
};
