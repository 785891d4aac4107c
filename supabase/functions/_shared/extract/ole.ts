/**
 * OLE compound files (CFB): an encrypted DOCX/PPTX/XLSX is stored inside one, as the streams `EncryptionInfo` and
 * `EncryptedPackage`; legacy .doc/.xls/.ppt files are too. Only the directory is read, never a stream.
 */
import { encrypted, unsupportedType } from "./errors.ts";

/** The first eight bytes of every compound file. */
export const OLE_MAGIC = Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1);

const FREE = 0xffffffff;
const END_OF_CHAIN = 0xfffffffe;
const MAX_SECTOR = 0xfffffffa;
const HEADER_DIFAT_ENTRIES = 109;

/** Rejects a compound file: `encrypted` for encrypted OOXML, `unsupported_type` for anything else. */
export function rejectCompoundFile(bytes: Uint8Array): never {
  let names: string[] = [];
  try {
    names = directoryNames(bytes);
  } catch {
    // An unreadable compound file is still not a format we read.
  }
  if (names.includes("EncryptionInfo") && names.includes("EncryptedPackage")) {
    throw encrypted("the file is password-protected; remove the password and upload it again");
  }
  throw unsupportedType(
    "legacy Office files (.doc, .xls, .ppt) are not supported; save the file as DOCX, XLSX or PPTX",
  );
}

/** The names of all directory entries of a compound file; throws on any inconsistency. */
export function directoryNames(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 512 || !OLE_MAGIC.every((b, i) => bytes[i] === b)) throw new Error("not a compound file");
  if (view.getUint16(0x1c, true) !== 0xfffe) throw new Error("bad byte order mark");
  const shift = view.getUint16(0x1e, true);
  if (shift !== 9 && shift !== 12) throw new Error("bad sector size");
  const sectorSize = 1 << shift;
  const sectorCount = Math.floor((bytes.length - sectorSize) / sectorSize) + 1;
  const perSector = sectorSize / 4;
  const sectorOffset = (sector: number) => {
    if (sector > MAX_SECTOR || sector >= sectorCount) throw new Error("sector out of range");
    return (sector + 1) * sectorSize;
  };

  // The FAT's own sectors: 109 listed in the header, the rest in a chain of DIFAT sectors.
  const fatSectors: number[] = [];
  const fatCount = view.getUint32(0x2c, true);
  if (fatCount > sectorCount) throw new Error("too many FAT sectors");
  for (let i = 0; i < Math.min(fatCount, HEADER_DIFAT_ENTRIES); i++) {
    fatSectors.push(view.getUint32(0x4c + i * 4, true));
  }
  let difat = view.getUint32(0x44, true);
  for (let hops = 0; fatSectors.length < fatCount && difat !== END_OF_CHAIN && difat !== FREE; hops++) {
    if (hops > sectorCount) throw new Error("DIFAT loop");
    const at = sectorOffset(difat);
    for (let i = 0; i < perSector - 1 && fatSectors.length < fatCount; i++) {
      fatSectors.push(view.getUint32(at + i * 4, true));
    }
    difat = view.getUint32(at + (perSector - 1) * 4, true);
  }
  const next = (sector: number) => {
    const fatSector = fatSectors[Math.floor(sector / perSector)];
    if (fatSector === undefined) throw new Error("sector outside the FAT");
    return view.getUint32(sectorOffset(fatSector) + (sector % perSector) * 4, true);
  };

  const names: string[] = [];
  const seen = new Set<number>();
  for (let sector = view.getUint32(0x30, true); sector !== END_OF_CHAIN; sector = next(sector)) {
    if (seen.has(sector)) throw new Error("directory loop");
    seen.add(sector);
    const at = sectorOffset(sector);
    for (let entry = at; entry < at + sectorSize; entry += 128) {
      const length = view.getUint16(entry + 0x40, true);
      const type = bytes[entry + 0x42];
      if (type === 0 || length < 2 || length > 64) continue;
      names.push(new TextDecoder("utf-16le").decode(bytes.subarray(entry, entry + length - 2)));
    }
  }
  return names;
}
