import { jsonDepth, MAX_JSON_DEPTH, refuseDeepJson } from './json-depth';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('jsonDepth', () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['{"a":[1,{"b":[]}]}', 4],
    ['[[],[[]],[]]', 3],
    // Brackets inside strings, escaped quotes included, do not count.
    ['{"a":"[[[[{{{{"}', 1],
    ['{"a":"\\"[[[[","b":[1]}', 2],
  ])('%s is %i deep', (text, depth) => {
    expect(jsonDepth(bytes(text))).toBe(depth);
  });

  it('counts 10,000 levels without recursion, and stops past the limit', () => {
    const deep = `{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    expect(jsonDepth(bytes(deep))).toBe(10_001);
    expect(jsonDepth(bytes(deep), 40)).toBe(41);
  });
});

describe('refuseDeepJson', () => {
  it(`lets ${MAX_JSON_DEPTH} levels through and refuses one more as a 400`, () => {
    const at = (n: number) => bytes('['.repeat(n) + ']'.repeat(n));
    expect(() => refuseDeepJson(null, null, at(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => refuseDeepJson(null, null, at(MAX_JSON_DEPTH + 1))).toThrow(
      expect.objectContaining({ status: 400, type: 'entity.too.deep' }),
    );
  });
});
