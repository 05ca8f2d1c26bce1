import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  isCompressible,
  SIBLING_SUFFIX,
  type ContentEncoding,
} from '../artifacts/compressed-siblings.js';
import { contentTypeOf } from '../deploy/cloudflare-pages/asset-hash.js';
import { acceptedEncodings } from './accept-encoding.js';

/**
 * Sends one file of an unpacked site: its brotli or gzip sibling when the client accepts one
 * (the package stage wrote them), else the file itself. Every response of a compressible file
 * carries `Vary: Accept-Encoding`, whichever bytes it holds, so a shared cache never hands
 * brotli to a client that cannot read it. ETags are strong, from the file's content, with the
 * encoding appended (`"<hash>-br"`): each representation has its own, and they are the same
 * on every machine that unpacked the artifact. If-None-Match answers 304. A Range request is
 * answered from the uncompressed file (ranges of a compressed stream would not survive a
 * change of encoding), one range at a time; several ranges get the whole file.
 */
export async function sendSiteFile(
  request: FastifyRequest,
  reply: FastifyReply,
  file: string,
  info: Stats,
  cacheControl: string,
): Promise<FastifyReply> {
  const compressible = isCompressible(file);
  const rangeHeader = request.headers.range;
  const chosen =
    compressible && rangeHeader === undefined
      ? await pickSibling(file, request.headers['accept-encoding'])
      : undefined;
  const tag = await contentTag(file, info);
  const etag = `"${tag}${chosen ? `-${chosen.encoding === 'br' ? 'br' : 'gz'}` : ''}"`;
  reply.header('content-type', withCharset(contentTypeOf(file)));
  reply.header('cache-control', cacheControl);
  reply.header('etag', etag);
  reply.header('accept-ranges', 'bytes');
  if (compressible) reply.header('vary', 'Accept-Encoding');
  if (chosen) reply.header('content-encoding', chosen.encoding);

  if (matchesNoneMatch(request.headers['if-none-match'], etag)) {
    // A 304 names the representation (ETag, Vary, caching) and describes no bytes.
    for (const name of ['content-type', 'content-encoding', 'accept-ranges'])
      reply.removeHeader(name);
    return reply.code(304).send();
  }
  const size = chosen ? chosen.size : info.size;
  const range =
    !chosen && rangeHeader !== undefined && rangeApplies(request.headers['if-range'], etag)
      ? parseRange(rangeHeader, size)
      : undefined;
  if (range === 'unsatisfiable') {
    reply.removeHeader('etag');
    reply.header('content-range', `bytes */${size}`);
    reply.header('content-type', 'text/plain; charset=utf-8');
    return reply.code(416).send('Range Not Satisfiable');
  }
  const from = range?.start ?? 0;
  const to = range?.end ?? size - 1;
  if (range) {
    reply.code(206);
    reply.header('content-range', `bytes ${from}-${to}/${size}`);
  }
  reply.header('content-length', String(Math.max(0, to - from + 1)));
  if (request.method === 'HEAD' || size === 0) return reply.send();
  return reply.send(createReadStream(chosen ? chosen.file : file, { start: from, end: to }));
}

/** The first accepted encoding whose sibling exists, with its path and size. */
async function pickSibling(
  file: string,
  acceptEncoding: string | string[] | undefined,
): Promise<{ encoding: ContentEncoding; file: string; size: number } | undefined> {
  for (const encoding of acceptedEncodings(acceptEncoding)) {
    const sibling = file + SIBLING_SUFFIX[encoding];
    const info = await stat(sibling).catch(() => undefined);
    if (info?.isFile()) return { encoding, file: sibling, size: info.size };
  }
  return undefined;
}

const TEXT_TYPE = /^(text\/|application\/(javascript|json|xml|manifest\+json)|image\/svg\+xml)/;

function withCharset(type: string): string {
  return TEXT_TYPE.test(type) ? `${type}; charset=utf-8` : type;
}

/** If-None-Match compares weakly (RFC 9110 §13.1.2): W/ prefixes are ignored, `*` matches. */
function matchesNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** If-Range with a strong ETag equal to ours, or absent: the range is honoured. */
function rangeApplies(ifRange: string | string[] | undefined, etag: string): boolean {
  return ifRange === undefined || (typeof ifRange === 'string' && ifRange.trim() === etag);
}

/**
 * One `bytes=` range within `size`: undefined when the header is not one we honour (other
 * units, several ranges, malformed: the whole file is sent), 'unsatisfiable' for 416.
 */
export function parseRange(
  header: string,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return undefined;
  return { start, end };
}

/** Content hashes by file identity: an unpacked site never changes in place (it is swapped). */
const tags = new Map<string, string>();
const MAX_TAGS = 10_000;

async function contentTag(file: string, info: Stats): Promise<string> {
  const key = `${file}\0${info.ino}\0${info.size}\0${info.mtimeMs}`;
  const known = tags.get(key);
  if (known) return known;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const tag = hash.digest('base64url').slice(0, 22);
  if (tags.size >= MAX_TAGS) tags.delete(tags.keys().next().value as string);
  tags.set(key, tag);
  return tag;
}
