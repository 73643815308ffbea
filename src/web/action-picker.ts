// The action picker: task.process and demo.fail out of the box, then whatever the server's
// manifest lists (a user's own actions too). Choosing an action builds the form from its
// input schema, so every action's fields can be entered.
import { ActionError, type Client, type ManifestAction } from '../client/index.js';
import type { PageElements } from './page-elements.js';
import type { SchemaForm } from './schema-form.js';

const NO_MANIFEST = 'The server listed no actions, so this action’s fields are unknown: type its whole input as JSON.';

export class ActionPicker {
  readonly #el: PageElements;
  readonly #form: SchemaForm;
  readonly #known = new Map<string, ManifestAction>();
  #loaded = false;

  constructor(elements: PageElements, form: SchemaForm) {
    this.#el = elements;
    this.#form = form;
    elements.action.addEventListener('change', () => this.#update());
  }

  /**
   * Fills the picker from the server's manifest and builds the form. A failure is shown, the
   * defaults stay and the form is one JSON box; the failure is also returned, for the page to
   * say more when it knows more (a missing token).
   */
  async load(client: Client): Promise<unknown> {
    let failure: unknown;
    try {
      const manifest = await client.manifest();
      const chosen = this.#el.action.value;
      this.#known.clear();
      for (const action of manifest.actions) this.#known.set(action.name, action);
      const options = manifest.actions.map(({ name }) => new Option(name, name, false, name === chosen));
      if (options.length > 0) this.#el.action.replaceChildren(...options);
    } catch (err) {
      failure = err;
      console.error('pkt: reading the manifest failed', err);
    }
    this.#loaded = true;
    this.#update();
    if (failure !== undefined) {
      // The server's 401 message is advice for scripts (headers, pkt run); the page's status
      // line says what a person here should do instead.
      const message =
        failure instanceof ActionError && failure.status === 401
          ? 'no token, see the status line'
          : failure instanceof Error
            ? failure.message
            : String(failure);
      this.#el.actionDescription.textContent = `Could not list the server's actions (${message}); the defaults are shown.`;
    }
    return failure;
  }

  /** The chosen action's name. */
  current(): string {
    return this.#el.action.value;
  }

  #update(): void {
    if (!this.#loaded) return;
    const name = this.current();
    const action = this.#known.get(name);
    const once = action && !action.streams ? ' Answers once, without events.' : '';
    this.#el.actionDescription.textContent = action ? `${action.description}${once}`.trim() : '';
    this.#form.render(name, action?.input, action ? undefined : NO_MANIFEST);
  }
}
