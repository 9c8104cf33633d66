import { ValidationError } from '../errors/domain-errors';
import { IdParamPipe } from './id-param.pipe';

describe('IdParamPipe', () => {
  const pipe = new IdParamPipe('contactId');

  it('accepts positive integers that fit an INT column', () => {
    expect(pipe.transform('1')).toBe(1);
    expect(pipe.transform('2147483647')).toBe(2147483647);
  });

  it.each(['0', '-1', '1.5', 'abc', '1 OR 1=1', '01', '2147483648', '', '99999999999'])(
    'refuses %p naming the parameter',
    (value) => {
      expect(() => pipe.transform(value)).toThrow(ValidationError);
      expect(() => pipe.transform(value)).toThrow('contactId must be a positive integer');
    },
  );
});
