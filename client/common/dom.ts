/** Typed look-ups for the elements a page's template promises. */

type Constructor<T extends Element> = abstract new (...args: never[]) => T;

/** The element with this id, of this class; throws when the template lacks it (a bug). */
export function byId<T extends HTMLElement = HTMLElement>(
  id: string,
  type: Constructor<T> = HTMLElement as unknown as Constructor<T>,
): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`#${id}: missing or not a ${type.name}`);
  return found;
}

/** The element with this id when the page has it (and it is of this class), else null. */
export function maybeById<T extends HTMLElement = HTMLElement>(
  id: string,
  type: Constructor<T> = HTMLElement as unknown as Constructor<T>,
): T | null {
  const found = document.getElementById(id);
  return found instanceof type ? found : null;
}

/** The first match under `root`; throws when the template lacks it. */
export function find<T extends Element = HTMLElement>(
  root: ParentNode,
  selector: string,
  type: Constructor<T> = HTMLElement as unknown as Constructor<T>,
): T {
  const found = root.querySelector(selector);
  if (!(found instanceof type)) throw new Error(`${selector}: missing or not a ${type.name}`);
  return found;
}

/** Every match under `root` of this class. */
export function findAll<T extends Element = HTMLElement>(
  root: ParentNode,
  selector: string,
  type: Constructor<T> = HTMLElement as unknown as Constructor<T>,
): T[] {
  return Array.from(root.querySelectorAll(selector)).filter((el): el is T => el instanceof type);
}

/** A new element with a class and a text. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string | null,
  text?: string | number | null,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined && text !== null) el.textContent = String(text);
  return el;
}

/** The element an event happened on, when it is an element. */
export function targetOf(event: Event): HTMLElement | null {
  return event.target instanceof HTMLElement ? event.target : null;
}

/** Runs `fn`, ignoring a browser that refuses local storage. */
export function tryStorage<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
