import { describe, expect, it } from 'vitest';
import { DEFAULT_MIN_WORDS, DEFAULT_NUM_PERM, DEFAULT_THRESHOLD } from '../src/defaults.js';
import { ErrorCode } from '../src/errors.js';
import { parseOptions, scanOptionsSchema } from '../src/options.js';

describe('options', () => {
  it('fills the named defaults', () => {
    const o = parseOptions(scanOptionsSchema, {});
    expect(o.numPerm).toBe(DEFAULT_NUM_PERM);
    expect(o.threshold).toBe(DEFAULT_THRESHOLD);
    expect(o.minWords).toBe(DEFAULT_MIN_WORDS);
  });

  it('names the option, the rule and the value received', () => {
    const bad: [object, string][] = [
      [{ threshold: 1.5 }, 'threshold must be in [0, 1], got 1.5'],
      [{ threshold: 'high' }, 'threshold must be in [0, 1], got "high"'],
      [{ numPerm: 0 }, 'numPerm must be an integer in [1, 4096], got 0'],
      [{ jobs: 2.5 }, 'jobs must be an integer in [1, 256], got 2.5'],
      [{ exact: 'yes' }, 'exact must be a boolean, got "yes"'],
      [{ shingles: 3 }, 'unknown option "shingles" in scan options'],
    ];
    for (const [input, message] of bad) {
      expect(() => parseOptions(scanOptionsSchema, input, 'scan options')).toThrow(message);
      expect(() => parseOptions(scanOptionsSchema, input, 'scan options')).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_OPTION }));
    }
  });
});
