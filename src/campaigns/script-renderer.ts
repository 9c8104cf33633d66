import Handlebars from 'handlebars';

/** What a script may say about the person on the phone: `{{contact.firstName}}`, `{{contact.fields.X}}`. */
export interface ScriptContact {
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  email?: string | null;
  city?: string | null;
  province?: string | null;
  language?: string | null;
  /** The extra columns of the imported list. */
  fields?: Record<string, string> | null;
}

export interface ScriptContext {
  contact: ScriptContact;
  /** The operator reading the script: `{{operator.name}}`. */
  operator?: { name: string };
  /**
   * Further roots a text may name, each a set of texts: a follow-up e-mail's outcome facts
   * (`{{contract.protocolNumber}}`, `{{appointment.at}}`). What may be named is the caller's
   * check (follow-up-template-check.ts); workflow scripts pass none.
   */
  more?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The contact a script is previewed with (the admin sees "Buongiorno Mario"). */
export const SAMPLE_CONTACT: Readonly<ScriptContact> = Object.freeze({
  firstName: 'Mario',
  lastName: 'Rossi',
  phone: '+393331234567',
  email: 'mario.rossi@example.com',
  city: 'Milano',
  province: 'MI',
  language: 'it',
  fields: {},
});

/** The placeholders the workflow editor lists for admins. */
export const SCRIPT_PLACEHOLDERS = [
  '{{contact.firstName}}',
  '{{contact.lastName}}',
  '{{contact.city}}',
  '{{contact.province}}',
  '{{contact.phone}}',
  '{{contact.email}}',
  '{{contact.fields.column}}',
  '{{operator.name}}',
] as const;

/** A script that is not a template we accept; `detail` says where and why. */
export class ScriptSyntaxError extends Error {
  constructor(readonly detail: string) {
    super(detail);
  }
}

const BLOCK_HELPERS = ['if', 'unless'];
const CACHE_LIMIT = 500;

type Mode = 'html' | 'text';
type CompiledScript = (context: unknown) => string;

/**
 * Renders workflow scripts. A separate handlebars instance that knows only `if`/`unless`:
 * placeholders are always escaped, and triple-stash, partials, helpers, `@data` and `../`
 * are refused when the script is checked, so an admin's script (or a contact's imported
 * fields) can never put markup into an operator's page.
 */
export class ScriptRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly cache = new Map<string, CompiledScript>();

  constructor() {
    for (const name of Object.keys(this.handlebars.helpers)) {
      if (![...BLOCK_HELPERS, 'helperMissing', 'blockHelperMissing'].includes(name))
        this.handlebars.unregisterHelper(name);
    }
  }

  /** Throws ScriptSyntaxError when the body does not parse or uses what scripts may not. */
  check(body: string): void {
    this.compile(body, 'html');
  }

  /** HTML-safe: the script's own text and every value are escaped, line breaks become <br> (show it with `white-space: pre-wrap` to keep runs of spaces). */
  renderHtml(body: string, context: ScriptContext): string {
    return this.compile(body, 'html')(toTemplateData(context));
  }

  /** Plain text, for a template that escapes it itself (shown with `white-space: pre-wrap`). */
  renderText(body: string, context: ScriptContext): string {
    return this.compile(body, 'text')(toTemplateData(context));
  }

  private compile(body: string, mode: Mode): CompiledScript {
    const source = body.replace(/\r\n?/g, '\n');
    const key = `${mode}:${source}`;
    const cached = this.cache.get(key);
    if (cached) return cached;

    let program: hbs.AST.Program;
    try {
      program = this.handlebars.parse(source);
    } catch (error) {
      throw new ScriptSyntaxError(parseErrorDetail(error));
    }
    checkProgram(program, mode);
    const template = this.handlebars.compile(program, {
      // Everything but if/unless is unknown, so `{{log}}` is a lookup that finds nothing.
      knownHelpers: { if: true, unless: true, each: false, with: false, log: false, lookup: false },
      knownHelpersOnly: true,
      noEscape: mode === 'text',
      strict: false,
    }) as CompiledScript;
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(key, template);
    return template;
  }
}

/**
 * Handlebars' message on one line, without its list of expected tokens:
 * "Parse error on line 1:\nHello {{#if}\n---------^\nExpecting 'ID', ..., got 'INVALID'".
 */
function parseErrorDetail(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n');
  const got = /got '([^']+)'/.exec(message)?.[1];
  if (lines.length >= 2 && got) {
    const head = (lines[0] ?? '').trim().replace(/:$/, '');
    const unexpected =
      got === 'EOF' ? 'the script ends inside a block or placeholder' : `unexpected ${got}`;
    return `${head}: ${unexpected} near "${(lines[1] ?? '').trim().slice(-60)}"`;
  }
  return (lines[0] ?? message).trim().slice(0, 300);
}

function where(node: hbs.AST.Node): string {
  return node.loc?.start ? `line ${node.loc.start.line}: ` : '';
}

