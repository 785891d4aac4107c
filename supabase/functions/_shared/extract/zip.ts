/**
 * A guarded zip reader for OOXML packages: it trusts no size in the headers, inflates only the entries asked
 * for, and counts the bytes it actually inflates against the caps below.
 */
import zlib from "node:zlib";
import { corrupt, encrypted, limitsExceeded } from "./errors.ts";

/** Caps for one archive. An entry may expand up to `ratioFloorBytes` whatever its ratio (small XML compresses well). */
export const ZIP_LIMITS = {
  maxEntries: 5_000,
  maxTotalInflatedBytes: 50 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
} as const;

/** The caps a `GuardedZip` enforces. */
export type ZipLimits = { [K in keyof typeof ZIP_LIMITS]: number };

/** One central directory record. */
export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;
// Deflate expands at most ~1032:1, so one 8 KiB slice of input yields at most ~8 MiB before the next count.
const INFLATE_SLICE = 8 * 1024;

/** Reads the central directory without inflating anything; refuses archives with more than `maxEntries` entries. */
export function readCentralDirectory(bytes: Uint8Array, maxEntries: number = ZIP_LIMITS.maxEntries): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndOfCentralDirectory(view);
  if (eocd < 0) throw corrupt("the zip directory is missing; the file may be incomplete");
  if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0) {
    throw corrupt("split zip archives are not supported");
  }
  let count = view.getUint16(eocd + 10, true);
  let size = view.getUint32(eocd + 12, true);
  let offset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR) throw corrupt("the zip directory is damaged");
    const record = safeNumber(view.getBigUint64(locator + 8, true));
    if (record + 56 > bytes.length || view.getUint32(record, true) !== ZIP64_EOCD) {
      throw corrupt("the zip directory is damaged");
    }
    count = safeNumber(view.getBigUint64(record + 32, true));
    size = safeNumber(view.getBigUint64(record + 40, true));
    offset = safeNumber(view.getBigUint64(record + 48, true));
  }
  if (count > maxEntries) {
    throw limitsExceeded(
      `the archive has ${count.toLocaleString("en-US")} parts, more than the limit of ${
        maxEntries.toLocaleString("en-US")
      }`,
    );
  }
  if (offset + size > bytes.length) throw corrupt("the zip directory is damaged");

  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder();
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_HEADER) {
      throw corrupt("the zip directory is damaged");
    }
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > bytes.length) throw corrupt("the zip directory is damaged");
    const entry: ZipEntry = {
      name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      crc32: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      uncompressedSize: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    };
    readZip64Extra(view, at + 46 + nameLength, extraLength, entry);
    entries.push(entry);
    at = end;
  }
  return entries;
}

/** A zip archive whose entries are inflated on demand, under the caps, and checked against their CRC. */
export class GuardedZip {
  readonly #bytes: Uint8Array;
  readonly #entries = new Map<string, ZipEntry>();
  readonly #limits: ZipLimits;
  #inflated = 0;

