// The form's fields for the chosen action, built from its input schema, and their errors: the
// page's own (a number it cannot read, JSON that does not parse) and the server's 422.
import type { FieldErrors, JsonSchema } from '../protocol/index.js';
import { createControl, createWholeInputBox, type FieldControl } from './form-controls.js';
import { buildInput, parseWholeInput, type InputResult, type RawValue } from './form-input.js';
import { formFields, type FormField } from './schema-fields.js';

export class SchemaForm {
  readonly #container: HTMLElement;
  readonly #formError: HTMLElement;
  #fields: FormField[] | undefined;
  #controls: FieldControl[] = [];
  #action: string | undefined;
  /** What was typed for each action, so switching actions and back loses nothing. */
  readonly #typed = new Map<string, Map<string, RawValue>>();

  constructor(container: HTMLElement, formError: HTMLElement) {
    this.#container = container;
    this.#formError = formError;
  }

  /**
   * Shows the fields of `action`'s input schema; a schema without fields (or none at all: no
   * manifest) gets one JSON box for the whole input, `why` saying why.
   */
  render(action: string, schema: JsonSchema | undefined, why = 'This action declares no fields: type its whole input as JSON.'): void {
    this.#keepTyped();
    this.#action = action;
    this.#fields = formFields(schema);
    const ids = new Set<string>();
    this.#controls = this.#fields
      ? this.#fields.map((field) => createControl(field, this.#uniqueId(`field-${field.name}`, ids)))
      : [createWholeInputBox('field-input-json', why)];
    const typed = this.#typed.get(action);
    for (const control of this.#controls) {
      const value = typed?.get(control.key);
      if (value) control.write(value);
    }
    this.#container.replaceChildren(...this.#controls.map((c) => c.wrapper));
    this.clearErrors();
  }

  /** The input to send, or the fields the page cannot send as they are. */
  read(): InputResult {
    if (!this.#fields) return parseWholeInput(this.#controls[0]?.read().text ?? '');
    const byKey = new Map(this.#controls.map((c) => [c.key, c]));
    return buildInput(this.#fields, (name) => byKey.get(name)?.read());
  }

  /**
   * Shows each message next to its field; messages for anything else (the input as a whole,
   * or a field the form lacks) go under the form. Returns the first field to fix, to focus it.
   */
  showErrors(errors: FieldErrors, fallbackMessage: string): HTMLElement | undefined {
    this.clearErrors();
    const general: string[] = [];
    const noted = new Map<FieldControl, string[]>();
    for (const [path, messages] of Object.entries(errors)) {
      const control = this.#controlFor(path);
      if (!control) {
        general.push(path ? `${path}: ${messages.join(' ')}` : messages.join(' '));
        continue;
      }
      // The whole-input box and nested paths (`tags.0`) say which part each message is about.
      const prefix = path && path !== control.key ? `${control.key ? path.slice(control.key.length + 1) : path}: ` : '';
      noted.set(control, [...(noted.get(control) ?? []), ...messages.map((m) => prefix + m)]);
    }
    // In the form's order, so the first one noted is the first one a person meets.
    let first: HTMLElement | undefined;
    for (const control of this.#controls) {
      const messages = noted.get(control);
      if (!messages) continue;
      control.note.textContent = messages.join(' ');
      control.note.hidden = false;
      control.control.setAttribute('aria-invalid', 'true');
      first ??= control.control;
    }
    if (general.length > 0 || !first) this.showFormError(general.length > 0 ? general.join('\n') : fallbackMessage);
    return first;
  }

  showFormError(message: string): void {
    this.#formError.textContent = message;
    this.#formError.hidden = false;
  }

  clearErrors(): void {
    for (const control of this.#controls) {
      control.control.removeAttribute('aria-invalid');
      control.note.textContent = '';
      control.note.hidden = true;
    }
    this.#formError.textContent = '';
    this.#formError.hidden = true;
  }

  #controlFor(path: string): FieldControl | undefined {
    if (!this.#fields) return this.#controls[0];
    // `steps` and `steps.0` both belong to the steps field; a name with dots of its own is
    // matched whole first.
    return this.#controls.find((c) => c.key === path) ?? this.#controls.find((c) => path.startsWith(`${c.key}.`));
  }

  /** Ids come from field names, which may hold anything: spaces are not allowed, repeats are numbered. */
  #uniqueId(wanted: string, taken: Set<string>): string {
    const base = wanted.replace(/\s+/g, '_');
    // The fields being replaced still hold their ids; anything else on the page keeps its own.
    const elsewhere = (id: string) => {
      const found = document.getElementById(id);
      return found !== null && !this.#container.contains(found);
    };
    let id = base;
    for (let n = 2; taken.has(id) || elsewhere(id); n++) id = `${base}-${n}`;
    taken.add(id);
    return id;
  }

  #keepTyped(): void {
    if (this.#action === undefined) return;
    this.#typed.set(this.#action, new Map(this.#controls.map((c) => [c.key, c.read()])));
  }
}