function checkPath(expression: hbs.AST.Expression, node: hbs.AST.Node): void {
  if (expression.type !== 'PathExpression') {
    throw new ScriptSyntaxError(
      `${where(node)}only placeholders such as {{contact.firstName}} are allowed`,
    );
  }
  const path = expression as hbs.AST.PathExpression;
  if (path.data || path.depth > 0 || path.parts.length === 0) {
    throw new ScriptSyntaxError(
      `${where(node)}{{${path.original}}} is not a placeholder: write a field such as {{contact.firstName}}`,
    );
  }
}

/** Walks the template, refusing what scripts may not do; escapes the text of HTML scripts. */
function checkProgram(program: hbs.AST.Program | undefined, mode: Mode): void {
  if (!program) return;
  for (const node of program.body) {
    switch (node.type) {
      case 'ContentStatement': {
        if (mode === 'html') {
          const content = node as hbs.AST.ContentStatement;
          content.value = Handlebars.escapeExpression(content.value).replace(/\n/g, '<br>');
        }
        break;
      }
      case 'CommentStatement':
        break;
      case 'MustacheStatement': {
        const mustache = node as hbs.AST.MustacheStatement;
        if (!mustache.escaped) {
          throw new ScriptSyntaxError(
            `${where(node)}{{{ }}} and {{& }} are not allowed: placeholders are always escaped`,
          );
        }
        checkPath(mustache.path, node);
        if (mustache.params.length > 0 || (mustache.hash?.pairs.length ?? 0) > 0) {
          throw new ScriptSyntaxError(
            `${where(node)}helpers are not allowed: write a placeholder such as {{contact.firstName}}`,
          );
        }
        break;
      }
      case 'BlockStatement': {
        const block = node as hbs.AST.BlockStatement;
        const name = block.path.original;
        if (
          !BLOCK_HELPERS.includes(name) ||
          block.params.length !== 1 ||
          (block.hash?.pairs.length ?? 0) > 0 ||
          (block.program?.blockParams?.length ?? 0) > 0
        ) {
          throw new ScriptSyntaxError(
            `${where(node)}only {{#if field}} and {{#unless field}} blocks are allowed`,
          );
        }
        checkPath(block.params[0] as hbs.AST.Expression, node);
        checkProgram(block.program, mode);
        checkProgram(block.inverse, mode);
        break;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
        throw new ScriptSyntaxError(`${where(node)}partials ({{> }}) are not allowed`);
      default:
        throw new ScriptSyntaxError(`${where(node)}${node.type} is not allowed in a script`);
    }
  }
}

/** Null-prototype objects: `{{contact.constructor}}` finds nothing instead of a function. */
function bag(values: Record<string, unknown>): Record<string, unknown> {
  const result = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string' || typeof value === 'number') result[key] = String(value);
  }
  return result;
}

function toTemplateData(context: ScriptContext): Record<string, unknown> {
  const { fields, ...contact } = context.contact;
  const contactData = bag(contact);
  contactData.fields = bag(fields ?? {});
  const data = Object.create(null) as Record<string, unknown>;
  data.contact = contactData;
  data.operator = bag(context.operator ?? {});
  for (const [root, values] of Object.entries(context.more ?? {})) {
    if (root !== 'contact' && root !== 'operator') data[root] = bag(values);
  }
  return data;
}

/** Fields of a contact a workflow's text may name (with `contact.fields.<column>`). */
const CONTACT_FIELDS = new Set([
  'firstName',
  'lastName',
  'city',
  'province',
  'phone',
  'email',
  'language',
]);

/** Whether a placeholder's path names something the card can fill in. */
export function isKnownPlaceholder(path: string): boolean {
  const [root, field, ...rest] = path.split('.');
  if (root === 'operator') return field === 'name' && rest.length === 0;
  if (root !== 'contact' || field === undefined) return false;
  if (field === 'fields') return rest.length === 1 && rest[0] !== '';
  return CONTACT_FIELDS.has(field) && rest.length === 0;
}

/**
 * The first placeholder of a text (already checked by `ScriptRenderer.check`) that names
 * nothing a contact or operator has, e.g. `{{contact.citta}}`, or null: a misspelt one
 * would otherwise be read aloud as an empty gap.
 */
export function firstUnknownPlaceholder(body: string): string | null {
  const program = Handlebars.parse(body.replace(/\r\n?/g, '\n'));
  const paths: string[] = [];
  const visit = (node: hbs.AST.Node | undefined): void => {
    if (!node) return;
    if (node.type === 'MustacheStatement' || node.type === 'BlockStatement') {
      const statement = node as hbs.AST.MustacheStatement | hbs.AST.BlockStatement;
      for (const expression of [statement.path, ...statement.params]) {
        if (expression.type === 'PathExpression') {
          const original = (expression as hbs.AST.PathExpression).original;
          if (!BLOCK_HELPERS.includes(original)) paths.push(original);
        }
      }
      if (node.type === 'BlockStatement') {
        const block = node as hbs.AST.BlockStatement;
        for (const child of block.program?.body ?? []) visit(child);
        for (const child of block.inverse?.body ?? []) visit(child);
      }
    }
  };
  for (const node of program.body) visit(node);
  return paths.find((path) => !isKnownPlaceholder(path)) ?? null;
}
