import { splitDatabaseUrl } from './failover-pool';
import { resolveCausalReads } from './mysql-flavour';

describe('splitDatabaseUrl', () => {
  it('reads the hosts of a cluster in order, and keeps the first in the URL', () => {
    expect(splitDatabaseUrl('mysql://u:p@db1:3311,db2:3312,db3/esito?ssl=1')).toEqual({
      url: 'mysql://u:p@db1:3311/esito?ssl=1',
      hosts: [
        { host: 'db1', port: 3311 },
        { host: 'db2', port: 3312 },
        { host: 'db3', port: 3306 },
      ],
    });
  });

  it('leaves a one-host URL as it is', () => {
    expect(splitDatabaseUrl('mysql://u:p@127.0.0.1:3306/esito')).toEqual({
      url: 'mysql://u:p@127.0.0.1:3306/esito',
      hosts: [{ host: '127.0.0.1', port: 3306 }],
    });
  });
});

describe('resolveCausalReads', () => {
  const galera = { flavour: 'mariadb' as const, galera: true };
  const mariadb = { flavour: 'mariadb' as const, galera: false };
  const mysql = { flavour: 'mysql' as const, galera: false };

  it('auto: on for a Galera node only', () => {
    expect(resolveCausalReads('auto', galera)).toBe(true);
    expect(resolveCausalReads('auto', mariadb)).toBe(false);
    expect(resolveCausalReads('auto', mysql)).toBe(false);
  });

  it('on insists (MariaDB only), off never', () => {
    expect(resolveCausalReads('on', mariadb)).toBe(true);
    expect(() => resolveCausalReads('on', mysql)).toThrow(/DATABASE_CAUSAL_READS/);
    expect(resolveCausalReads('off', galera)).toBe(false);
  });
});
