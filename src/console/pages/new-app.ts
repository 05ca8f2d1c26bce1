import { html } from '../html.js';
import { csrfField, page } from './layout.js';

export interface NewAppValues {
  userId: string;
  prompt: string;
  name: string;
}

export const DEFAULT_USER = 'console';

/** The New app page: a prompt form; on submit the build page follows its stages. */
export function newAppPage(csrf: string, values: NewAppValues, error?: string): string {
  return page(
    { title: 'New app', section: 'new', csrf, error },
    html`<form class="card" method="post" action="/console/apps">
      ${csrfField(csrf)}
      <label for="prompt">Prompt <span class="hint">what the app should be</span></label>
      <textarea
        id="prompt"
        name="prompt"
        required
        maxlength="20000"
        placeholder="A landing page for a seaside coffee shop, in navy"
      >
${values.prompt}</textarea>
      <div class="grid">
        <div>
          <label for="name"
            >Name <span class="hint">optional; taken from the prompt otherwise</span></label
          >
          <input type="text" id="name" name="name" maxlength="200" value="${values.name}" />
        </div>
        <div>
          <label for="userId"
            >User id <span class="hint">who owns the project and is charged</span></label
          >
          <input
            type="text"
            id="userId"
            name="userId"
            required
            maxlength="128"
            value="${values.userId}"
          />
        </div>
      </div>
      <div class="actions"><button type="submit">Build app</button></div>
    </form>`,
  );
}
