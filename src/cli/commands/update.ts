import { detachOption, watchAccepted, type AcceptedBuild } from './build-view.js';
import { enc, need, UsageError, type Command } from './shared.js';

export const update: Command = {
  name: 'update',
  summary: "change an app with a prompt: a new version built from the latest one's files",
  usage: ['update <projectId> "<prompt>" [--detach]'],
  options: {
    detach: detachOption,
  },
  details: 'Exits 0 when the build succeeds, 1 when it fails or is cancelled.',
  async run(ctx, { values, positionals }) {
    const [projectArg, ...words] = positionals;
    const projectId = need(projectArg, 'project id: sheen update <projectId> "<prompt>"');
    const prompt = words.join(' ').trim();
    if (!prompt)
      throw new UsageError('update needs a prompt: sheen update <projectId> "Make it dark blue"');
    const client = await ctx.client();
    const accepted = await client.json<AcceptedBuild>(
      'POST',
      `/v1/projects/${enc(projectId)}/update`,
      { userId: ctx.userId, prompt },
    );
    return watchAccepted(ctx, client, accepted, values.detach === true);
  },
};
