/** The scan report: one zod schema for the library's and the CLI's JSON, and its JSON Schema. */
import { z } from 'zod';
import { scanOptionsSchema, type ResolvedScanOptions } from './options.js';
import { JsonWriter } from './json.js';
import type { Groups } from './group.js';
import { pieceStrings } from './output.js';

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

/**
 * Cross-document passages in typed arrays: the groups, each occurrence's character offsets, and
 * per group its words (the longest occurrence), documents and lowest similarity; `order` lists
 * the groups as the report ranks them.
 */
export interface PassageColumns { groups: Groups; start: Int32Array; end: Int32Array; words: Int32Array; documents: Int32Array; similarity: Float64Array; order: Int32Array }

/**
 * A report before its objects: passages and documents in typed columns (most of a report, and
 * what its JSON is written from without objects: `reportPartsJsonPieces`), the rest as the
 * report holds it. `reportOf` makes the report.
 */
export interface ReportParts {
  options: ResolvedScanOptions;
  ids: readonly string[];
  chars: readonly number[];
  /** Words of every document (of `ids`). */
  words: Int32Array;
  /** The first document the report lists (`ReportInput.from`: those before are an index's earlier documents). */
  from: number;
  repeats: Repeat[];
  passages: PassageColumns;
  nearDuplicates: NearDuplicate[];
  clusters: Cluster[];
  totals: Report['totals'];
  alignments?: Alignment[];
}

/** Bytes of JSON gathered before a piece of `reportJsonPieces` is handed out. */
const JSON_PIECE = 1 << 20;

/**
 * The report as `JSON.stringify(report, null, 2)` writes it, with a newline, in pieces of about a
 * megabyte, so that a report too large for one string (V8 caps strings near 512 MB) is written
 * whole and memory holds one piece at a time.
 */
export function reportJson(report: Report): Generator<string> {
  return pieceStrings(reportJsonPieces(report));
}

/**
 * `reportJson` as UTF-8 bytes (`JsonWriter`), cut between array elements: each piece is a view
 * of one reused buffer, valid until the next is asked for. Passages and documents, most of a
 * report, are written field by field in the order `assembleReport` makes them.
 */
export function* reportJsonPieces(report: Report): Generator<Uint8Array> {
  const fields: Field[] = [];
  for (const [key, value] of Object.entries(report)) {
    if (value === undefined) continue;
    const item = key === 'passages' ? (w: JsonWriter, j: number) => passageObjectJson(w, (value as Passage[])[j]!)
      : key === 'documents' ? (w: JsonWriter, j: number) => { const d = (value as DocumentInfo[])[j]!; documentJson(w, d.id, d.chars, d.words); }
      : undefined;
    fields.push(field(key, value, item));
  }
  yield* jsonPieces(fields);
}

/**
 * `reportJsonPieces(reportOf(parts))` without the report's objects: its passages and documents
 * written from their columns, the same bytes.
 */
export function* reportPartsJsonPieces(p: ReportParts): Generator<Uint8Array> {
  const { ids, chars, words, from, passages: P } = p, G = P.groups;
  const fields: Field[] = [
    field('version', 2),
    field('options', p.options),
    { key: 'documents', count: ids.length - from, item: (w, j) => documentJson(w, ids[from + j]!, chars[from + j]!, words[from + j]!) },
    field('repeats', p.repeats),
    { key: 'passages', count: G.count, item: (w, j) => passageColumnsJson(w, P, ids, j) },
    field('nearDuplicates', p.nearDuplicates),
    field('clusters', p.clusters),
    field('totals', p.totals),
  ];
  if (p.alignments) fields.push(field('alignments', p.alignments));
  yield* jsonPieces(fields);
}

/** A top-level field: a value, or an array of `count` elements that `item` writes (at depth 2). */
type Field = { key: string; value: unknown } | { key: string; count: number; item: (w: JsonWriter, j: number) => void };

/** The field of a value: a non-empty array's elements written one by one, by `item` or as plain values. */
function field(key: string, value: unknown, item?: (w: JsonWriter, j: number) => void): Field {
  if (!Array.isArray(value) || value.length === 0) return { key, value };
  return { key, count: value.length, item: item ?? ((w, j) => w.value(value[j], 2)) };
}

