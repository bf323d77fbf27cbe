import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The packed package as a user gets it: `npm pack`, unpacked into a scratch project's
// node_modules (its one dependency, zod, linked from ours: no network), then loaded by Node.
const root = new URL('..', import.meta.url).pathname;
const PUBLIC = [
  'Corpus', 'DEFAULTS', 'EMPTY', 'ErrorCode', 'LshIndex', 'MinHasher', 'ReprintError', 'candidateProbability', 'cleanDocuments',
  'formatHtml', 'formatText', 'hasherOptionsSchema', 'jaccard', 'kernelAvailable', 'lshOptionsSchema', 'normalize', 'openIndex', 'optimalParams',
  'passageChart', 'planClean', 'printSql', 'readInputs', 'recallParams', 'reportJsonSchema', 'reportSchema', 'scan', 'scanOptionsSchema', 'textShingleSet',
  'tokenize', 'useKernel',
];

describe('the packed package', () => {
  const project = mkdtempSync(join(tmpdir(), 'reprint-pack-'));
  const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', project], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!;
  const pkg = join(project, 'node_modules', 'reprint');
  mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['-xzf', join(project, tgz), '-C', pkg, '--strip-components=1']);
  symlinkSync(join(root, 'node_modules', 'zod'), join(project, 'node_modules', 'zod'));
  const run = (file: string, code: string) => { writeFileSync(join(project, file), code); return execFileSync(process.execPath, [join(project, file)], { cwd: project, encoding: 'utf8' }); };

  it('exports the named public API and no internals', () => {
    const names = JSON.parse(run('names.mjs', "import * as r from 'reprint'; console.log(JSON.stringify(Object.keys(r).sort()));"));
    expect(names).toEqual(PUBLIC);
    expect(names.length).toBeLessThanOrEqual(40);
    for (const internal of ['FOLD', 'carve', 'growPairs', 'SeedTable', 'TokenStore', 'Aligner', 'Grouper']) expect(names).not.toContain(internal);
  });

  it('scans from the packed files, by import and by require, and ships its types', () => {
    const text = 'One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twenty-one.';
    const esm = JSON.parse(run('scan.mjs', `import { scan } from 'reprint'; const r = await scan([{ id: 'a', text: ${JSON.stringify(`${text} ${text}`)} }]); console.log(JSON.stringify(r.totals));`));
    expect(esm).toMatchObject({ documents: 1, repeats: 1, copies: 2 });
    const cjs = run('require.cjs', "const r = require('reprint'); console.log(typeof r.scan, typeof r.Corpus, Object.keys(r).length);");
    expect(cjs.trim()).toBe(`function function ${PUBLIC.length}`);
    expect(run('internal.mjs', "import { Aligner } from 'reprint/internal'; console.log(typeof Aligner);").trim()).toBe('function');
    // the stage SQL ships with the package
    expect(run('sql.mjs', "import { printSql } from 'reprint'; console.log(printSql('postgres'));")).toContain('CREATE TABLE candidates AS');
    // the executable the package names runs from the packed files
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string; bin: { reprint: string } };
    expect(execFileSync(process.execPath, [join(pkg, manifest.bin.reprint), '--version'], { cwd: project, encoding: 'utf8' }).trim()).toBe(manifest.version);
    expect(run('types.mjs', "import { readFileSync } from 'node:fs'; console.log(readFileSync('node_modules/reprint/dist/index.d.ts', 'utf8').includes('export { scan'));").trim()).toBe('true');
  });
});
