import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, Repository } from 'typeorm';
import { forUpdate } from '../common/database/row-lock';
import { ConflictError, NotFoundError, ValidationError } from '../common/errors/domain-errors';
import { isUniqueViolation } from '../common/errors/unique-violation';
import { normalizeDecimal } from '../common/decimal-string';
import { CreateProductDto } from './dto/create-product.dto';
import { ProductView, toProductView } from './dto/product.view';
import { UpdateProductDto } from './dto/update-product.dto';
import { Product } from './product.entity';

export interface ProductFilter {
  /** Part of the code or name. */
  q?: string;
  active?: boolean;
}

/** LIKE with `!` as the escape character (the same on MySQL and SQLite). */
const likePattern = (text: string): string => `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;

@Injectable()
export class ProductsService {
  constructor(
    @InjectRepository(Product) private readonly products: Repository<Product>,
    private readonly dataSource: DataSource,
  ) {}

  async create(dto: CreateProductDto): Promise<ProductView> {
    const product = this.products.create({
      code: dto.code,
      name: dto.name,
      unitPrice: normalizeDecimal(dto.unitPrice),
      vatRate: normalizeDecimal(dto.vatRate),
      active: dto.active ?? true,
    });
    // The unique index on code decides between two admins creating the same code.
    return toProductView(await this.uniqueCode(dto.code, () => this.products.save(product)));
  }

  async list(filter: ProductFilter = {}): Promise<ProductView[]> {
    const query = this.products.createQueryBuilder('p').orderBy('p.code', 'ASC');
    if (filter.q) {
      const pattern = likePattern(filter.q);
      query.andWhere(
        new Brackets((or) =>
          or
            .where("p.code LIKE :pattern ESCAPE '!'", { pattern })
            .orWhere("p.name LIKE :pattern ESCAPE '!'", { pattern }),
        ),
      );
    }
    if (filter.active !== undefined)
      query.andWhere('p.active = :active', { active: filter.active });
    return (await query.getMany()).map(toProductView);
  }

  async get(id: number): Promise<ProductView> {
    const product = await this.products.findOneBy({ id });
    if (!product) throw new NotFoundError('product', id);
    return toProductView(product);
  }

  async update(id: number, dto: UpdateProductDto): Promise<ProductView> {
    for (const field of ['code', 'name', 'unitPrice', 'vatRate', 'active'] as const) {
      if (dto[field] === null) throw new ValidationError(field, `${field} must not be null`);
    }
    const saved = await this.uniqueCode(dto.code ?? '', () =>
      this.dataSource.transaction(async (em) => {
        // Row lock: concurrent edits of one product apply one after the other.
        const product = await em.findOne(Product, { where: { id }, ...forUpdate(em) });
        if (!product) throw new NotFoundError('product', id);
        if (dto.code !== undefined) product.code = dto.code;
        if (dto.name !== undefined) product.name = dto.name;
        if (dto.unitPrice !== undefined) product.unitPrice = normalizeDecimal(dto.unitPrice);
        if (dto.vatRate !== undefined) product.vatRate = normalizeDecimal(dto.vatRate);
        if (dto.active !== undefined) product.active = dto.active;
        return em.save(product);
      }),
    );
    return toProductView(saved);
  }

  setActive(id: number, active: boolean): Promise<ProductView> {
    return this.update(id, { active });
  }

  private async uniqueCode<T>(code: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(`code "${code}" is already used by another product`, 'code').say(
          'products.codeTaken',
          { code },
        );
      }
      throw error;
    }
  }
}
