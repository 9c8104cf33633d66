import Handlebars from 'handlebars';
import { ValidationError } from '../common/errors/domain-errors';
import { ScriptRenderer, ScriptSyntaxError } from '../campaigns/script-renderer';

/**
 * What a follow-up e-mail may say; `{{contact.fields.X}}` reads any column of the list. The
 * callback, appointment and contract placeholders are the outcome's (empty otherwise).
 */
export const FOLLOW_UP_PLACEHOLDERS = [
  'contact.firstName',
  'contact.lastName',
  'contact.phone',
  'contact.email',
  'contact.city',
  'contact.province',
  'contact.language',
  'contact.callReason',
  'operator.name',
  'callback.at',
  'appointment.at',
  'appointment.agent',
  'contract.protocolNumber',
  'contract.total',
] as const;

const KNOWN = new Set<string>(FOLLOW_UP_PLACEHOLDERS);

/** The placeholder a path names ('contact.fields.*' for any extra field), or null. */
function known(path: hbs.AST.PathExpression): boolean {
  const parts = path.parts;
  if (parts.length === 3 && parts[0] === 'contact' && parts[1] === 'fields') return true;
  return KNOWN.has(parts.join('.'));
}

function line(node: hbs.AST.Node): string {
  return node.loc?.start ? `line ${node.loc.start.line}: ` : '';
}

function walk(program: hbs.AST.Program | undefined, field: string): void {
  for (const node of program?.body ?? []) {
    const paths: hbs.AST.Expression[] = [];
    if (node.type === 'MustacheStatement') paths.push((node as hbs.AST.MustacheStatement).path);
    if (node.type === 'BlockStatement') {
      const block = node as hbs.AST.BlockStatement;
      paths.push(...block.params);
      walk(block.program, field);
      walk(block.inverse, field);
    }
    for (const expression of paths) {
      if (expression.type !== 'PathExpression') continue;
      const path = expression as hbs.AST.PathExpression;
      if (!known(path)) {
        throw new ValidationError(
          field,
          `${field}: ${line(node)}{{${path.original}}} is not a placeholder; use ${FOLLOW_UP_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')} or {{contact.fields.column}}`,
        );
      }
    }
  }
}

/**
 * Refuses, naming the field and the line, a subject or body that does not compile as a
 * script (ScriptRenderer's rules: escaped placeholders, if/unless only) or that names a
 * placeholder the e-mail cannot fill.
 */
export function checkFollowUpTemplate(renderer: ScriptRenderer, field: string, text: string): void {
  try {
    renderer.check(text);
  } catch (error) {
    if (error instanceof ScriptSyntaxError) {
      throw new ValidationError(field, `${field}: ${error.detail}`);
    }
    throw error;
  }
  walk(Handlebars.parse(text.replace(/\r\n?/g, '\n')), field);
}
