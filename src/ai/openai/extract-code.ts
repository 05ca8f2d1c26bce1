/**
 * Files from a model that printed code instead of calling tools. A fenced block counts when its
 * path is named in one of the ways models commonly use:
 *  - the info string: ```tsx src/App.tsx, ```src/App.tsx, ```tsx:src/App.tsx, ```tsx title="src/App.tsx"
 *  - a first-line comment: `// file: src/App.tsx`, `/* src/styles.css *\/`, `<!-- index.html -->`,
 *    `# app.py` (the marker line is dropped from the content)
 *  - the line just before the fence: `### src/App.tsx`, `**src/App.tsx**`, `` `src/App.tsx`: ``,
 *    `File: src/App.tsx`
 * Blocks without a path, and a last block left open (output cut at the token limit), are
 * skipped. Paths are returned as written: the workspace decides whether they are allowed.
 */

export interface ExtractedFile {
  path: string;
  content: string;
}

const SEGMENT = String.raw`[A-Za-z0-9_@$.+\-\[\]()]+`;
/** A relative path whose last segment has an extension (`src/App.tsx`, `app/[id]/page.tsx`). */
const PATH = String.raw`(?:\.\/)?(?:${SEGMENT}\/)*[A-Za-z0-9_@$+\-\[\]()][A-Za-z0-9_@$.+\-\[\]()]*\.[A-Za-z0-9]{1,10}`;
const PATH_ONLY = new RegExp(`^${PATH}$`);
const PATH_ANYWHERE = new RegExp(`(?:^|[\\s\`'"*(:])(${PATH})(?=$|[\\s\`'"*):,])`);

const FILE_LABEL = String.raw`(?:(?:file(?:name)?|path)\s*:\s*)?`;
const FIRST_LINE_MARKERS = [
  new RegExp(String.raw`^\s*(?:\/\/|#|--|;)\s*${FILE_LABEL}(${PATH})\s*$`, 'i'),
  new RegExp(String.raw`^\s*\/\*+\s*${FILE_LABEL}(${PATH})\s*\*+\/\s*$`, 'i'),
  new RegExp(String.raw`^\s*<!--\s*${FILE_LABEL}(${PATH})\s*-->\s*$`, 'i'),
  new RegExp(String.raw`^\s*\{\s*\/\*\s*${FILE_LABEL}(${PATH})\s*\*\/\s*\}\s*$`, 'i'),
];

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;

function cleanPath(raw: string): string {
  return raw.replace(/^\.\//, '');
}

/** A path in a fence info string (everything after the backticks). */
function pathFromInfo(info: string): string | undefined {
  const text = info.trim();
  if (!text) return undefined;
  const attr = /\b(?:title|file(?:name)?|path)\s*=\s*["']?([^"'\s]+)["']?/i.exec(text);
  if (attr?.[1] && PATH_ONLY.test(attr[1])) return cleanPath(attr[1]);
  for (const token of text.split(/[\s:]+/)) {
    const bare = token.replace(/^[`'"{]+|[`'"}]+$/g, '');
    if (PATH_ONLY.test(bare) && /[/.]/.test(bare)) return cleanPath(bare);
  }
  return undefined;
}

/** A path on the line just before a fence, when that line is a heading or a bare label. */
function pathFromLabel(line: string): string | undefined {
  const text = line.trim();
  if (!text) return undefined;
  const heading = /^#{1,6}\s+(.+)$/.exec(text);
  if (heading?.[1]) {
    const found = PATH_ANYWHERE.exec(heading[1].replace(/[*_]{2}/g, ''));
    return found?.[1] ? cleanPath(found[1]) : undefined;
  }
  const label = text
    .replace(/^(?:[-*]\s+|\d+[.)]\s+)/, '')
    .replace(/^(?:file(?:name)?|path)\s*:\s*/i, '')
    .replace(/[*_`'"]/g, '')
    .replace(/:$/, '')
    .trim();
  return PATH_ONLY.test(label) ? cleanPath(label) : undefined;
}

function pathFromFirstLine(line: string | undefined): string | undefined {
  if (line === undefined) return undefined;
  for (const marker of FIRST_LINE_MARKERS) {
    const found = marker.exec(line);
    if (found?.[1]) return cleanPath(found[1]);
  }
  return undefined;
}

/** Extracts the named files of every closed fenced block; a path seen twice keeps the last. */
export function extractFiles(text: string): ExtractedFile[] {
  const lines = text.split(/\r?\n/);
  const files = new Map<string, string>();
  let lastText = '';
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i] ?? '');
    if (!open?.[1]) {
      if ((lines[i] ?? '').trim() !== '') lastText = lines[i] ?? '';
      continue;
    }
    const fence = open[1];
    const info = open[2] ?? '';
    // Backtick fences cannot have backticks in their info string (CommonMark).
    if (fence.startsWith('`') && info.includes('`')) continue;
    const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !close.test(lines[end] ?? '')) end++;
    if (end >= lines.length) break; // left open: the output was cut
    let body = lines.slice(i + 1, end);
    let path = pathFromInfo(info);
    const marked = pathFromFirstLine(body[0]);
    if (marked && (!path || marked === path)) {
      path = marked;
      body = body.slice(1);
    }
    path ??= pathFromLabel(lastText);
    if (path) {
      const content = body.join('\n');
      files.set(path, content.endsWith('\n') ? content : content + '\n');
    }
    lastText = '';
    i = end;
  }
  return [...files].map(([path, content]) => ({ path, content }));
}

/** Whether the text has any fenced block at all (code printed, but no path to put it at). */
export function hasCodeBlock(text: string): boolean {
  return /^ {0,3}(`{3,}|~{3,})/m.test(text);
}
