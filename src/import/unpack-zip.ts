import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { AppError } from '../errors.js';
import { checkEntryRatio, type EntryGuard } from './entry-guard.js';
import { refuse, shown } from './import-error.js';
import { asRefusal, writeEntry } from './write-entry.js';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const KIND_NAMES: Record<number, string> = {
  0o120000: 'symbolic link',
  0o010000: 'FIFO',
  0o020000: 'character device',
  0o060000: 'block device',
  0o140000: 'socket',
};

/**
 * Unpacks a zip entry by entry through the guard. Names are decoded here (yauzl's own checks
 * would refuse with messages of their own) and yauzl compares each entry's actual size with
 * the one declared, so a lying header fails the import instead of filling the disk.
 */
export async function unpackZip(file: string, guard: EntryGuard, maxRatio: number): Promise<void> {
  const zip = await openZip(file);
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: Entry) => {
        unpackEntry(zip, entry, guard, maxRatio).then(
          () => zip.readEntry(),
          (err: unknown) => reject(err as Error),
        );
      });
      zip.on('end', () => resolve());
      zip.on('error', (err: unknown) => reject(unreadable(err)));
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

async function unpackEntry(
  zip: ZipFile,
  entry: Entry,
  guard: EntryGuard,
  maxRatio: number,
): Promise<void> {
  const rawName = decodeName(entry.fileName as unknown as Buffer);
  try {
    const isDirectory = kindOf(rawName, entry) === 'directory';
    if (entry.isEncrypted()) {
      throw refuse('IMPORT_UNSUPPORTED_ARCHIVE', `Entry ${shown(rawName)} is encrypted.`);
    }
    const dest = guard.admit(
      rawName,
      isDirectory ? 'directory' : 'file',
      isDirectory ? 0 : entry.uncompressedSize,
    );
    if (dest === undefined) return;
    checkEntryRatio(
      rawName,
      { compressed: entry.compressedSize, uncompressed: entry.uncompressedSize },
      maxRatio,
    );
    if (isDirectory) return guard.makeParent(dest, true);
    await writeEntry(guard, rawName, await openEntry(zip, entry, rawName), dest);
  } catch (err) {
    const refusal = asRefusal(err, rawName);
    if (refusal instanceof AppError) throw refusal;
    if ((err as NodeJS.ErrnoException).code !== undefined) throw err; // the worker's own disk
    throw refuse(
      'IMPORT_UNSUPPORTED_ARCHIVE',
      `Entry ${shown(rawName)} could not be read: it is damaged or its size differs from its header.`,
    );
  }
}

/** A folder, a file, or a refusal for anything else the unix mode bits say it is. */
function kindOf(rawName: string, entry: Entry): 'file' | 'directory' {
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (mode === S_IFDIR || (mode === 0 && rawName.endsWith('/'))) return 'directory';
  if (mode === 0 || mode === S_IFREG) return 'file';
  const kind = KIND_NAMES[mode] ?? 'special file';
  throw refuse(
    'IMPORT_UNSAFE_ENTRY',
    `Entry ${shown(rawName)} is refused: it is a ${kind}, and only files and folders are imported.`,
  );
}

function decodeName(raw: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw refuse(
      'IMPORT_UNSAFE_ENTRY',
      `Entry ${shown(raw.toString('latin1'))} is refused: its name is not UTF-8.`,
    );
  }
}

function openZip(file: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      file,
      { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false },
      (err, zip) => (err || !zip ? reject(unreadable(err)) : resolve(zip)),
    );
  });
}

function openEntry(zip: ZipFile, entry: Entry, rawName: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) {
        reject(
          refuse(
            'IMPORT_UNSUPPORTED_ARCHIVE',
            `Entry ${shown(rawName)} cannot be read: it uses a compression method the worker does not support.`,
          ),
        );
      } else {
        // The entry streams as soon as it is opened: a size check can fail before the writer
        // starts reading (while it opens the target file). The stream keeps the error and its
        // iterator throws it to the writer; without a listener it would crash the process.
        stream.on('error', () => undefined);
        resolve(stream);
      }
    });
  });
}

function unreadable(err: unknown): Error {
  if (err instanceof AppError) return err;
  return refuse(
    'IMPORT_UNSUPPORTED_ARCHIVE',
    'The archive could not be read as a .zip: it is damaged or not a zip.',
  );
}
