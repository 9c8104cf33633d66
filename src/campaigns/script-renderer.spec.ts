import { SAMPLE_CONTACT, ScriptRenderer, ScriptSyntaxError } from './script-renderer';

describe('ScriptRenderer', () => {
  const renderer = new ScriptRenderer();
  const mario = {
    contact: { ...SAMPLE_CONTACT, fields: { 'codice cliente': 'A-17', zona: 'Nord' } },
  };

  it('fills contact placeholders, extra fields and the operator', () => {
    const html = renderer.renderHtml(
      'Buongiorno {{contact.firstName}} {{contact.lastName}} di {{contact.city}} ({{contact.province}}), ' +
        'codice {{contact.fields.[codice cliente]}}, zona {{contact.fields.zona}}. Sono {{operator.name}}.',
      { ...mario, operator: { name: 'Olga' } },
    );
    expect(html).toBe('Buongiorno Mario Rossi di Milano (MI), codice A-17, zona Nord. Sono Olga.');
  });

  it('escapes values and the script text itself, and turns line breaks into <br>', () => {
    const html = renderer.renderHtml('<b>Ciao</b> {{contact.firstName}}\r\nriga & due', {
      contact: { firstName: '<script>alert("x")</script>' },
    });
    expect(html).toBe(
      '&lt;b&gt;Ciao&lt;/b&gt; &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>riga &amp; due',
    );
    expect(html).not.toContain('<script');
  });

  it('gives plain text for templates that escape it themselves', () => {
    expect(
      renderer.renderText('Ciao {{contact.firstName}}\n<b>', { contact: { firstName: 'A&B' } }),
    ).toBe('Ciao A&B\n<b>');
  });

  it('renders unknown placeholders, prototype names and helper names as nothing', () => {
    expect(
      renderer.renderHtml(
        '[{{contact.nickname}}][{{contact.fields.missing}}][{{nothing.here}}][{{contact.constructor}}]' +
          '[{{constructor}}][{{contact.__proto__}}][{{log}}][{{lookup}}][{{each}}]',
        mario,
      ),
    ).toBe('[][][][][][][][][]');
  });

  it('allows if/unless/else blocks on a field', () => {
    const script =
      '{{#if contact.city}}di {{contact.city}}{{else}}senza città{{/if}}{{#unless contact.email}}, niente e-mail{{/unless}}';
    expect(renderer.renderHtml(script, mario)).toBe('di Milano');
    expect(renderer.renderHtml(script, { contact: {} })).toBe('senza città, niente e-mail');
  });

  it.each([
    [
      'triple-stash',
      'Ciao {{{contact.firstName}}}',
      /\{\{\{ \}\}\} and \{\{& \}\} are not allowed/,
    ],
    [
      'ampersand',
      'Ciao {{& contact.firstName}}',
      /are not allowed: placeholders are always escaped/,
    ],
    ['a partial', '{{> header}}', /partials/],
    ['a helper call', '{{lookup contact "firstName"}}', /helpers are not allowed/],
    ['a hash', '{{contact.firstName x=1}}', /helpers are not allowed/],
    ['each', '{{#each contact}}x{{/each}}', /only \{\{#if field\}\} and \{\{#unless field\}\}/],
    ['@root', '{{@root.contact.firstName}}', /is not a placeholder/],
    ['a parent path', '{{../contact}}', /is not a placeholder/],
    ['this', '{{this}}', /is not a placeholder/],
    ['an inline partial', '{{#*inline "x"}}y{{/inline}}', /not allowed/],
    ['a literal', '{{"text"}}', /only placeholders/],
  ])('refuses %s', (_name, script, message) => {
    expect(() => renderer.check(script)).toThrow(ScriptSyntaxError);
    expect(() => renderer.renderHtml(script, mario)).toThrow(message);
  });

  it('reports parse errors with the line, on one line', () => {
    let error: unknown;
    try {
      renderer.check('Buongiorno\n{{#if contact.city}');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScriptSyntaxError);
    expect((error as ScriptSyntaxError).detail).toMatch(/^Parse error on line 2: unexpected /);
    expect((error as ScriptSyntaxError).detail).not.toContain('\n');
    expect(() => renderer.check('{{#if contact.city}}aperto')).toThrow(
      /ends inside a block or placeholder/,
    );
  });

  it('says where a refused construct is', () => {
    expect(() => renderer.check('uno\ndue\n{{{contact.firstName}}}')).toThrow(/^line 3: /);
  });

  it('does not leak one escaping mode into the other through its cache', () => {
    const script = '<i>{{contact.firstName}}</i>';
    const context = { contact: { firstName: '<b>' } };
    expect(renderer.renderText(script, context)).toBe('<i><b></i>');
    expect(renderer.renderHtml(script, context)).toBe('&lt;i&gt;&lt;b&gt;&lt;/i&gt;');
    expect(renderer.renderText(script, context)).toBe('<i><b></i>');
  });
});
