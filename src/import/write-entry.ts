import { open } from 'node:fs/promises';
import { AppError } from '../errors.js';
import type { EntryGuard } from './entry-guard.js';
import { refuse, shown } from './import-error.js';

/**
 * Writes one file entry to `dest`, a path no earlier entry used ('wx': an archive that names a
 * file twice is refused, not merged), counting the bytes as they arrive.
 */
export async function writeEntry(
  guard: EntryGuard,
  rawName: string,
  source: AsyncIterable<Buffer | string>,
  dest: string,
): Promise<void> {
  guard.makeParent(dest, false);
  const handle = await open(dest, 'wx', 0o644);
  try {
    let first = true;
    for await (const data of source) {
      const chunk = typeof data === 'string' ? Buffer.from(data) : data;
      if (first && chunk.length > 0) guard.checkContent(rawName, chunk);
      first = first && chunk.length === 0;
      guard.addBytes(rawName, chunk.length);
      await handle.write(chunk);
    }
  } finally {
    await handle.close();
  }
}

/** File-system errors caused by the archive's own layout, as refusals naming the entry. */
export function asRefusal(err: unknown, rawName: string): Error {
  if (err instanceof AppError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR') {
    return refuse(
      'IMPORT_UNSAFE_ENTRY',
      `Entry ${shown(rawName)} is refused: it clashes with another entry of the same name.`,
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}
