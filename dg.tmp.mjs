import { scan } from 'reprint';
import { rng } from './corpus/generate.js';
const r = rng(3);
const cases = {
  word: 'the '.repeat(300000),
  sentence: 'The quick brown fox jumps over the lazy dog near the river bank today. '.repeat(20000),
  random: Array.from({ length: 2_000_000 }, () => String.fromCharCode(97 + Math.floor(r() * 26))).join(''),
  randomWords: Array.from({ length: 400_000 }, () => Array.from({ length: 4 }, () => String.fromCharCode(97 + Math.floor(r() * 26))).join('')).join(' '),
};
for (const [name, text] of Object.entries(cases)) {
  const t0 = performance.now();
  const rep = await scan([{ id: name, text }, { id: name + '2', text }]);
  console.log(name, ((performance.now() - t0) / 1000).toFixed(2), 's', 'passages', rep.passages.length, JSON.stringify(rep.passages.map(p => p.occurrences.length)), 'pairs', rep.nearDuplicates.length, 'json KB', (JSON.stringify(rep).length / 1024).toFixed(1));
}
