/** Reads a `.env` file (KEY=VALUE lines, # comments, optional quotes), naming the line of any mistake. */
import { existsSync } from "node:fs";
import { relative } from "node:path";
import { SetupError } from "./errors.ts";
import { ROOT } from "./paths.ts";

/** Parses the file; a missing file is an empty set of values. */
export function readDotenv(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const values: Record<string, string> = {};
  const lines = Deno.readTextFileSync(file).split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      throw new SetupError(
        `${relative(ROOT, file)} line ${index + 1} is not KEY=VALUE (${line.slice(0, 40)}): fix or remove that line`,
      );
    }
    let value = match[2];
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[1] === '"' ? quoted[2].replaceAll("\\n", "\n") : quoted[2];
    else if (/^["']/.test(value)) {
      throw new SetupError(
        `${relative(ROOT, file)} line ${index + 1} has an unclosed quote: close it or remove the quote`,
      );
    } else value = value.replace(/\s+#.*$/, "");
    values[match[1]] = value;
  });
  return values;
}
