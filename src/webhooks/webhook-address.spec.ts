import { isPrivateAddress, resolvePublic, urlShapeProblem } from './webhook-address';

describe('webhook addresses', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('%s is private', (address) => expect(isPrivateAddress(address)).toBe(true));

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2a00:1450:4002:402::200e', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => expect(isPrivateAddress(address)).toBe(false),
  );

  it('refuses what is not an http(s) URL', () => {
    expect(urlShapeProblem('ftp://example.com/x')).toMatch(/^url must use http or https/);
    expect(urlShapeProblem('example.com/x')).toMatch(/^url must be an absolute/);
    expect(urlShapeProblem('https://user:pw@example.com/')).toMatch(/^url must not carry/);
    expect(urlShapeProblem('https://example.com/hooks')).toBeNull();
  });

  it('checks IP literals and resolved names, unless private addresses are allowed', async () => {
    await expect(resolvePublic('127.0.0.1', false)).rejects.toThrow(/private, loopback/);
    await expect(resolvePublic('localhost', false)).rejects.toThrow(/private, loopback/);
    await expect(resolvePublic('127.0.0.1', true)).resolves.toEqual([
      { address: '127.0.0.1', family: 4 },
    ]);
    await expect(resolvePublic('93.184.215.14', false)).resolves.toHaveLength(1);
  });
});
