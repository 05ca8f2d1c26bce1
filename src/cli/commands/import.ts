import path from 'node:path';
import { packProject } from '../pack-project.js';
import { detachOption, watchAccepted, type AcceptedBuild } from './build-view.js';
import { UsageError, noMore, type Command } from './shared.js';

export const importProject: Command = {
  name: 'import',
  summary: 'send a local project folder to become a new app, and follow its build',
  usage: ['import <folder> [--name NAME] [--detach]'],
  options: {
    name: { type: 'string', value: 'NAME', description: 'project name (default: the folder name)' },
    detach: detachOption,
  },
  details:
    'Packs the folder as a .tar.gz, leaving out node_modules, .git and what its .gitignore ignores, and sends it to POST /v1/projects/import. The files become version 1 of a new project; `sheen update` changes it later. Exits 0 when the build succeeds, 1 when it fails.',
  async run(ctx, args) {
    const folder = args.positionals[0];
    if (!folder) throw new UsageError('import needs a folder: sheen import ./my-app');
    noMore(args, 1, 'import');
    const packed = await packProject(folder).catch((err: Error) => {
      throw new UsageError(`cannot pack ${folder}: ${err.message}`);
    });
    const name = typeof args.values.name === 'string' ? args.values.name : undefined;
    const form = new FormData();
    form.set('userId', ctx.userId);
    if (name) form.set('name', name);
    const fileName = `${path.basename(path.resolve(folder)) || 'project'}.tar.gz`;
    form.set('file', new Blob([packed.bytes], { type: 'application/gzip' }), fileName);
    const client = await ctx.client();
    const accepted = await client.postForm<AcceptedBuild>('/v1/projects/import', form);
    return watchAccepted(ctx, client, accepted, args.values.detach === true);
  },
};
