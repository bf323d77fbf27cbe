/** The scan report: one zod schema for the library's and the CLI's JSON, and its JSON Schema. */
import { z } from 'zod';
import { scanOptionsSchema } from './options.js';
import { pieceStrings, type Piece } from './output.js';

const spanFields = {
  start: z.number().int().nonnegative().describe('Start offset in the document text (JavaScript string index)'),
  end: z.number().int().nonnegative().describe('End offset, exclusive'),
};
const toRepresentative = z.number().min(0).max(1).describe("Word-level similarity to the group's representative (1 for the representative)");

export const occurrenceSchema = z.object({
  doc: z.string().describe('Document id'),
  ...spanFields,
  similarity: toRepresentative,
});

export const passageSchema = z.object({
  id: z.number().int().nonnegative().describe('Passage number in this report'),
  words: z.number().int().positive().describe('Words in the longest occurrence'),
  similarity: z.number().min(0).max(1).describe("Lowest similarity of an occurrence to the representative"),
  documents: z.number().int().positive().describe('Number of distinct documents it occurs in (at least 2)'),
  representative: z.number().int().nonnegative().describe('Index in occurrences of the representative, the span every other occurrence was compared with'),
  occurrences: z.array(occurrenceSchema).min(2).describe('Whole aligned spans, in input order of documents, then by position'),
});

export const copySchema = z.object({ ...spanFields, similarity: toRepresentative });

export const repeatSchema = z.object({
  id: z.number().int().nonnegative().describe('Repeat number in this report'),
  doc: z.string().describe('The document that repeats itself'),
  words: z.number().int().positive().describe('Words in the longest copy'),
  similarity: z.number().min(0).max(1).describe('Lowest similarity of a copy to the representative'),
  representative: z.number().int().nonnegative().describe('Index in copies of the representative'),
  copies: z.array(copySchema).min(2).describe('Whole copies inside the document, by position'),
});

const spanSchema = z.object({ doc: z.string(), ...spanFields });
export const alignmentSchema = z.object({
  earlier: spanSchema.describe('The span in the earlier document (the earlier copy, inside one document)'),
  later: spanSchema.describe('The span in the later document (the later copy)'),
  similarity: z.number().min(0).max(1).describe('Matched words over the longer span\'s words'),
});

export const nearDuplicateSchema = z.object({
  a: z.string().describe('The earlier document'),
  b: z.string().describe('The later document'),
  similarity: z.number().min(0).max(1).describe('Jaccard similarity of word shingle sets (exact, or estimated when options.exact is false)'),
});

export const clusterSchema = z.object({
  docs: z.array(z.string()).min(2).describe('Near-duplicate documents, connected through pairs at or above the threshold, in input order'),
});

export const documentSchema = z.object({
  id: z.string(),
  chars: z.number().int().nonnegative().describe('Length of the text (JavaScript string length)'),
  words: z.number().int().nonnegative().describe('Word tokens'),
});

export const reportSchema = z.object({
  version: z.literal(2),
  options: scanOptionsSchema.required(),
  documents: z.array(documentSchema),
  repeats: z.array(repeatSchema).describe("Passages a document repeats of itself, built from that document's own text alone; in input order of documents, then by position"),
  passages: z.array(passageSchema).describe('Passages shared across documents, most widespread first'),
  alignments: z.array(alignmentSchema).optional().describe('Every aligned pair of spans, when options.alignments is set'),
  nearDuplicates: z.array(nearDuplicateSchema),
  clusters: z.array(clusterSchema),
  totals: z.object({
    documents: z.number().int(),
    chars: z.number().int(),
    repeats: z.number().int(),
    copies: z.number().int().describe('Copies in all repeats'),
    passages: z.number().int(),
    occurrences: z.number().int().describe('Occurrences in all passages'),
    repeatedChars: z.number().int().describe('Characters inside a copy or occurrence that is not its group\'s representative, each counted once'),
    nearDuplicates: z.number().int(),
    clusters: z.number().int(),
  }),
});

export type Occurrence = z.infer<typeof occurrenceSchema>;
export type Copy = z.infer<typeof copySchema>;
export type Repeat = z.infer<typeof repeatSchema>;
export type Alignment = z.infer<typeof alignmentSchema>;
export type Passage = z.infer<typeof passageSchema>;
export type NearDuplicate = z.infer<typeof nearDuplicateSchema>;
export type Cluster = z.infer<typeof clusterSchema>;
export type DocumentInfo = z.infer<typeof documentSchema>;
export type Report = z.infer<typeof reportSchema>;

/** Array elements serialized per piece of `reportJson`. */
const JSON_PIECE = 1024;

/**
 * The report as `JSON.stringify(report, null, 2)` writes it, with a newline, in pieces: one per
 * JSON_PIECE array elements, so that a report too large for one string (V8 caps strings near
 * 512 MB) is written whole and memory holds one piece at a time.
 */
export function reportJson(report: Report): Generator<string> {
  return pieceStrings(reportJsonPieces(report));
}

/** `reportJson` as `Piece`s: the array elements' pieces keep the wrapper that is cut off. */
export function* reportJsonPieces(report: Report): Generator<Piece> {
  const entries = Object.entries(report).filter(([, v]) => v !== undefined);
  yield '{\n';
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i]!, comma = i + 1 < entries.length ? ',' : '';
    if (Array.isArray(value) && value.length > 0) {
      yield `  ${JSON.stringify(key)}: [\n`;
      for (let j = 0; j < value.length; j += JSON_PIECE) {
        // nested one array deeper, the elements come out indented by four spaces, as in the
        // report, in one call: only "[\n  [\n" and "\n  ]\n]" are cut off
        yield [JSON.stringify([value.slice(j, j + JSON_PIECE)], null, 2), 6, 6];
        yield j + JSON_PIECE < value.length ? ',\n' : '\n';
      }
      yield `  ]${comma}\n`;
    } else yield `  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')}${comma}\n`;
  }
  yield '}\n';
}

/** JSON Schema (draft 2020-12) of the report. */
export function reportJsonSchema(): Record<string, unknown> {
  return { $id: 'https://reprint.dev/schema/report-2.json', title: 'reprint scan report', ...z.toJSONSchema(reportSchema, { io: 'output' }) } as Record<string, unknown>;
}
