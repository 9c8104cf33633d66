import { isForeignKeyViolation } from './foreign-key-violation';

describe('isForeignKeyViolation', () => {
  it('recognises MySQL/MariaDB and SQLite refusals, directly or wrapped by TypeORM', () => {
    expect(isForeignKeyViolation({ code: 'ER_ROW_IS_REFERENCED_2' })).toBe(true);
    expect(isForeignKeyViolation({ driverError: { code: 'ER_ROW_IS_REFERENCED' } })).toBe(true);
    expect(isForeignKeyViolation({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })).toBe(true);
  });

  it('leaves other errors alone', () => {
    expect(isForeignKeyViolation({ code: 'ER_DUP_ENTRY' })).toBe(false);
    expect(isForeignKeyViolation(new Error('boom'))).toBe(false);
    expect(isForeignKeyViolation(null)).toBe(false);
    expect(isForeignKeyViolation('ER_ROW_IS_REFERENCED_2')).toBe(false);
  });
});
