/** Real documents for upload tests, written by real writers (pdf-lib, docx). */
import { PDFDocument, StandardFonts } from "npm:pdf-lib@1.17.1";
import { Document, Packer, Paragraph, TextRun } from "npm:docx@9.15.2";

/** A PDF with a page of text per entry, optionally padded with an attachment to reach a size. */
export async function pdfWithText(pages: string[], options: { padToBytes?: number } = {}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = pdf.addPage([595, 842]);
    text.match(/.{1,80}(\s|$)/g)?.forEach((line, i) =>
      page.drawText(line.trim(), { x: 50, y: 780 - i * 16, size: 11, font })
    );
  }
  if (options.padToBytes) {
    const current = (await pdf.save()).byteLength;
    await pdf.attach(noise(Math.max(0, options.padToBytes - current - 4096)), "padding.bin", {
      mimeType: "application/octet-stream",
    });
  }
  return await pdf.save({ useObjectStreams: false });
}

/** A DOCX with the given paragraphs. */
export async function docxWithText(paragraphs: string[]): Promise<Uint8Array> {
  const doc = new Document({
    sections: [{ children: paragraphs.map((text) => new Paragraph({ children: [new TextRun(text)] })) }],
  });
  return new Uint8Array(await Packer.toArrayBuffer(doc));
}

/** Incompressible bytes (xorshift), so a padded file really is that large. */
export function noise(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = 2463534242;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}
