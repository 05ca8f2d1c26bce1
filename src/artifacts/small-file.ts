import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Reading an archive whole when it is small. An awaited call costs 0.1-0.5 ms on libuv's pool
 * here against a few µs made synchronously, and a small archive is read in a handful of calls,
 * so these are synchronous; the size bounds how long they hold the event loop.
 */

/** The whole file behind `fd` when it holds at most `maxBytes`, else undefined. */
export function readIfSmall(fd: number, maxBytes: number): Buffer | undefined {
  const size = fstatSync(fd).size;
  if (size > maxBytes) return undefined;
  const bytes = Buffer.alloc(size);
  let read = 0;
  for (let n = -1; read < size && n !== 0; read += n)
    n = readSync(fd, bytes, read, size - read, read);
  return bytes.subarray(0, read);
}

/** The same for a file by name: opened once for the size and the read. */
export function readFileIfSmall(file: string, maxBytes: number): Buffer | undefined {
  const fd = openSync(file, 'r');
  try {
    return readIfSmall(fd, maxBytes);
  } finally {
    closeSync(fd);
  }
}
