import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportSchema } from '../src/report.js';
import { reprint } from './helpers/cli.js';

const FIX = new URL('./fixtures/', import.meta.url).pathname;
const menafn = join(FIX, 'menafn-doubled.txt');
const tmp = mkdtempSync(join(tmpdir(), 'reprint-cli-'));
const file = (name: string, content: string | Buffer) => { const p = join(tmp, name); writeFileSync(p, content); return p; };

describe('reprint scan', () => {
  it('prints a readable text report by default, without colour off a TTY', () => {
    const r = reprint(['scan', menafn]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('1 repeat inside documents (2 copies), 0 passages shared across documents');
    expect(r.stdout).toContain(`${menafn}:6  [356, 2419)  representative`);
    expect(r.stdout).toContain(`${menafn}:14  [2420, 4483)  1.00`);
    expect(r.stdout).toContain('"Field Marshal Asim Munir');
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('prints exactly the library report as JSON, and writes --output', () => {
    const r = reprint(['scan', menafn, '--format', 'json', '--min-words', '25']);
    expect(r.status).toBe(0);
    const report = reportSchema.parse(JSON.parse(r.stdout));
    expect(report.options.minWords).toBe(25);
    // without --jobs, a small input runs on one thread
    expect(report.options.jobs).toBe(1);
    expect(report.repeats[0]!.copies).toEqual([{ start: 356, end: 2419, similarity: 1 }, { start: 2420, end: 4483, similarity: 1 }]);
    expect(report.repeats[0]!.doc).toBe(menafn);
    const out = join(tmp, 'out.json');
    const w = reprint(['scan', menafn, '--format', 'json', '-o', out]);
    expect(w.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(report.options.minWords === 25 ? JSON.parse(reprint(['scan', menafn, '--format', 'json']).stdout) : null);
  });

  it('reads directories recursively (text files only), JSONL with renamed fields, and standard input', () => {
    const dir = join(tmp, 'tree');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'sub', 'page.txt'), readFileSync(menafn));
    writeFileSync(join(dir, 'image.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    const r = JSON.parse(reprint(['scan', dir, '--format', 'json']).stdout);
    expect(r.documents.map((d: { id: string }) => d.id)).toEqual([join(dir, 'sub', 'page.txt')]);
    const jsonl = file('renamed.jsonl', ['{"key":1,"body":"one two three"}', '{"key":"b","body":"four five six"}'].join('\n'));
    const j = JSON.parse(reprint(['scan', jsonl, '--text-field', 'body', '--id-field', 'key', '--format', 'json']).stdout);
    expect(j.documents.map((d: { id: string }) => d.id)).toEqual(['1', 'b']);
    const s = JSON.parse(reprint(['scan', '-', '--format', 'json'], readFileSync(menafn)).stdout);
    expect(s.repeats[0]).toMatchObject({ doc: '-', copies: [{ start: 356, end: 2419 }, { start: 2420, end: 4483 }] });
    const sj = JSON.parse(reprint(['scan', '-', '--format', 'json'], readFileSync(join(FIX, 'identical-and-boilerplate.jsonl'))).stdout);
    expect(sj.nearDuplicates).toEqual([{ a: 'a', b: 'b', similarity: 1 }]);
  });

  it('--check exits 1 when it finds duplicate content and 0 when it does not', () => {
    expect(reprint(['scan', menafn, '--check', '--quiet']).status).toBe(1);
    expect(reprint(['scan', join(FIX, 'short.txt'), '--check']).status).toBe(0);
  });

  it('--only runs half of the job', () => {
    const input = join(FIX, 'identical-and-boilerplate.jsonl');
    const pairs = JSON.parse(reprint(['scan', input, '--only', 'near-duplicates', '--format', 'json']).stdout);
    expect(pairs.passages).toEqual([]);
    expect(pairs.nearDuplicates).toHaveLength(1);
    const passages = JSON.parse(reprint(['scan', input, '--only', 'passages', '--format', 'json']).stdout);
    expect(passages.nearDuplicates).toEqual([]);
    expect(passages.passages).toHaveLength(2);
    expect(reprint(['scan', input, '--only', 'both']).stderr).toMatch(/--only must be passages or near-duplicates, got "both"/);
  });

  it('--max-pairs bounds the pairs each document adds, and the cluster stays whole', () => {
    const text = readFileSync(menafn, 'utf8');
    const copies = file('copies.jsonl', Array.from({ length: 6 }, (_, i) => JSON.stringify({ id: `c${i}`, text })).join('\n'));
    const all = JSON.parse(reprint(['scan', copies, '--only', 'near-duplicates', '--format', 'json']).stdout);
    expect(all.nearDuplicates).toHaveLength(15);
    const two = JSON.parse(reprint(['scan', copies, '--only', 'near-duplicates', '--format', 'json', '--max-pairs', '2']).stdout);
    expect(two.options.maxPairCandidates).toBe(2);
    // c1 and c2 pair with 1 and 2 earlier copies, c3-c5 with their two newest ones
    expect(two.nearDuplicates).toHaveLength(1 + 2 + 2 + 2 + 2);
    expect(two.clusters).toEqual([{ docs: ['c0', 'c1', 'c2', 'c3', 'c4', 'c5'] }]);
  });

  it('gives the same report with --jobs 2', () => {
    const a = JSON.parse(reprint(['scan', join(FIX, 'news-slice.jsonl'), '--format', 'json']).stdout);
    const b = JSON.parse(reprint(['scan', join(FIX, 'news-slice.jsonl'), '--format', 'json', '--jobs', '2']).stdout);
    expect({ ...b, options: { ...b.options, jobs: 1 } }).toEqual(a);
  });
});

describe('reprint schema and --help', () => {
  it('prints the JSON Schema', () => {
    const r = reprint(['schema']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).properties.passages).toBeDefined();
  });
  it('documents every command and option with examples', () => {
    const r = reprint(['--help']);
    for (const word of ['scan', 'clean', 'schema', 'index add', 'index stats', 'index compact', 'sql', '--index', '--dialect', '--format', '--only', '--threshold', '--min-words', '--shingle', '--perms', '--seed', '--jobs', '--quiet', '--check', '--keep', '--strip-boilerplate', '--text-field', '--id-field', 'Examples:']) {
      expect(r.stdout).toContain(word);
    }
  });
});

describe('conventions', () => {
  it('names every file a folder scan passes over, counts them, and goes on (a warning, exit 0)', () => {
    const dir = strictDir();
    writeFileSync(join(dir, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    writeFileSync(join(dir, '.hidden.txt'), 'secret');
    symlinkSync(join(dir, 'page.txt'), join(dir, 'link.txt'));
    const r = reprint(['scan', dir, '--format', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).documents.map((d: { id: string }) => d.id)).toEqual([join(dir, 'page.txt')]);
    const warnings = r.stderr.trim().split('\n').filter((l) => l.startsWith('reprint: warning:'));
    expect(warnings).toEqual([
      `reprint: warning: skipped ${join(dir, '.hidden.txt')}: hidden`,
      `reprint: warning: skipped ${join(dir, 'bin.dat')}: binary (a NUL byte)`,
      `reprint: warning: skipped ${join(dir, 'latin1.txt')}: not UTF-8 (invalid byte at 3)`,
      `reprint: warning: skipped ${join(dir, 'link.txt')}: a symbolic link (not followed)`,
      'reprint: warning: skipped 4 files (named above; --strict makes this an error)',
    ]);
    expect(reprint(['scan', dir, '--quiet']).stderr).toBe('');
  });

  it('ends with one summary line on standard error, naming the file written; --quiet drops it', () => {
    const out = join(tmp, 'summary.json');
    const r = reprint(['scan', menafn, '--format', 'json', '-o', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^reprint: 1 document, 0\.0 MB in \d+\.\d s: 1 repeat, 0 shared passages, 0 near-duplicate pairs in 0 clusters; wrote .*summary\.json\n$/);
    expect(reprint(['scan', menafn, '--quiet']).stderr).toBe('');
  });

  it('--fold-digits finds copies whose figures changed; --alignments lists the aligned pairs', () => {
    const body = (n: number) => `The ministry said ${n} people were hurt and ${n + 3} were taken to hospital after the storm passed over the coast late on Sunday night, while ${2 * n} homes lost power for hours.`;
    const input = file('figures.jsonl', [JSON.stringify({ id: 'a', text: body(12) }), JSON.stringify({ id: 'b', text: body(47) })].join('\n') + '\n');
    const kept = JSON.parse(reprint(['scan', input, '--format', 'json', '--quiet', '--alignments']).stdout);
    const folded = JSON.parse(reprint(['scan', input, '--format', 'json', '--quiet', '--fold-digits']).stdout);
    expect(kept.options.foldDigits).toBe(false);
    expect(folded.options.foldDigits).toBe(true);
    expect(folded.passages).toHaveLength(1);
    expect(folded.passages[0].occurrences.map((o: { doc: string }) => o.doc)).toEqual(['a', 'b']);
    expect(kept.passages.every((p: { words: number }) => p.words < folded.passages[0].words)).toBe(true);
    expect(kept.alignments.length).toBe(kept.passages.length);
    expect(folded.alignments).toBeUndefined();
  });

  it('--check --quiet prints nothing and answers with the exit status', () => {
    const r = reprint(['scan', menafn, '--check', '--quiet']);
    expect([r.status, r.stdout, r.stderr]).toEqual([1, '', '']);
  });

  it('reads standard input as it comes, JSONL or one text, for every output', () => {
    const text = readFileSync(menafn, 'utf8');
    const r = reprint(['scan', '-', '--format', 'text', '--quiet'], text);
    expect(r.stdout).toContain('-:6  [356, 2419)  representative');
    const c = reprint(['clean', '-', '--quiet'], JSON.stringify({ id: 'm', text }) + '\n');
    expect(JSON.parse(c.stdout).text).toBe(text.slice(0, 2420) + text.slice(4484));
  });
});

describe('reprint clean', () => {
  it('removes later copies and stripped boilerplate, drops near-duplicates, and loses nothing unique', () => {
    const input = join(FIX, 'news-slice.jsonl');
    const out = join(tmp, 'clean.jsonl');
    const r = reprint(['clean', input, '--strip-boilerplate', '3', '-o', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/reprint clean: kept \d+ of 240 documents, dropped \d+ near-duplicates, removed \d+ spans/);
    const before = new Map(readFileSync(input, 'utf8').split('\n').filter(Boolean).map((l) => { const d = JSON.parse(l); return [d.id, d.text as string]; }));
    const after = new Map(readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => { const d = JSON.parse(l); return [d.id, d.text as string]; }));
    expect(after.size).toBeLessThan(before.size);
    // the library's view of the same run, to check every removal against its kept copy
    const report = JSON.parse(reprint(['scan', input, '--format', 'json']).stdout);
    const dropped = new Set([...before.keys()].filter((id) => !after.has(id)));
    for (const c of report.clusters) expect(c.docs.filter((d: string) => !dropped.has(d))).toHaveLength(1);
    let checked = 0;
    const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
    // without boilerplate stripping, the text of each repeat's first copy is still in the output
    // (another repeat's removal may take its place, never its words), and exact copies read alike
    const plain = join(tmp, 'clean-plain.jsonl');
    expect(reprint(['clean', input, '-o', plain, '--quiet']).status).toBe(0);
    const kept = new Map(readFileSync(plain, 'utf8').split('\n').filter(Boolean).map((l) => { const d = JSON.parse(l); return [d.id, d.text as string]; }));
    for (const r of report.repeats) {
      if (!kept.has(r.doc)) continue;
      const copies = [...r.copies].sort((x: { start: number }, y: { start: number }) => x.start - y.start);
      const firstText = before.get(r.doc)!.slice(copies[0].start, copies[0].end);
      expect(norm(kept.get(r.doc)!)).toContain(norm(firstText));
      checked++;
      if (r.similarity === 1 && copies[0].end <= copies[1].start) for (const c of copies) expect(norm(before.get(r.doc)!.slice(c.start, c.end))).toBe(norm(firstText));
    }
    // a passage in three or more documents keeps its words where it occurs first (in its place,
    // or in the first copy of a repeat that held it); groups may overlap by a few words at their
    // ends (a story's last words run into a footer heading that other pages share), and another
    // group's removal may take those
    const inner = (t: string) => norm(t).split(' ').slice(3, -3).join(' ');
    for (const p of report.passages) {
      const kept = p.occurrences.filter((o: { doc: string }) => after.has(o.doc));
      if (p.documents < 3 || new Set(kept.map((o: { doc: string }) => o.doc)).size < 2) continue;
      const first = kept[0];
      expect(norm(after.get(first.doc)!)).toContain(inner(before.get(first.doc)!.slice(first.start, first.end)));
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
    const total = (m: Map<string, string>) => [...m.values()].reduce((s, t) => s + t.length, 0);
    expect(total(after)).toBeLessThan(total(before) * 0.9);
  });

  it('keeps the first copy of a doubled body, and writes a text file back as text', () => {
    const r = reprint(['clean', menafn, '--quiet']);
    const text = readFileSync(menafn, 'utf8');
    expect(r.stdout).toBe(text.slice(0, 2420) + text.slice(4484));
    expect(r.stdout).toContain(text.slice(356, 2419));
  });

  it('lists every removal with --log, one JSON object a line', () => {
    const input = join(FIX, 'news-slice.jsonl'), log = join(tmp, 'removed.jsonl');
    const r = reprint(['clean', input, '--strip-boilerplate', '3', '-o', join(tmp, 'c.jsonl'), '--log', log]);
    expect(r.status).toBe(0);
    const m = /dropped (\d+) near-duplicates, removed (\d+) spans/.exec(r.stderr)!;
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBe(Number(m[1]) + Number(m[2]));
    expect(lines.filter((l) => l.dropped).length).toBe(Number(m[1]));
    expect(lines.find((l) => l.reason)).toMatchObject({ doc: expect.any(String), start: expect.any(Number), end: expect.any(Number), kept: { doc: expect.any(String) } });
    expect(r.stderr).toContain(`every removal in ${log}`);
  });
});

/** A folder with one text file and one binary file (for skips). */
function strictDir(): string {
  const dir = mkdtempSync(join(tmp, 'strict-'));
  writeFileSync(join(dir, 'page.txt'), readFileSync(menafn));
  writeFileSync(join(dir, 'bin.dat'), Buffer.from([0x61, 0, 0x62]));
  return dir;
}

describe('bad input: exit 2, one line on standard error, nothing on standard output', () => {
  const jsonl = (name: string, lines: string[]) => file(name, lines.join('\n') + '\n');
  const cases: [string, string[], RegExp][] = [
    ['a missing path', ['scan', join(tmp, 'missing.txt')], /missing\.txt: no such file or directory$/],
    ['an unreadable path', ['scan', join(menafn, 'inside')], /inside: (cannot read \(ENOTDIR\)|no such file or directory)$/],
    ['a binary file', ['scan', file('bin.txt', Buffer.from([0x61, 0x62, 0x00, 0x63]))], /bin\.txt: binary file \(NUL byte at 2\), expected UTF-8 text$/],
    ['invalid UTF-8', ['scan', file('latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x6b]))], /latin1\.txt: invalid UTF-8 at byte 3$/],
    ['a broken JSONL line', ['scan', jsonl('broken.jsonl', ['{"id":"a","text":"x"}', '{"id":"b","text":'])], /broken\.jsonl line 2: invalid JSON/],
    ['a broken JSONL line, with jobs (raw lines to the workers)', ['scan', jsonl('broken2.jsonl', ['{"id":"a","text":"x"}', '', '{"id":"b","text":']), '--jobs', '2'], /broken2\.jsonl line 3: invalid JSON/],
    ['binary data in a JSONL line', ['scan', file('nul.jsonl', Buffer.from('{"id":"a","text":"x"}\n{"id":"b",\u0000"text":"y"}\n'))], /nul\.jsonl line 2: binary data \(NUL byte\), expected JSON text$/],
    ['invalid UTF-8 in a JSONL file', ['scan', file('latin1.jsonl', Buffer.concat([Buffer.from('{"id":"a","text":"x"}\n{"id":"b","text":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]))], /latin1\.jsonl: invalid UTF-8 at byte 43$/],
    ['a missing text field', ['scan', jsonl('notext.jsonl', ['{"id":"a","text":"x"}', '{"id":"b","body":"y"}'])], /notext\.jsonl line 2: missing string field "text"$/],
    ['a non-string text field', ['scan', jsonl('numtext.jsonl', ['{"id":"a","text":7}'])], /numtext\.jsonl line 1: field "text" must be a string, got number$/],
    ['duplicate ids', ['scan', jsonl('dup.jsonl', ['{"id":"a","text":"x"}', '{"id":"b","text":"z"}', '{"id":"a","text":"y"}'])], /dup\.jsonl line 3: document id "a" was used already \(.*dup\.jsonl line 1\)$/],
    ['a duplicate id across files, with jobs', ['scan', jsonl('dup1.jsonl', ['{"id":"a","text":"x"}']), jsonl('dup2.jsonl', ['{"id":"q","text":"x"}', '{"id":"a","text":"y"}']), '--jobs', '2'], /dup2\.jsonl line 2: document id "a" was used already \(.*dup1\.jsonl line 1\)$/],
    ['a misspelt flag', ['scan', menafn, '--treshold', '0.5'], /unknown option --treshold; did you mean --threshold\? \(see reprint --help\)$/],
    ['a negative value', ['scan', menafn, '--threshold', '-0.5'], /--threshold must be in \[0, 1\], got -0\.5$/],
    ['a flag without its value', ['scan', menafn, '--seed'], /--seed needs a value/],
    ['an output in a missing folder', ['scan', menafn, '-o', join(tmp, 'no', 'such', 'out.json')], /--output .*out\.json: no such folder .*such \(see reprint --help\)$/],
    ['an output that is a folder', ['scan', menafn, '-o', tmp], /--output .*: is a folder, expected a file \(see reprint --help\)$/],
    ['an empty folder', ['scan', mkdtempSync(join(tmp, 'empty-'))], /no documents in .*empty-\w+$/],
    ['an empty JSONL file', ['scan', jsonl('none.jsonl', [''])], /no documents in .*none\.jsonl$/],
    ['a file skipped with --strict', ['scan', strictDir(), '--strict'], /bin\.dat: binary \(a NUL byte\) \(not read; --strict\)$/],
    ['an option out of range', ['scan', menafn, '--threshold', '1.5'], /--threshold must be in \[0, 1\], got 1\.5$/],
    ['a non-numeric option', ['scan', menafn, '--perms', 'many'], /--perms must be a number, got "many"/],
    ['a bound on pairs out of range', ['scan', menafn, '--max-pairs', '0'], /--max-pairs must be an integer in \[1, 1048576\], got 0$/],
    ['a bad format', ['scan', menafn, '--format', 'pdf'], /--format must be text, json or html, got "pdf"/],
    ['an unknown option', ['scan', menafn, '--frobnicate'], /unknown option --frobnicate \(see reprint --help\)$/],
    ['an option of another command', ['schema', '--keep', 'first'], /--keep does not apply to schema/],
    ['an unknown command', ['dedupe', menafn], /unknown command "dedupe"; commands are scan, clean, schema/],
    ['no paths', ['scan'], /scan needs at least one path/],
  ];
  for (const [what, args, message] of cases) {
    it(what, () => {
      const r = reprint(args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(/^reprint: /);
      expect(r.stderr.trim()).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }
});

describe('reprint index and sql', () => {
  const slice = readFileSync(join(FIX, 'news-slice.jsonl'), 'utf8').trim().split('\n');
  const day1 = file('day1.jsonl', slice.slice(0, 120).join('\n') + '\n'), day2 = file('day2.jsonl', slice.slice(120, 200).join('\n') + '\n');
  const day3 = file('day3.jsonl', slice.slice(200).join('\n') + '\n');
  const idx = join(tmp, 'crawl-index');

  it('adds the same batches with --jobs 2 (JSONL lines parsed for the workers) as with --jobs 1', () => {
    const one = join(tmp, 'jobs-one'), two = join(tmp, 'jobs-two');
    for (const day of [day1, day2]) {
      const a = reprint(['index', 'add', one, day, '--format', 'json', '--jobs', '1']), b = reprint(['index', 'add', two, day, '--format', 'json', '--jobs', '2']);
      expect([a.status, b.status]).toEqual([0, 0]);
      const ra = JSON.parse(a.stdout), rb = JSON.parse(b.stdout);
      expect({ ...rb, options: { ...rb.options, jobs: 1 } }).toEqual(ra);
      expect(ra.totals.documents).toBeGreaterThan(50);
    }
    const docsOf = (dir: string) => readFileSync(join(dir, JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).segments.filter((x: { table: string }) => x.table === 'docs').at(-1).file));
    expect(docsOf(two).equals(docsOf(one))).toBe(true);
  });

  it('adds batches, reporting each as scan does against everything before it, and reports stats', () => {
    const a = reprint(['index', 'add', idx, day1, '--format', 'json']);
    expect(a.status).toBe(0);
    expect(reportSchema.parse(JSON.parse(a.stdout)).totals.documents).toBe(120);
    const b = reprint(['index', 'add', idx, day2, '--format', 'json', '--alignments']);
    expect(b.status).toBe(0);
    const report = reportSchema.parse(JSON.parse(b.stdout));
    expect(report.totals.documents).toBe(80);
    const earlier = new Set(slice.slice(0, 120).map((l) => JSON.parse(l).id as string));
    // passages and pairs reach documents of the first batch, with offsets into them
    expect(report.alignments!.some((x) => earlier.has(x.earlier.doc) && !earlier.has(x.later.doc) && x.earlier.end > x.earlier.start)).toBe(true);
    expect(reprint(['index', 'stats', idx]).stdout).toMatch(/crawl-index: 200 documents in 2 batches, 8 segments, [\d.]+ MB on disk\n$/);
    const stats = JSON.parse(reprint(['index', 'stats', idx, '--format', 'json']).stdout);
    expect(stats).toMatchObject({ documents: 200, batches: 2, segments: 8 });
    expect(stats.bytes).toBeGreaterThan(10_000);
  });

  it('scans against the index without adding to it, quoting earlier documents from the index', () => {
    const before = readFileSync(join(idx, 'manifest.json'), 'utf8');
    const r = reprint(['scan', day3, '--index', idx]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/passages shared across documents/);
    expect(readFileSync(join(idx, 'manifest.json'), 'utf8')).toBe(before);
    const html = reprint(['scan', day3, '--index', idx, '--format', 'html']);
    expect(html.status).toBe(0);
    expect(html.stdout).toContain('<html');
    const c = reprint(['index', 'compact', idx]);
    expect(c.stdout).toMatch(/200 documents in 2 batches, 5 segments, .* \(compacted\)/);
    expect(reprint(['scan', day3, '--index', idx, '--format', 'json']).stdout).toBe(reprint(['scan', day3, '--index', idx, '--format', 'json']).stdout);
  });

  it('prints the stage SQL for each dialect', () => {
    const r = reprint(['sql', '--dialect', 'trino', '--location', 's3://b/crawl']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("external_location = 's3://b/crawl/postings'");
    expect(r.stdout).toContain('CREATE TABLE candidates AS');
  });

  const manifest = () => readFileSync(join(idx, 'manifest.json'), 'utf8');
  const notIndex = mkdtempSync(join(tmp, 'not-index-'));
  writeFileSync(join(notIndex, 'notes.txt'), 'hello');
  const newer = mkdtempSync(join(tmp, 'newer-'));
  const cases: [string, () => string[], RegExp][] = [
    ['a directory that is not an index', () => ['index', 'add', notIndex, day3], /is not a reprint index: it has no manifest\.json$/],
    ['stats of a missing index', () => ['index', 'stats', join(tmp, 'nowhere')], /nowhere is not a reprint index: it does not exist$/],
    ['a manifest from a newer version', () => { writeFileSync(join(newer, 'manifest.json'), manifest().replace('"version": 1', '"version": 7')); return ['index', 'add', newer, day3]; }, /index format 7, newer than this reprint reads \(1\): upgrade reprint$/],
    ['options that differ from the index\'s', () => ['index', 'add', idx, day3, '--min-words', '30'], /minWords must match the index's \(20\) in .*, got 30$/],
    ['an index locked by another writer', () => { writeFileSync(join(idx, 'writer.lock'), JSON.stringify({ pid: process.pid, host: hostname() })); return ['index', 'add', idx, day3]; }, /is locked by another writer \(pid \d+ on .*\)/],
    ['a document id already in the index', () => { rmSync(join(idx, 'writer.lock')); return ['index', 'add', idx, day2]; }, /document id ".*" is in the index already/],
    // JSONL read on worker threads (--jobs 2): the same errors
    ['a document id already in the index, with --jobs 2', () => ['index', 'add', idx, day2, '--jobs', '2'], /document id ".*" is in the index already/],
    ['a bad JSONL line, with --jobs 2', () => ['index', 'add', idx, file('bad.jsonl', `${slice[200]}\n{"id": "x", "text": \n`), '--jobs', '2'], /bad\.jsonl line 2: invalid JSON/],
    ['a bad dialect', () => ['sql', '--dialect', 'oracle'], /--dialect must be one of duckdb, postgres, spark, trino, got "oracle"/],
  ];
  for (const [what, args, message] of cases) {
    it(`refuses ${what} with exit 2, one line, and no change to the index`, () => {
      const before = manifest();
      const r = reprint(args());
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
      expect(manifest()).toBe(before);
    });
  }
});
