/** PDF text with unpdf (pdf.js), page by page, stopping at the character cap or the deadline. */
import { getDocumentProxy } from "unpdf";
import { corrupt, encrypted } from "./errors.ts";
import type { TextSink } from "./text.ts";

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

/** Extracts the text of each page in order; returns the number of pages in the document. */
export async function extractPdf(bytes: Uint8Array, sink: TextSink): Promise<{ pages: number }> {
  let pdf: PdfDocument;
  try {
    // pdf.js may take ownership of the buffer it is given: hand it a copy, the caller keeps the original.
    pdf = await getDocumentProxy(bytes.slice(), {
      disableFontFace: true,
      useSystemFonts: false,
      stopAtErrors: false,
      verbosity: 0,
    });
  } catch (error) {
    throw pdfError(error);
  }
  try {
    for (let number = 1; number <= pdf.numPages; number++) {
      if (sink.stopped) break;
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      let text = "";
      for (const item of content.items) {
        if ("str" in item) text += item.hasEOL ? `${item.str}\n` : item.str;
      }
      page.cleanup();
      sink.add(text);
    }
    return { pages: pdf.numPages };
  } catch (error) {
    throw pdfError(error);
  } finally {
    await pdf.loadingTask.destroy().catch(() => {});
  }
}

function pdfError(error: unknown) {
  const name = (error as { name?: string } | null)?.name;
  if (name === "PasswordException") return encrypted("the PDF is password-protected");
  return corrupt("the PDF is damaged or incomplete", error);
}
