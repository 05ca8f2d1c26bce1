import { constants, crc32, deflateRawSync, gzipSync } from 'node:zlib';

/** Builders of hand-made archives, hostile ones included, for the import tests. */

export type TarType = '0' | '1' | '2' | '3' | '4' | '5' | '6';

export interface TarEntry {
  name: string;
  type?: TarType;
  body?: Buffer | string;
  /** The size written in the header (default: the body's); the body is not padded to it. */
  size?: number;
  linkName?: string;
}

/** One 512-byte ustar header; names up to 100 bytes, written as given. */
export function tarHeader(entry: TarEntry, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(entry.name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  h.write(size.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
  h.write('00000000000\0', 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h.write(entry.type ?? '0', 156, 'latin1');
  if (entry.linkName) h.write(entry.linkName, 157, 100, 'utf8');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

function padded(body: Buffer): Buffer {
  const rest = body.length % 512;
  return rest === 0 ? body : Buffer.concat([body, Buffer.alloc(512 - rest)]);
}

/** A plain tar of the entries, with its two closing zero blocks. */
export function tar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? '');
    parts.push(tarHeader(entry, entry.size ?? body.length), padded(body));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export const tarGz = (entries: TarEntry[]): Buffer => gzipSync(tar(entries));

/**
 * A .tar.gz whose one file expands to `bytes` of zeros while the archive stays about a
 * thousandth of that: gzip members may be concatenated, so one compressed megabyte of zeros
 * is repeated instead of compressing the whole stream.
 */
export function expandingTarGz(name: string, bytes: number): Buffer {
  const MB = 1024 * 1024;
  const zerosMember = gzipSync(Buffer.alloc(MB), { level: 9 });
  const members = [gzipSync(tarHeader({ name }, bytes))];
  for (let i = 0; i < Math.floor(bytes / MB); i++) members.push(zerosMember);
  members.push(gzipSync(Buffer.alloc(1024)));
  return Buffer.concat(members);
}

export interface ZipEntry {
  name: string | Buffer;
  body?: Buffer | string;
  /** Unix mode in the high 16 bits of the external attributes (e.g. 0o120777 for a link). */
  mode?: number;
  deflate?: boolean;
  /** The uncompressed size declared in the headers (default: the true one). */
  declaredSize?: number;
  /** Compressed data given as is (deflated), with its true CRC and size. */
  raw?: { data: Buffer; crc: number; size: number };
}

/** A zip written by hand, so names, modes and declared sizes can lie. */
export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.isBuffer(entry.name) ? entry.name : Buffer.from(entry.name, 'utf8');
    const body = Buffer.from(entry.body ?? '');
    const data = entry.raw?.data ?? (entry.deflate ? deflateRawSync(body) : body);
    const method = entry.deflate || entry.raw ? 8 : 0;
    const size = entry.declaredSize ?? entry.raw?.size ?? body.length;
    const crc = entry.raw?.crc ?? crc32(body);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((entry.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/**
 * A deflate stream of `megabytes` MB of zeros, about a thousandth of that in size: one
 * megabyte compressed up to a full flush (which leaves no reference to earlier data) is
 * repeated, then closed by an empty final block.
 */
export function expandingDeflate(megabytes: number): { data: Buffer; crc: number; size: number } {
  const MB = Buffer.alloc(1024 * 1024);
  const block = deflateRawSync(MB, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  let crc = 0;
  for (let i = 0; i < megabytes; i++) crc = crc32(MB, crc);
  const end = deflateRawSync(Buffer.alloc(0));
  return {
    data: Buffer.concat([...Array.from({ length: megabytes }, () => block), end]),
    crc,
    size: megabytes * MB.length,
  };
}