  private constructor(bytes: Uint8Array, limits: ZipLimits) {
    this.#bytes = bytes;
    this.#limits = limits;
    for (const entry of readCentralDirectory(bytes, limits.maxEntries)) {
      if (entry.name.endsWith("/")) continue;
      // OOXML part names compare case-insensitively; two entries with one name would let readers disagree.
      const key = entry.name.toLowerCase();
      if (this.#entries.has(key)) throw corrupt("the archive names one part twice");
      this.#entries.set(key, entry);
    }
  }

  /** Opens an archive: reads its directory and checks the entry count, inflating nothing. */
  static open(bytes: Uint8Array, limits: Partial<ZipLimits> = {}): GuardedZip {
    return new GuardedZip(bytes, { ...ZIP_LIMITS, ...limits });
  }

  /** Bytes inflated so far, the figure held against `maxTotalInflatedBytes`. */
  get inflatedBytes(): number {
    return this.#inflated;
  }

  /** Whether the archive has this part (case-insensitive, leading slash ignored). */
  has(name: string): boolean {
    return this.#entries.has(normalize(name));
  }

  /** The directory record of a part, if present. */
  entry(name: string): ZipEntry | undefined {
    return this.#entries.get(normalize(name));
  }

  /** Inflates a whole part at once; the declared size is the hard limit, so a header that lies stops inflation. */
  read(name: string): Uint8Array {
    const entry = this.#checked(name);
    this.#count(entry.uncompressedSize);
    const data = this.#data(entry);
    if (entry.method === STORED) return data;
    let out: Uint8Array;
    try {
      out = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw expandsBeyondHeaders();
      throw corrupt("a compressed part is damaged", error);
    }
    if (out.length !== entry.uncompressedSize || zlib.crc32(out) !== entry.crc32) {
      throw corrupt("a compressed part is damaged");
    }
    return out;
  }

  /** Inflates a part slice by slice, counting every byte; stop iterating to stop inflating. */
  async *stream(name: string): AsyncGenerator<Uint8Array> {
    const entry = this.#checked(name);
    const data = this.#data(entry);
    if (entry.method === STORED) {
      for (let at = 0; at < data.length; at += 1024 * 1024) {
        const chunk = data.subarray(at, at + 1024 * 1024);
        this.#count(chunk.length);
        yield chunk;
      }
      return;
    }
    let offset = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= data.length) return controller.close();
        controller.enqueue(data.subarray(offset, offset + INFLATE_SLICE));
        offset += INFLATE_SLICE;
      },
    }, { highWaterMark: 0 });
    const inflate = new DecompressionStream("deflate-raw") as unknown as TransformStream<Uint8Array, Uint8Array>;
    const reader = source.pipeThrough(inflate).getReader();
    let produced = 0;
    let crc = 0;
    try {
      for (;;) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          throw corrupt("a compressed part is damaged", error);
        }
        if (result.done) break;
        produced += result.value.length;
        if (produced > entry.uncompressedSize) throw expandsBeyondHeaders();
        this.#count(result.value.length);
        crc = zlib.crc32(result.value, crc);
        yield result.value;
      }
    } finally {
      await reader.cancel().catch(() => {});
    }
    if (produced !== entry.uncompressedSize || crc !== entry.crc32) throw corrupt("a compressed part is damaged");
  }

  #checked(name: string): ZipEntry {
    const entry = this.entry(name);
    if (!entry) throw corrupt(`a required part is missing (${name})`);
    if (entry.flags & 0x1) throw encrypted("the archive is encrypted");
    if (entry.method !== STORED && entry.method !== DEFLATED) {
      throw corrupt("a part uses an unsupported compression method");
    }
    if (entry.method === STORED && entry.compressedSize !== entry.uncompressedSize) {
      throw corrupt("the zip directory is damaged");
    }
    const { maxRatio, ratioFloorBytes } = this.#limits;
    if (entry.uncompressedSize > Math.max(ratioFloorBytes, entry.compressedSize * maxRatio)) {
      throw limitsExceeded(`a part expands more than ${maxRatio} times its compressed size`);
    }
    return entry;
  }

  #data(entry: ZipEntry): Uint8Array {
    const at = entry.localHeaderOffset;
    const view = new DataView(this.#bytes.buffer, this.#bytes.byteOffset, this.#bytes.byteLength);
    if (at + 30 > this.#bytes.length || view.getUint32(at, true) !== LOCAL_HEADER) {
      throw corrupt("the zip archive is damaged");
    }
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const end = start + entry.compressedSize;
    if (end > this.#bytes.length) throw corrupt("the zip archive is truncated");
    return this.#bytes.subarray(start, end);
  }

  #count(bytes: number): void {
    this.#inflated += bytes;
    if (this.#inflated > this.#limits.maxTotalInflatedBytes) {
      const mb = Math.round(this.#limits.maxTotalInflatedBytes / 1024 / 1024);
      throw limitsExceeded(`the file expands to more than ${mb} MB`);
    }
  }
}

function expandsBeyondHeaders() {
  return limitsExceeded("a part expands beyond the size its zip header declares");
}

function normalize(name: string): string {
  return name.replace(/^\/+/, "").toLowerCase();
}

function findEndOfCentralDirectory(view: DataView): number {
  const last = view.byteLength - 22;
  const first = Math.max(0, last - 0xffff);
  for (let at = last; at >= first; at--) {
    if (view.getUint32(at, true) === EOCD) return at;
  }
  return -1;
}

function readZip64Extra(view: DataView, start: number, length: number, entry: ZipEntry): void {
  const needs = entry.uncompressedSize === 0xffffffff || entry.compressedSize === 0xffffffff ||
    entry.localHeaderOffset === 0xffffffff;
  if (!needs) return;
  for (let at = start; at + 4 <= start + length;) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (id === 0x0001) {
      let field = at + 4;
      const next = () => {
        if (field + 8 > at + 4 + size) throw corrupt("the zip directory is damaged");
        const value = safeNumber(view.getBigUint64(field, true));
        field += 8;
        return value;
      };
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
      return;
    }
    at += 4 + size;
  }
  throw corrupt("the zip directory is damaged");
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt("the zip directory is damaged");
  return Number(value);
}
