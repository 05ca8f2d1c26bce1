/** Task app: add, complete, filter and remove tasks; saved to localStorage. */
import { starterTasks } from '../content/tasks-data.js';
import type { KindPart, RenderContext } from '../render/context.js';
import { template, typeDeclarations } from '../templates.js';

export function renderTodo(ctx: RenderContext): KindPart {
  const { spec } = ctx;
  const { tags, tasks } = starterTasks(spec.topic, spec.items);
  return {
    components: [{ name: 'TaskBoard', source: template('todo/components/TaskBoard.tsx') }],
    files: [],
    types: typeDeclarations('todo'),
    data: [
      {
        name: 'taskBoard',
        type: 'TaskBoardData',
        value: {
          storageKey: 'tasks-' + spec.seed.toString(36),
          title: spec.subject ? 'Your ' + spec.subject + ' list' : 'Your list',
          allDone: 'All done. Nice work!',
          empty: 'Nothing here yet. Add your first task above.',
          tags,
          starter: tasks,
        },
      },
    ],
    css: template('todo/todo.css'),
    nav: [{ label: 'Tasks', href: '#tasks' }],
    hero: {
      compact: true,
      eyebrow: 'Stay on top of things',
      highlights: [],
      cta: null,
      secondary: null,
    },
  };
}
