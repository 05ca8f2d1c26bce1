import { rm } from 'node:fs/promises';
import path from 'node:path';
import { newId } from '../ids.js';
import type { AiEngine, EngineEvent, EngineUsage, Framework } from '../ai/engine.js';
import type { UsageRepository } from '../repositories/usage.repo.js';
import type { QuotaService } from './quota.service.js';
import { Workspace, type WorkspaceLimits } from '../workspace/workspace.js';

export interface GenerateInput {
  userId: string;
  prompt: string;
  framework?: Framework;
}

export interface GenerateResult {
  name: string;
  files: Array<{ path: string; bytes: number }>;
  usage: EngineUsage[];
}

/**
 * `POST /generate`: the engine plans and writes an app into a scratch workspace while its
 * events stream to the caller; nothing is built or kept. For trying prompts and engines.
 */
export class GenerateService {
  constructor(
    private readonly deps: {
      engine: AiEngine;
      usage: UsageRepository;
      quota: QuotaService;
      dataDir: string;
      workspaceLimits: Partial<WorkspaceLimits>;
    },
  ) {}

  /**
   * Reserves the request's estimated AI time; QUOTA_EXCEEDED (before any stream opens) when
   * the balance is short. Returns the reservation key `run` settles.
   */
  async admit(input: GenerateInput): Promise<string> {
    const key = `generate:${newId()}`;
    await this.deps.quota.reserveRequest(input.userId, key);
    return key;
  }

  async run(
    input: GenerateInput,
    emit: (event: EngineEvent) => void,
    signal: AbortSignal,
    reservation: string,
  ): Promise<GenerateResult> {
    const { engine } = this.deps;
    const id = newId().toLowerCase();
    const root = path.join(this.deps.dataDir, 'generate', id);
    const workspace = await Workspace.create(root, this.deps.workspaceLimits);
    const ctx = { signal, emit, workspaceRoot: workspace.root, projectId: `generate-${id}` };
    const usage: EngineUsage[] = [];
    const note = async (operation: string, u: EngineUsage) => {
      usage.push(u);
      await this.deps.usage.record({ userId: input.userId }, engine.name, operation, u);
    };
    try {
      const planned = await engine.plan(
        {
          kind: 'create',
          prompt: input.prompt,
          ...(input.framework ? { framework: input.framework } : {}),
        },
        ctx,
      );
      await note('plan', planned.usage);
      emit({ type: 'progress', message: planned.plan.summary, data: { plan: planned.plan } });
      const generated = await engine.generate(
        { prompt: input.prompt, plan: planned.plan, kind: 'create' },
        workspace.tools(),
        ctx,
      );
      await note('generate', generated.usage);
      const files = [];
      for (const file of await workspace.listFiles()) {
        files.push({ path: file, bytes: Buffer.byteLength(await workspace.readFile(file)) });
      }
      return { name: planned.plan.name, files, usage };
    } finally {
      const ms = usage.reduce((n, u) => n + u.durationMs, 0);
      await this.deps.quota.settleRequest(reservation, ms);
      await rm(root, { recursive: true, force: true });
    }
  }
}
