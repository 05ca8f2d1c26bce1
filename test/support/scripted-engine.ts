import { zeroUsage, type AiEngine, type BuildPlan } from '../../src/ai/engine.js';

/**
 * A test-only engine that writes exactly the files it is given: it lets tests put any project
 * (including hostile ones) through the real pipeline.
 */
export class ScriptedEngine implements AiEngine {
  readonly name = 'scripted';
  readonly frameworks = ['react', 'static'] as const;

  constructor(private readonly files: Record<string, string>) {}

  async plan(): Promise<{ plan: BuildPlan; usage: ReturnType<typeof zeroUsage> }> {
    return {
      plan: {
        framework: 'static',
        name: 'Scripted',
        summary: 'Write the scripted files.',
        files: Object.keys(this.files),
        tasks: ['write files'],
        meta: {},
      },
      usage: zeroUsage('scripted'),
    };
  }

  async generate(_input: unknown, tools: { writeFile(p: string, c: string): Promise<void> }) {
    for (const [file, content] of Object.entries(this.files)) await tools.writeFile(file, content);
    return {
      summary: `Wrote ${Object.keys(this.files).length} files.`,
      usage: zeroUsage('scripted'),
    };
  }

  async fix() {
    return { changed: [], usage: zeroUsage('scripted') };
  }

  async complete() {
    return { text: 'scripted answer', usage: zeroUsage('scripted') };
  }
}
