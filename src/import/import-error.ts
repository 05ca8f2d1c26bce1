import { AppError, type ErrorCode } from '../errors.js';

/** The codes an archive can be refused with: each names the entry at fault in its message. */
export type ImportRefusal = Extract<ErrorCode, `IMPORT_${string}`>;

export function refuse(code: ImportRefusal, message: string): AppError {
  return new AppError(code, message);
}

/** An entry name made printable for a message: quoted, control characters as \uXXXX. */
export function shown(name: string): string {
  const cut = name.length > 200 ? `${name.slice(0, 200)}…` : name;
  return JSON.stringify(cut).replace(
    /[\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
