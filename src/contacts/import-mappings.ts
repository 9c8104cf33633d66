import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { NotFoundError } from '../common/errors/domain-errors';
import { RequestValidationException } from '../common/errors/error-response';
import { isUniqueViolation } from '../common/errors/unique-violation';
import { type CsvEncoding, CsvReader } from '../common/csv/csv-reader';
import { AppValidationPipe } from '../common/http/validation.pipe';
import { proposedMapping } from './contact-header';
import { ContactImportMapping, type MappedColumn } from './contact-import-mapping.entity';
import {
  ContactImportFieldsDto,
  type ContactImportQueryDto,
  ImportMappingDto,
  type OnDuplicate,
} from './dto/import-options.dto';

/** Bytes of a file a preview reads: the header and the first rows, whatever their width. */
export const PREVIEW_BYTES = 64 * 1024;
const PREVIEW_ROWS = 5;
const FORM_OPTIONS = ['key', 'mapping', 'onDuplicate', 'saveMapping', 'listName'];

/** What an import is asked to do beside reading the file. */
export interface ImportChoices {
  key?: string;
  /** What the columns become; columns it does not name are read by their name. */
  mapping: MappedColumn[];
  onDuplicate: OnDuplicate;
  /** The mapping becomes the campaign's saved one once the file is imported. */
  saveMapping: boolean;
  /** The list's name (default: the file's). */
  listName?: string;
}

/** The first lines of a file, read as the import would, with what each column would become. */
export interface ImportPreview {
  encoding: CsvEncoding;
  delimiter: string;
  /** The campaign's saved mapping, whose choices the proposal starts from. */
  mappingId: number | null;
  columns: Array<MappedColumn & { index: number; samples: string[] }>;
  rows: string[][];
}

/**
 * The campaign's saved column mapping, an import's choices (from its query string or its
 * multipart form's fields), and the preview of a file's first lines.
 */
@Injectable()
export class ImportMappings {
  private readonly pipe = new AppValidationPipe();

  constructor(
    @InjectRepository(ContactImportMapping)
    private readonly mappings: Repository<ContactImportMapping>,
  ) {}

  saved(campaignId: number): Promise<ContactImportMapping | null> {
    return this.mappings.findOneBy({ campaignId });
  }

  /** The campaign's mapping is now `columns` (two saves at once: the last one stays). */
  async save(campaignId: number, columns: MappedColumn[], userId: number | null): Promise<void> {
    const kept = columns.map(({ header, to }) => ({ header, to }));
    const updated = await this.mappings.update(
      { campaignId },
      { columns: kept, updatedBy: userId },
    );
    if (updated.affected) return;
    try {
      await this.mappings.insert({ campaignId, columns: kept, updatedBy: userId });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await this.mappings.update({ campaignId }, { columns: kept, updatedBy: userId });
    }
  }

  /**
   * An import's choices: `?mapping=<id>` (the campaign's saved mapping) or a form's
   * `mapping` field (JSON), `onDuplicate`, `saveMapping`; a form field wins over the query.
   */
  async choices(
    campaignId: number,
    query: ContactImportQueryDto,
    fields: Record<string, string>,
  ): Promise<ImportChoices> {
    // A form may carry other fields (the page's own); only the import's options are read.
    const options = Object.fromEntries(
      Object.entries(fields).filter(([name]) => FORM_OPTIONS.includes(name)),
    );
    const form = (await this.pipe.transform(options, {
      type: 'body',
      metatype: ContactImportFieldsDto,
    })) as ContactImportFieldsDto;
    let mapping: MappedColumn[] = [];
    if (form.mapping !== undefined) mapping = await this.parsed(form.mapping);
    else if (query.mapping !== undefined) {
      const saved = await this.mappings.findOneBy({ id: query.mapping, campaignId });
      if (!saved) throw new NotFoundError('mapping', query.mapping);
      mapping = saved.columns;
    }
    return {
      key: form.key ?? query.key,
      listName: form.listName?.trim() || query.listName,
      mapping,
      onDuplicate: form.onDuplicate ?? query.onDuplicate ?? 'skip',
      saveMapping:
        form.saveMapping !== undefined
          ? form.saveMapping !== 'false'
          : (query.saveMapping ?? false),
    };
  }

  /** The first lines of `source` (up to PREVIEW_BYTES), each column with its proposed target. */
  async preview(
    campaignId: number,
    source: Readable,
    encoding?: CsvEncoding,
  ): Promise<ImportPreview> {
    const head = await firstBytes(source, PREVIEW_BYTES);
    // A head cut inside a line ends at the last whole one.
    const end = head.length < PREVIEW_BYTES ? head.length : head.lastIndexOf(10) + 1;
    const reader = new CsvReader(encoding);
    const records: string[][] = [];
    for await (const batch of reader.records(Readable.from([head.subarray(0, end)]))) {
      for (const record of batch) if (records.length <= PREVIEW_ROWS) records.push(record.values);
    }
    const [header = [], ...rows] = records;
    const saved = await this.saved(campaignId);
    const proposal = proposedMapping(header, saved?.columns ?? []);
    return {
      encoding: reader.encoding,
      delimiter: reader.delimiter,
      mappingId: saved?.id ?? null,
      columns: proposal.map((column, index) => ({
        ...column,
        index,
        samples: rows.map((row) => (row[index] ?? '').trim()).filter((value) => value !== ''),
      })),
      rows,
    };
  }

  private async parsed(text: string): Promise<MappedColumn[]> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const dto = (await this.pipe
      .transform(json, { type: 'body', metatype: ImportMappingDto })
      .catch((error: unknown) => {
        throw prefixed(error);
      })) as ImportMappingDto;
    return dto.columns;
  }
}

/** A mapping's refusal names the form field: `mapping.columns.0.to`. */
function prefixed(error: unknown): unknown {
  if (!(error instanceof RequestValidationException)) return error;
  const named = Object.entries(error.fields).map(([field, message]): [string, string] =>
    field === 'body'
      ? ['mapping', 'mapping must be the JSON of {columns: [{header, to}]}']
      : [`mapping.${field}`, `mapping.${message}`],
  );
  return new RequestValidationException(Object.fromEntries<string>(named));
}

async function firstBytes(source: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source.iterator({ destroyOnReturn: false })) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(buffer);
    size += buffer.length;
    if (size >= max) break;
  }
  return Buffer.concat(chunks).subarray(0, max);
}
