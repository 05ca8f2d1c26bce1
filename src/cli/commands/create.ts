import { detachOption, watchAccepted, type AcceptedBuild } from './build-view.js';
import { UsageError, type Command } from './shared.js';

export const create: Command = {
  name: 'create',
  summary: 'build a new app from a prompt and follow it until it is live',
  usage: ['create "<prompt>" [--name NAME] [--framework react] [--detach]'],
  options: {
    name: { type: 'string', value: 'NAME', description: 'project name' },
    framework: {
      type: 'string',
      value: 'NAME',
      description: 'react, nextjs, vue, svelte or static (the offline engine builds react)',
    },
    detach: detachOption,
  },
  details: 'Exits 0 when the build succeeds, 1 when it fails or is cancelled.',
  async run(ctx, { values, positionals }) {
    const prompt = positionals.join(' ').trim();
    if (!prompt)
      throw new UsageError('create needs a prompt: sheen create "A landing page for a bakery"');
    const client = await ctx.client();
    const accepted = await client.json<AcceptedBuild>(
      'POST',
      '/v1/create-preview-for-new-project',
      {
        userId: ctx.userId,
        prompt,
        ...(typeof values.name === 'string' ? { name: values.name } : {}),
        ...(typeof values.framework === 'string' ? { framework: values.framework } : {}),
      },
    );
    return watchAccepted(ctx, client, accepted, values.detach === true);
  },
};
