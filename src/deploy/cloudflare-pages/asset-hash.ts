import path from 'node:path';
import { blake3 } from 'hash-wasm';

/**
 * The key Pages stores an asset under, as wrangler's `hashFile` computes it: BLAKE3 over the
 * base64 of the contents followed by the extension without its dot, first 32 hex characters.
 * The extension is part of the key because Pages serves an asset's content type from it.
 */
export async function assetHash(contents: Buffer, fileName: string): Promise<string> {
  const extension = path.extname(fileName).slice(1);
  const hex = await blake3(contents.toString('base64') + extension);
  return hex.slice(0, 32);
}

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'application/javascript',
  mjs: 'application/javascript',
  json: 'application/json',
  map: 'application/json',
  txt: 'text/plain',
  xml: 'application/xml',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/vnd.microsoft.icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  wasm: 'application/wasm',
  webmanifest: 'application/manifest+json',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
};

/** The content type stored with an asset (Pages serves it); unknown extensions are binary. */
export function contentTypeOf(fileName: string): string {
  const extension = path.extname(fileName).slice(1).toLowerCase();
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}
