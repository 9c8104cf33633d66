import { ScriptRenderer } from '../campaigns/script-renderer';
import { ValidationError } from '../common/errors/domain-errors';
import { checkFollowUpTemplate } from './follow-up-template-check';

describe('checkFollowUpTemplate', () => {
  const renderer = new ScriptRenderer();
  const refusal = (text: string): string => {
    try {
      checkFollowUpTemplate(renderer, 'body', text);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  it('accepts contact and operator placeholders, extra fields and if blocks', () => {
    expect(() =>
      checkFollowUpTemplate(
        renderer,
        'body',
        'Gentile {{contact.firstName}},\n{{#if contact.fields.codice}}codice {{contact.fields.codice}}{{/if}}\n{{operator.name}}',
      ),
    ).not.toThrow();
  });

  it('names the line of an unknown placeholder', () => {
    expect(refusal('Gentile\n\n{{contact.nmae}}')).toMatch(
      /^body: line 3: \{\{contact\.nmae\}\} is not a placeholder/,
    );
    expect(refusal('{{#if contact.vip}}x{{/if}}')).toMatch(/line 1: \{\{contact\.vip\}\}/);
  });

  it('names the line of a template that does not compile', () => {
    expect(refusal('riga uno\nriga {{#if contact.firstName}} due')).toMatch(
      /^body: Parse error on line 2/,
    );
    expect(refusal('{{{contact.firstName}}}')).toMatch(/^body: line 1: \{\{\{ \}\}\}/);
  });
});