/** The report object of `fields` in pieces, cut between the elements of its arrays. */
function* jsonPieces(fields: readonly Field[]): Generator<Uint8Array> {
  const w = new JsonWriter(2 * JSON_PIECE);
  w.byte(0x7b);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (i) w.byte(0x2c);
    w.key(f.key, 1);
    if ('value' in f) { w.value(f.value, 1); continue; }
    if (f.count === 0) { w.ascii('[]'); continue; }
    // the top-level arrays' elements one by one, so that a piece can end between two
    w.byte(0x5b);
    for (let j = 0; j < f.count; j++) {
      if (j) w.byte(0x2c);
      w.newline(2);
      f.item(w, j);
      if (w.size >= JSON_PIECE) yield w.take();
    }
    w.newline(1);
    w.byte(0x5d);
  }
  w.newline(0);
  w.ascii('}\n');
  yield w.take();
}

/**
 * A passage at depth 2, as `JSON.stringify` writes it: its fields, then its `count` occurrences,
 * each written by `occurrence(k)` (with `occurrenceJson`).
 */
function passageJson(w: JsonWriter, id: number, words: number, similarity: number, documents: number, representative: number, count: number, occurrence: (k: number) => void): void {
  w.byte(0x7b);
  w.key('id', 3); w.number(id); w.byte(0x2c);
  w.key('words', 3); w.number(words); w.byte(0x2c);
  w.key('similarity', 3); w.number(similarity); w.byte(0x2c);
  w.key('documents', 3); w.number(documents); w.byte(0x2c);
  w.key('representative', 3); w.number(representative); w.byte(0x2c);
  w.key('occurrences', 3);
  if (count === 0) w.ascii('[]');
  else {
    w.byte(0x5b);
    for (let k = 0; k < count; k++) {
      if (k) w.byte(0x2c);
      w.newline(4);
      occurrence(k);
    }
    w.newline(3);
    w.byte(0x5d);
  }
  w.newline(2);
  w.byte(0x7d);
}

/** An occurrence at depth 4. */
function occurrenceJson(w: JsonWriter, doc: string, start: number, end: number, similarity: number): void {
  w.byte(0x7b);
  w.key('doc', 5); w.string(doc); w.byte(0x2c);
  w.key('start', 5); w.number(start); w.byte(0x2c);
  w.key('end', 5); w.number(end); w.byte(0x2c);
  w.key('similarity', 5); w.number(similarity);
  w.newline(4);
  w.byte(0x7d);
}

/** A passage object. */
function passageObjectJson(w: JsonWriter, p: Passage): void {
  const O = p.occurrences;
  passageJson(w, p.id, p.words, p.similarity, p.documents, p.representative, O.length, (k) => { const o = O[k]!; occurrenceJson(w, o.doc, o.start, o.end, o.similarity); });
}

/** Passage `rank` of the report from its columns. */
function passageColumnsJson(w: JsonWriter, P: PassageColumns, ids: readonly string[], rank: number): void {
  const g = P.groups, k = P.order[rank]!, from = g.at[k]!;
  passageJson(w, rank + 1, P.words[k]!, round(P.similarity[k]!), P.documents[k]!, g.rep[k]! - from, g.at[k + 1]! - from, (i) => {
    const o = from + i;
    occurrenceJson(w, ids[g.doc[o]!]!, P.start[o]!, P.end[o]!, round(g.sim[o]!));
  });
}

/** A document's entry at depth 2, as `JSON.stringify` writes it. */
function documentJson(w: JsonWriter, id: string, chars: number, words: number): void {
  w.byte(0x7b);
  w.key('id', 3); w.string(id); w.byte(0x2c);
  w.key('chars', 3); w.number(chars); w.byte(0x2c);
  w.key('words', 3); w.number(words);
  w.newline(2);
  w.byte(0x7d);
}

/** A similarity as the report rounds it (to four decimals). */
export const round = (x: number): number => Math.round(x * 10000) / 10000;

/** JSON Schema (draft 2020-12) of the report. */
export function reportJsonSchema(): Record<string, unknown> {
  return { $id: 'https://reprint.dev/schema/report-2.json', title: 'reprint scan report', ...z.toJSONSchema(reportSchema, { io: 'output' }) } as Record<string, unknown>;
}
