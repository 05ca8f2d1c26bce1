import {
  zeroUsage,
  type AiEngine,
  type BuildPlan,
  type EngineUsage,
  type PlanInput,
  type WorkspaceTools,
} from '../../src/ai/engine.js';

export interface ScriptedFix {
  files: Record<string, string>;
  usage?: Partial<EngineUsage>;
}

/**
 * A test-only engine that writes exactly the files it is given: it lets tests put any project
 * (including hostile or broken ones) through the real pipeline. Each `fix` call applies the
 * next scripted fix, or changes nothing once they run out.
 */
export class ScriptedEngine implements AiEngine {
  readonly name = 'scripted';
  readonly frameworks = ['react', 'static'] as const;
  fixCalls = 0;
  /** Calls of plan, generate and fix so far (a refused build must make none). */
  calls = 0;
  /** Usage `generate` reports (AI time, tokens), for metering tests. */
  generateUsage: Partial<EngineUsage> = {};

  constructor(
    /** The project written by `generate`; tests may swap it between builds. */
    public files: Record<string, string>,
    private readonly fixes: ScriptedFix[] = [],
  ) {}

  async plan(input: PlanInput): Promise<{ plan: BuildPlan; usage: EngineUsage }> {
    this.calls += 1;
    return {
      plan: {
        framework: 'static',
        // Keeps the name it is given, as the real engines do.
        name: input.name ?? 'Scripted',
        summary: 'Write the scripted files.',
        files: Object.keys(this.files),
        tasks: ['write files'],
        meta: {},
      },
      usage: zeroUsage('scripted'),
    };
  }

  async generate(_input: unknown, tools: WorkspaceTools) {
    this.calls += 1;
    for (const [file, content] of Object.entries(this.files)) await tools.writeFile(file, content);
    return {
      summary: `Wrote ${Object.keys(this.files).length} files.`,
      usage: { ...zeroUsage('scripted'), ...this.generateUsage },
    };
  }

  async fix(_failure: unknown, tools: WorkspaceTools) {
    const next = this.fixes[this.fixCalls];
    this.fixCalls += 1;
    this.calls += 1;
    if (!next) return { changed: [], usage: zeroUsage('scripted') };
    for (const [file, content] of Object.entries(next.files)) await tools.writeFile(file, content);
    return { changed: Object.keys(next.files), usage: { ...zeroUsage('scripted'), ...next.usage } };
  }

  async complete() {
    return { text: 'scripted answer', usage: zeroUsage('scripted') };
  }
}
