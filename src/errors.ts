/** Error codes are exported so callers and tests can branch on them instead of on message text. */
export const ErrorCode = {
  INVALID_OPTION: 'ERR_REPRINT_INVALID_OPTION',
  INVALID_INPUT: 'ERR_REPRINT_INVALID_INPUT',
  DUPLICATE_ID: 'ERR_REPRINT_DUPLICATE_ID',
  UNKNOWN_ID: 'ERR_REPRINT_UNKNOWN_ID',
  SIGNATURE_MISMATCH: 'ERR_REPRINT_SIGNATURE_MISMATCH',
  BAD_BYTES: 'ERR_REPRINT_BAD_BYTES',
  USAGE: 'ERR_REPRINT_USAGE',
  CAPACITY: 'ERR_REPRINT_CAPACITY',
  NOT_AN_INDEX: 'ERR_REPRINT_NOT_AN_INDEX',
  INDEX_VERSION: 'ERR_REPRINT_INDEX_VERSION',
  INDEX_OPTIONS: 'ERR_REPRINT_INDEX_OPTIONS',
  INDEX_LOCKED: 'ERR_REPRINT_INDEX_LOCKED',
  BATCH_STALE: 'ERR_REPRINT_BATCH_STALE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class ReprintError extends Error {
  readonly code: ErrorCode;
  /** The document id the error is about, where there is one (a duplicate id). */
  readonly id: string | undefined;
  constructor(code: ErrorCode, message: string, id?: string) {
    super(message);
    this.name = 'ReprintError';
    this.code = code;
    this.id = id;
  }
}
