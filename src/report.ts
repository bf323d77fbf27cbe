/** The scan report: one zod schema for the library's and the CLI's JSON, and its JSON Schema. */
import { z } from 'zod';
import { scanOptionsSchema } from './options.js';

export const occurrenceSchema = z.object({
  doc: z.string().describe('Document id'),
  start: z.number().int().nonnegative().describe('Start offset in the document text (JavaScript string index)'),
  end: z.number().int().nonnegative().describe('End offset, exclusive'),
});

export const passageSchema = z.object({
  id: z.number().int().nonnegative().describe('Passage number in this report'),
  words: z.number().int().positive().describe('Words in the longest occurrence'),
  similarity: z.number().min(0).max(1).describe('Lowest word-level similarity of an aligned pair of occurrences'),
  documents: z.number().int().positive().describe('Number of distinct documents it occurs in'),
  occurrences: z.array(occurrenceSchema).min(2),
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
  version: z.literal(1),
  options: scanOptionsSchema.required(),
  documents: z.array(documentSchema),
  passages: z.array(passageSchema).describe('Repeated passages, most widespread first'),
  nearDuplicates: z.array(nearDuplicateSchema),
  clusters: z.array(clusterSchema),
  totals: z.object({
    documents: z.number().int(),
    chars: z.number().int(),
    passages: z.number().int(),
    occurrences: z.number().int(),
    repeatedChars: z.number().int().describe('Characters inside a repeated occurrence beyond the first of each passage'),
    nearDuplicates: z.number().int(),
    clusters: z.number().int(),
  }),
});

export type Occurrence = z.infer<typeof occurrenceSchema>;
export type Passage = z.infer<typeof passageSchema>;
export type NearDuplicate = z.infer<typeof nearDuplicateSchema>;
export type Cluster = z.infer<typeof clusterSchema>;
export type DocumentInfo = z.infer<typeof documentSchema>;
export type Report = z.infer<typeof reportSchema>;

/** JSON Schema (draft 2020-12) of the report. */
export function reportJsonSchema(): Record<string, unknown> {
  return { $id: 'https://reprint.dev/schema/report-1.json', title: 'reprint scan report', ...z.toJSONSchema(reportSchema, { io: 'output' }) } as Record<string, unknown>;
}
