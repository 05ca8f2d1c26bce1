import { createReadStream } from 'node:fs';
import { Parser, type ReadEntry } from 'tar';
import { AppError } from '../errors.js';
import type { EntryGuard } from './entry-guard.js';
import { refuse, shown } from './import-error.js';
import { asRefusal, writeEntry } from './write-entry.js';

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

/**
 * Unpacks a tar (gzipped or not) entry by entry through the guard. Only files and folders are
 * accepted: a link, device or FIFO refuses the whole archive, naming the entry.
 */
export function unpackTar(file: string, guard: EntryGuard): Promise<void> {
  const input = createReadStream(file);
  const parser = new Parser({ strict: true });
  const writes: Promise<void>[] = [];
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown, rawName?: string) => {
      if (settled) return;
      settled = true;
      input.destroy();
      reject(rawName === undefined ? unreadable(err) : asRefusal(err, rawName));
    };
    parser.on('entry', (entry: ReadEntry) => {
      if (settled) return entry.resume();
      try {
        const dest = admit(guard, entry);
        if (dest === undefined) return entry.resume();
        writes.push(writeEntry(guard, entry.path, entry, dest).catch((e) => fail(e, entry.path)));
      } catch (err) {
        entry.resume();
        fail(err, entry.path);
      }
    });
    parser.on('error', (err: unknown) => fail(err));
    parser.on('abort', (err: unknown) => fail(err));
    parser.on('end', () => {
      void Promise.all(writes).then(() => {
        if (settled) return;
        settled = true;
        resolve();
      });
    });
    input.on('error', (err) => fail(err));
    input.pipe(parser);
  });
}

/** Where a file goes (undefined: nothing to write); folders are made here. */
function admit(guard: EntryGuard, entry: ReadEntry): string | undefined {
  if (entry.type === 'Directory') {
    const dest = guard.admit(entry.path, 'directory', 0);
    if (dest) guard.makeParent(dest, true);
    return undefined;
  }
  if (!FILE_TYPES.has(entry.type)) {
    throw refuse(
      'IMPORT_UNSAFE_ENTRY',
      `Entry ${shown(entry.path)} is refused: it is a ${entry.type}, and only files and folders are imported.`,
    );
  }
  return guard.admit(entry.path, 'file', entry.size ?? 0);
}

function unreadable(err: unknown): Error {
  if (err instanceof AppError) return err;
  return refuse(
    'IMPORT_UNSUPPORTED_ARCHIVE',
    'The archive could not be read as a .tar.gz: it is damaged or not a tar inside the gzip.',
  );
}
