// The action picker: task.process and demo.fail out of the box, then whatever the server's
// manifest lists (a user's own actions too). Fields the chosen action does not take are
// disabled, so what the form sends is what the action reads.
import { ActionError, type Client, type ManifestAction } from '../client/index.js';
import type { PageElements } from './page-elements.js';
import { acceptedFields } from './run-input.js';

export interface PickedAction {
  name: string;
  /** The input properties the action declares; undefined when its schema does not say. */
  accepted?: Set<string>;
}

export class ActionPicker {
  readonly #el: PageElements;
  readonly #known = new Map<string, ManifestAction>();

  constructor(elements: PageElements) {
    this.#el = elements;
    elements.action.addEventListener('change', () => this.#update());
    this.#update();
  }

  /**
   * Fills the picker from the server's manifest. A failure is shown, and the defaults stay;
   * it is also returned, for the page to say more when it knows more (a missing token).
   */
  async load(client: Client): Promise<unknown> {
    try {
      const manifest = await client.manifest();
      const chosen = this.#el.action.value;
      this.#known.clear();
      for (const action of manifest.actions) this.#known.set(action.name, action);
      const options = manifest.actions.map(({ name }) => new Option(name, name, false, name === chosen));
      if (options.length > 0) this.#el.action.replaceChildren(...options);
    } catch (err) {
      // The server's 401 message is advice for scripts (headers, pkt run); the page's status
      // line says what a person here should do instead.
      const message =
        err instanceof ActionError && err.status === 401 ? 'no token, see the status line' : err instanceof Error ? err.message : String(err);
      this.#el.actionDescription.textContent = `Could not list the server's actions (${message}); the defaults are shown.`;
      console.error('pkt: reading the manifest failed', err);
      return err;
    }
    this.#update();
    return undefined;
  }

  current(): PickedAction {
    const name = this.#el.action.value;
    const accepted = acceptedFields(this.#known.get(name)?.input);
    return accepted ? { name, accepted } : { name };
  }

  #update(): void {
    const { name, accepted } = this.current();
    const action = this.#known.get(name);
    const takes = accepted ? ` Takes: ${[...accepted].join(', ') || 'nothing'}.` : '';
    const once = action && !action.streams ? ' Answers once, without events.' : '';
    this.#el.actionDescription.textContent = action ? `${action.description}${takes}${once}`.trim() : '';
    for (const [key, field] of Object.entries(this.#el.fields)) field.disabled = accepted ? !accepted.has(key) : false;
  }
}
