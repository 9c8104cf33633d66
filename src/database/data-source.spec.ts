import { format } from 'mysql2';
import { mysqlQueryFormat } from './data-source';

describe('mysqlQueryFormat', () => {
  const connection = { config: { stringifyObjects: true } };
  const formatted = (sql: string, values: unknown) =>
    mysqlQueryFormat.call(connection, sql, values, 'Z');

  it('sends a statement without values as it is, placeholders and quotes untouched', () => {
    const sql = "INSERT INTO t (a) VALUES ('what?'),('it''s \\' ?')";
    expect(formatted(sql, [])).toBe(sql);
    expect(formatted(sql, undefined)).toBe(sql);
  });

  it("formats a statement with values as mysql2 does (TypeORM's stringifyObjects kept)", () => {
    const sql = 'SELECT ? AS a, ? AS b, ?? AS c FROM t WHERE x IN (?)';
    const values = ["it's", { a: 1 }, 'col', [1, 'b', null]];
    expect(formatted(sql, values)).toBe(format(sql, values as never, true, 'Z'));
    expect(formatted(sql, values)).toContain("'[object Object]'");
  });
});
