import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyzePrompt } from '../analyze.js';
import { renderApp } from '../render/app.js';
import { APP_KINDS, parseSpec, SPEC_PATH, type AppSpec } from '../types.js';
import { dateFromText, dateLabel } from './dates.js';
import { BlockSchema, FEATURE_IDS, FEATURES, type Block, type BlockRequest } from './index.js';

const blocks = (...requests: BlockRequest[]): Block[] =>
  requests.map((request) => BlockSchema.parse(request));

function syntaxErrors(path: string, source: string): string[] {
  const output = ts.transpileModule(source, {
    fileName: path,
    reportDiagnostics: true,
    compilerOptions: { jsx: ts.JsxEmit.ReactJSX, target: ts.ScriptTarget.ES2022 },
  });
  return (output.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ''));
}

function withBlocks(prompt: string, list: Block[]): AppSpec {
  return { ...analyzePrompt(prompt), blocks: list };
}

describe('component requests', () => {
  it('take data or none, and refuse what a component could not show', () => {
    expect(BlockSchema.parse({ feature: 'faq' })).toEqual({ feature: 'faq', data: {} });
    const bad: unknown[] = [
      { feature: 'carousel' },
      { feature: 'countdown', data: { date: '14 March' } },
      { feature: 'countdown', data: { date: '2027-02-30T25:00' } },
      { feature: 'contact', data: { email: 'not an address' } },
      { feature: 'hours', data: { days: [{ day: 'funday', opens: '09:00', closes: '17:00' }] } },
      { feature: 'chart', data: { series: [{ name: 'A', values: [Number.NaN] }] } },
    ];
    for (const value of bad)
      expect(BlockSchema.safeParse(value).success, JSON.stringify(value)).toBe(false);
  });

  it('are kept in the stored spec, and a spec without them is unchanged', () => {
    const plain = analyzePrompt('A landing page for a bakery');
    expect(plain.blocks).toBeUndefined();
    expect(renderApp(plain).get(SPEC_PATH)).not.toContain('blocks');
    const spec = { ...plain, blocks: blocks({ feature: 'countdown', data: { date: '--03-14' } }) };
    expect(parseSpec(JSON.parse(renderApp(spec).get(SPEC_PATH) ?? ''))).toEqual(spec);
  });
});

describe('mounting', () => {
  it('renders every feature on every kind with valid syntax, text only in data', () => {
    const hostile = 'Evil </script> ${alert(1)} `rm -rf /` {x}';
    for (const kind of APP_KINDS) {
      const spec = withBlocks(
        'A ' + kind + ' page',
        FEATURE_IDS.map((feature) => BlockSchema.parse({ feature, data: { title: hostile } })),
      );
      const files = renderApp({ ...spec, kind });
      for (const [path, content] of files) {
        if (/\.tsx?$/.test(path))
          expect(syntaxErrors(path, content), kind + ' ' + path).toEqual([]);
        if (path !== 'src/data.ts' && path !== SPEC_PATH)
          expect(content, path).not.toContain('rm -rf');
      }
      for (const feature of Object.values(FEATURES)) {
        expect(files.has('src/components/' + feature.component + '.tsx')).toBe(true);
      }
    }
  });

  it('gives each mount its own anchor, data export, props and nav link', () => {
    const spec = {
      ...withBlocks(
        'A landing page for a bakery called Sunrise Bakery with an FAQ',
        blocks({ feature: 'countdown' }, { feature: 'countdown' }, { feature: 'faq' }),
      ),
    };
    expect(spec.sections).toContain('faq');
    const files = renderApp(spec);
    const app = files.get('src/App.tsx') ?? '';
    expect(app).toContain("import Countdown from './components/Countdown';");
    expect(app.match(/import Countdown/g)).toHaveLength(1);
    expect(app).toContain('import { countdownBlock, countdown2Block, faq2Block } from');
    expect(app).toContain('<Countdown {...countdownBlock} />');
    expect(app).toContain('<Countdown {...countdown2Block} />');
    expect(app).toContain('<FaqList {...faq2Block} />');
    expect(app).toContain('<Faq />');
    const data = files.get('src/data.ts') ?? '';
    expect(data).toContain("import type { CountdownProps } from './components/Countdown';");
    expect(data).toContain('export const countdownBlock: CountdownProps = {');
    expect(data).toContain("anchor: 'countdown-2'");
    expect(data).toContain("anchor: 'faq-2'");
    expect(data).toMatch(/nav: \[[^\]]*'#countdown'/);
    const css = files.get('src/styles.css') ?? '';
    expect(css.match(/\/\* Countdown \*\//g)).toHaveLength(1);
  });

  it('fills missing data from the spec and never invents an address', () => {
    const spec = withBlocks(
      'An event page for a birthday party on 14 March at The Foundry in Berlin',
      blocks({ feature: 'countdown' }, { feature: 'map' }, { feature: 'contact' }),
    );
    const data = renderApp(spec).get('src/data.ts') ?? '';
    expect(data).toContain("date: '--03-14'");
    expect(data).toContain("dateLabel: '14 March'");
    expect(data).toMatch(/address: '[^']*Berlin'/);
    expect(data).toContain("to: ''");
  });
});

describe('dates', () => {
  it('reads a day of a month from free text', () => {
    expect(dateFromText('14 March')).toBe('--03-14');
    expect(dateFromText('on October 3rd')).toBe('--10-03');
    expect(dateFromText('Sept 9, 2027')).toBe('2027-09-09');
    expect(dateFromText('2027-05-01')).toBe('2027-05-01');
    expect(dateFromText('next Tuesday')).toBeNull();
    expect(dateFromText('32 March')).toBeNull();
    expect(dateLabel('--03-14')).toBe('14 March');
    expect(dateLabel('2027-03-14T18:30')).toBe('14 March 2027, 18:30');
  });
});
