import {
  IsInt,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
  ArrayUnique,
  IsArray,
} from 'class-validator';
import { Type } from 'class-transformer';
import { RequestValidationException } from '../errors/error-response';
import { IsQueryId } from './query-fields';
import { AppValidationPipe } from './validation.pipe';

class Hours {
  @IsInt()
  day!: number;

  @Matches(/^\d\d:\d\d$/)
  start!: string;
}

class Agent {
  @IsString()
  @MaxLength(5)
  name!: string;

  @IsArray()
  @ArrayUnique()
  zones!: string[];

  @ValidateNested({ each: true })
  @Type(() => Hours)
  workingHours!: Hours[];
}

async function fieldsFor(value: unknown): Promise<Record<string, string>> {
  try {
    await new AppValidationPipe().transform(value, { type: 'body', metatype: Agent });
  } catch (error) {
    if (error instanceof RequestValidationException) return error.fields;
    throw error;
  }
  return {};
}

describe('AppValidationPipe', () => {
  it('names nested fields by their whole path', async () => {
    const fields = await fieldsFor({
      name: 'Ok',
      zones: [],
      workingHours: [
        { day: 1, start: '09:00' },
        { day: 'x', start: '9' },
      ],
    });
    expect(fields).toEqual({
      'workingHours.1.day': 'workingHours.1.day must be an integer number',
      'workingHours.1.start': expect.stringMatching(/^workingHours\.1\.start must match/),
    });
  });

  it('says "is required" for a missing field and reports type rules first', async () => {
    expect(await fieldsFor({ zones: 'MI', workingHours: [] })).toEqual({
      name: 'name is required',
      zones: 'zones must be an array',
    });
  });

  it('refuses unknown fields by name and bodies that are not objects', async () => {
    expect(await fieldsFor({ name: 'a', zones: [], workingHours: [], admin: true })).toEqual({
      admin: 'property admin should not exist',
    });
    expect(await fieldsFor([1])).toEqual({ body: 'body must be a JSON object' });
    expect(await fieldsFor('text')).toEqual({ body: 'body must be a JSON object' });
  });

  it('reads a query string into its DTO, naming a bad value and ignoring parameters it does not declare', async () => {
    class Filter {
      @IsQueryId('campaignId')
      campaignId!: number;
    }
    const pipe = new AppValidationPipe();
    const query = (value: object) => pipe.transform(value, { type: 'query', metatype: Filter });
    expect(await query({ campaignId: '12', page: '2' })).toEqual({ campaignId: 12 });
    await expect(query({ campaignId: 'abc' })).rejects.toMatchObject({
      fields: { campaignId: 'campaignId must be a positive integer' },
    });
  });
});
