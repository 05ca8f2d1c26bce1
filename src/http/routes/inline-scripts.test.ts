import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inlineScriptHashes, policyForPage } from './inline-scripts.js';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('inline script hashes for the preview policy', () => {
  it('hashes each inline script exactly as written, not external or empty ones', () => {
    const a = '(self.__next_f=self.__next_f||[]).push([0])';
    const b = "\n  const b = document.getElementById('walks');\n";
    const html = `<script src="/_next/main.js" async=""></script><script>${a}</script><script type="module">${b}</script><script></script>`;
    expect(inlineScriptHashes(html)).toEqual([sha(a), sha(b)]);
  });

  it('adds the hashes to script-src of an HTML page, and leaves other pages strict', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sheen-csp-'));
    try {
      const csp = "default-src 'self'; script-src 'self'; object-src 'none'";
      await writeFile(path.join(dir, 'a.html'), '<script>go()</script>');
      await writeFile(path.join(dir, 'b.html'), '<script src="x.js"></script>');
      expect(await policyForPage(csp, path.join(dir, 'a.html'))).toBe(
        `default-src 'self'; script-src 'self' ${sha('go()')}; object-src 'none'`,
      );
      expect(await policyForPage(csp, path.join(dir, 'b.html'))).toBe(csp);
      expect(await policyForPage(csp, path.join(dir, 'missing.html'))).toBe(csp);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
