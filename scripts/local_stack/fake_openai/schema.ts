/**
 * JSON Schema support for the fake OpenAI server: a deterministic instance of a response format's schema,
 * a deliberate violation of it, and the two strict-mode rules OpenAI enforces before it answers.
 *
 * Covers the subset structured outputs use (and what `zodResponseFormat` emits): `$ref` into `$defs` or
 * `definitions`, `type` (also as an array), `anyOf`/`oneOf`/`allOf`, `enum`/`const`, string lengths and
 * common formats, numeric bounds and `multipleOf`, item counts and tuples, `required` and
 * `additionalProperties`. String `pattern`s other than the formats' are not generated against.
 */
import { createHash } from "node:crypto";

type Node = Record<string, unknown>;

interface Walk {
  root: unknown;
  hash: string;
}

/** Past this depth only required properties, the fewest items and null branches are produced. */
const SHALLOW_DEPTH = 12;
/** Past this depth the walk gives up with null: only a schema that cannot be satisfied finitely gets here. */
const MAX_DEPTH = 40;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function finite(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function count(value: unknown): number | undefined {
  return Number.isInteger(value) && (value as number) >= 0 ? value as number : undefined;
}

/** Sets a key even when it is `__proto__`, which plain assignment would turn into a prototype change. */
function setOwn(target: Node, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A stable 32-bit number for one place in the instance, so numbers differ by path and by request. */
function seedOf(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0);
}

function pointer(root: unknown, ref: string): unknown {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const token = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    if (!isNode(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/** Follows `$ref`s (the referring node's other keywords are kept over the target's) to a schema object. */
function resolve(schema: unknown, root: unknown): Node {
  let node: Node = isNode(schema) ? schema : {};
  for (let hops = 0; typeof node.$ref === "string" && hops < 32; hops++) {
    const { $ref, ...rest } = node;
    const target = pointer(root, $ref as string);
    node = { ...(isNode(target) ? target : {}), ...rest };
  }
  return node;
}

function mergeAllOf(node: Node, root: unknown): Node {
  const { allOf, ...rest } = node;
  const merged: Node = {};
  const properties: Node = {};
  const required = new Set<string>();
  for (const part of [...(allOf as unknown[]), rest].map((item) => resolve(item, root))) {
    Object.assign(merged, part);
    if (isNode(part.properties)) Object.assign(properties, part.properties);
    if (Array.isArray(part.required)) { for (const key of part.required) required.add(String(key)); }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

function typesOf(node: Node): string[] {
  if (typeof node.type === "string") return [node.type];
  if (Array.isArray(node.type)) return node.type.filter((type): type is string => typeof type === "string");
  return [];
}

function inferType(node: Node): string {
  const declared = typesOf(node);
  const nonNull = declared.find((type) => type !== "null");
  if (nonNull) return nonNull;
  if (declared.length > 0) return "null";
  if (isNode(node.properties) || node.additionalProperties !== undefined || node.required) return "object";
  if (node.items !== undefined || node.prefixItems !== undefined || node.minItems !== undefined) return "array";
  if (["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"].some((key) => key in node)) {
    return "number";
  }
  return "string";
}

/** "facilitation_tips" and "facilitationTips" read as "Facilitation tips". */
function humanize(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_\-.\s]+/g, " ").trim().toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : "Answer";
}

const FILLER = " with more placeholder text from the local fake OpenAI server";

function fitLength(candidates: string[], min: number, max: number): string {
  let text = candidates.find((candidate) => candidate.length <= max) ?? "fake AI".slice(0, max);
  while (text.length < min) text += FILLER;
  return text.length > max ? text.slice(0, max).trimEnd().padEnd(Math.max(min, 0), ".") : text;
}

function formatted(format: string, hash: string, seed: number): string | undefined {
  const hex = createHash("sha256").update(`${hash}:${seed}`).digest("hex");
  switch (format) {
    case "date-time":
      return "2025-01-01T09:00:00Z";
    case "date":
      return "2025-01-01";
    case "time":
      return "09:00:00Z";
    case "email":
    case "idn-email":
      return `fake-ai-${hash}@example.com`;
    case "uri":
    case "url":
    case "iri":
      return `https://example.com/fake-ai/${hash}`;
    case "uuid":
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    case "hostname":
      return `fake-ai-${hash}.example.com`;
    case "ipv4":
      return "192.0.2.1";
    case "ipv6":
      return "2001:db8::1";
    case "duration":
      return "PT1H";
    default:
      return undefined;
  }
}

function matches(pattern: unknown, text: string): boolean {
  if (typeof pattern !== "string") return true;
  try {
    return new RegExp(pattern, "u").test(text);
  } catch {
    return true;
  }
}

function stringValue(node: Node, label: string, walk: Walk, seed: number): string {
  const min = count(node.minLength) ?? 0;
  const max = count(node.maxLength) ?? Infinity;
  const special = typeof node.format === "string" ? formatted(node.format, walk.hash, seed) : undefined;
  if (special !== undefined && special.length >= min && special.length <= max) return special;
  const candidates = [`${label} (fake AI ${walk.hash})`, `Fake AI ${walk.hash}`, `fake ${walk.hash}`, "fake"];
  const text = fitLength(candidates, min, max);
  if (matches(node.pattern, text)) return text;
  return [walk.hash, "fake", label].find((candidate) => matches(node.pattern, candidate)) ?? text;
}

function bounds(node: Node, integer: boolean): { lo: number; hi: number } {
  let lo = -Infinity;
  let hi = Infinity;
  const step = integer ? 1 : 0;
  const minimum = finite(node.minimum);
  const maximum = finite(node.maximum);
  if (minimum !== undefined) lo = node.exclusiveMinimum === true ? minimum + step : minimum;
  if (maximum !== undefined) hi = node.exclusiveMaximum === true ? maximum - step : maximum;
  const exclusiveMin = finite(node.exclusiveMinimum);
  const exclusiveMax = finite(node.exclusiveMaximum);
  if (exclusiveMin !== undefined) lo = Math.max(lo, exclusiveMin + step);
  if (exclusiveMax !== undefined) hi = Math.min(hi, exclusiveMax - step);
  return integer ? { lo: Math.ceil(lo), hi: Math.floor(hi) } : { lo, hi };
}

function numberValue(node: Node, integer: boolean, seed: number): number {
  const { lo, hi } = bounds(node, integer);
  let value: number;
  if (Number.isFinite(lo) && Number.isFinite(hi) && hi - lo <= 1000) {
    if (integer) {
      value = lo + (seed % (hi - lo + 1));
    } else {
      // A point strictly inside the range, so exclusive bounds hold too.
      const inside = lo + (hi - lo) * (0.1 + (seed % 81) / 100);
      const rounded = Number(inside.toFixed(2));
      value = rounded > lo && rounded < hi ? rounded : inside;
    }
  } else {
    // Wide or open ranges (zod's integers are bounded by MAX_SAFE_INTEGER) get a small, readable number.
    const spread = seed % 100;
    value = 1 + spread;
    if (value <= lo) value = lo + 1 + spread;
    if (value >= hi) value = hi - 1 - spread;
  }
  const multipleOf = finite(node.multipleOf);
  if (multipleOf && multipleOf > 0) {
    let rounded = Math.ceil(value / multipleOf) * multipleOf;
    if (rounded > hi) rounded = Math.floor(hi / multipleOf) * multipleOf;
    value = Number(rounded.toFixed(10));
  }
  return value;
}

function arrayValue(node: Node, label: string, path: string, depth: number, walk: Walk): unknown[] {
  const min = count(node.minItems) ?? 0;
  const max = count(node.maxItems) ?? Infinity;
  const prefix = Array.isArray(node.prefixItems) ? node.prefixItems : Array.isArray(node.items) ? node.items : [];
  const rest = Array.isArray(node.items) ? node.additionalItems : node.items;
  const wanted = depth > SHALLOW_DEPTH ? min : Math.max(min, 1, prefix.length);
  const size = Math.min(wanted, max, rest === false ? prefix.length : Infinity);
  const items: unknown[] = [];
  for (let i = 0; i < size; i++) {
    const schema = i < prefix.length ? prefix[i] : rest ?? {};
    const variant = node.uniqueItems === true ? i : 0;
    items.push(generate(schema, { label: `${label} ${i + 1}`, path: `${path}/${i}`, depth: depth + 1, variant }, walk));
  }
  return items;
}

function objectValue(node: Node, label: string, path: string, depth: number, walk: Walk): Node {
  const ordinal = /\s\d+$/.exec(label)?.[0] ?? "";
  const properties = isNode(node.properties) ? node.properties : {};
  const required = Array.isArray(node.required) ? node.required.map(String) : [];
  const extra = isNode(node.additionalProperties) ? node.additionalProperties : {};
  const value: Node = {};
  const add = (key: string, schema: unknown) =>
    setOwn(
      value,
      key,
      generate(schema, { label: humanize(key) + ordinal, path: `${path}/${key}`, depth: depth + 1, variant: 0 }, walk),
    );
  for (const [key, schema] of Object.entries(properties)) {
    if (depth <= SHALLOW_DEPTH || required.includes(key)) add(key, schema);
  }
  for (const key of required) if (!Object.hasOwn(value, key)) add(key, extra);
  const minProperties = count(node.minProperties) ?? 0;
  for (let i = 1; Object.keys(value).length < minProperties && node.additionalProperties !== false; i++) {
    add(`extra_${i}`, extra);
  }
  orderRanges(value, properties, walk.root);
  return value;
}

function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[_\-\s]+/).join(" ");
}

function within(schema: unknown, value: number, root: unknown): boolean {
  const node = resolve(schema, root);
  const { lo, hi } = bounds(node, typesOf(node).includes("integer"));
  return value >= lo && value <= hi;
}

/**
 * Sibling numbers named as a range (`min`/`max`, `min_size`/`max_size`, `minSize`/`maxSize`) come out with
 * min <= max: schemas cannot say so, but validators (a zod refinement) often check it.
 */
function orderRanges(value: Node, properties: Node, root: unknown): void {
  const byWords = new Map(Object.keys(value).map((key) => [words(key), key]));
  for (const [phrase, minKey] of byWords) {
    const maxKey = byWords.get(phrase.replace(/\bmin(imum)?\b/, (_, long) => long ? "maximum" : "max"));
    if (!maxKey || maxKey === minKey) continue;
    const [low, high] = [value[minKey], value[maxKey]];
    if (typeof low !== "number" || typeof high !== "number" || low <= high) continue;
    if (within(properties[minKey], high, root) && within(properties[maxKey], low, root)) {
      setOwn(value, minKey, high);
      setOwn(value, maxKey, low);
    } else if (within(properties[maxKey], low, root)) {
      setOwn(value, maxKey, low);
    }
  }
}

interface Place {
  label: string;
  path: string;
  depth: number;
  /** Which enum value to take; array items with `uniqueItems` take different ones. */
  variant: number;
}

function generate(schema: unknown, place: Place, walk: Walk): unknown {
  const { label, path, depth, variant } = place;
  if (depth > MAX_DEPTH) return null;
  let node = resolve(schema, walk.root);
  if (Array.isArray(node.allOf)) node = mergeAllOf(node, walk.root);
  if ("const" in node) return node.const;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[variant % node.enum.length];
  const branches = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
  if (branches && branches.length > 0) {
    const isNull = (branch: unknown) => {
      const types = typesOf(resolve(branch, walk.root));
      return types.length === 1 && types[0] === "null";
    };
    const chosen = depth > SHALLOW_DEPTH && branches.some(isNull)
      ? branches.find(isNull)
      : branches.find((branch) => !isNull(branch)) ?? branches[0];
    const { anyOf: _anyOf, oneOf: _oneOf, ...siblings } = node;
    return generate({ ...siblings, ...resolve(chosen, walk.root) }, { ...place, depth: depth + 1 }, walk);
  }
  const seed = seedOf(`${walk.hash}:${path}`);
  switch (inferType(node)) {
    case "null":
      return null;
    case "boolean":
      return seed % 2 === 0;
    case "integer":
      return numberValue(node, true, seed);
    case "number":
      return numberValue(node, false, seed);
    case "array":
      return arrayValue(node, label, path, depth, walk);
    case "object":
      return objectValue(node, label, path, depth, walk);
    default:
      return stringValue(node, label, walk, seed);
  }
}

/** A valid instance of `schema`, built only from the schema and `hash`: the same inputs give the same value. */
export function exampleFromSchema(schema: unknown, hash: string): unknown {
  return generate(schema, { label: "Answer", path: "", depth: 0, variant: 0 }, { root: schema, hash });
}

function wrongType(value: unknown): unknown {
  if (typeof value === "string") return 12345;
  if (typeof value === "number") return "not a number";
  if (typeof value === "boolean") return "yes";
  if (Array.isArray(value)) return "not a list";
  if (value === null) return 0;
  return "not an object";
}

/**
 * JSON that parses but breaks `schema`: the first required property is missing, every other property has
 * the wrong type, and an unexpected property is added where `additionalProperties` is false.
 */
export function violationOfSchema(schema: unknown, hash: string): unknown {
  const valid = exampleFromSchema(schema, hash);
  const node = resolve(schema, schema);
  if (!isNode(valid) || Object.keys(valid).length === 0) return wrongType(valid);
  const required = Array.isArray(node.required) ? node.required.map(String) : [];
  const broken: Node = {};
  for (const [key, value] of Object.entries(valid)) {
    if (key !== required[0]) setOwn(broken, key, wrongType(value));
  }
  if (node.additionalProperties === false) broken.unexpected_field_from_fake_ai = true;
  return broken;
}

function context(path: string[]): string {
  const quoted = path.map((part) => `'${part}'`);
  return quoted.length === 1 ? `(${quoted[0]},)` : `(${quoted.join(", ")})`;
}

function strictProblemAt(schema: unknown, path: string[]): string | undefined {
  if (!isNode(schema)) return undefined;
  if (typesOf(schema).includes("object") || isNode(schema.properties)) {
    if (schema.additionalProperties !== false) {
      return `In context=${context(path)}, 'additionalProperties' is required to be supplied and to be false.`;
    }
    const keys = isNode(schema.properties) ? Object.keys(schema.properties) : [];
    const required = Array.isArray(schema.required) ? schema.required : [];
    const missing = keys.find((key) => !required.includes(key));
    if (missing !== undefined) {
      return `In context=${
        context(path)
      }, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
    }
  }
  const children: [string[], unknown][] = [];
  for (const key of ["properties", "$defs", "definitions"]) {
    const group = schema[key];
    if (isNode(group)) { for (const [name, child] of Object.entries(group)) children.push([[key, name], child]); }
  }
  for (const key of ["anyOf", "allOf", "oneOf", "prefixItems"]) {
    const list = schema[key];
    if (Array.isArray(list)) list.forEach((child, i) => children.push([[key, String(i)], child]));
  }
  if (isNode(schema.items)) children.push([["items"], schema.items]);
  for (const [suffix, child] of children) {
    const problem = strictProblemAt(child, [...path, ...suffix]);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Why OpenAI would refuse `schema` with `strict: true` (the root must be an object; every object must set
 * `additionalProperties: false` and list every property in `required`), or undefined when it would not.
 */
export function strictSchemaProblem(schema: unknown): string | undefined {
  const root = isNode(schema) ? schema : {};
  const type = typesOf(root)[0] ?? (Array.isArray(root.anyOf) ? "anyOf" : "none");
  if (type !== "object") return `schema must be a JSON Schema of 'type: "object"', got 'type: "${type}"'.`;
  return strictProblemAt(root, []);
}
