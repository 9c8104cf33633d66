import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { CampaignProduct } from '../campaigns/campaign-product.entity';
import { fromCents, normalizeDecimal, toCents, vatCents } from '../common/decimal-string';
import { inEachLanguage, ValidationError } from '../common/errors/domain-errors';
import { formatMoney } from '../common/format/locale-format';
import { isUniqueViolation } from '../common/errors/unique-violation';
import { Clock } from '../common/time/clock';
import { AppConfigService } from '../config/app-config.service';
import type { Contact } from '../contacts/contact.entity';
import type { OutcomeStatus } from '../outcome-statuses/outcome-status.entity';
import { Product } from '../products/product.entity';
import { type ContractFieldValues } from './contract-fields';
import { ContractLine } from './contract-line.entity';
import { ContractStatusChange } from './contract-status-change.entity';
import { Contract } from './contract.entity';
import { ProtocolCounter } from './protocol-counter.entity';
import { ProtocolFormat } from './protocol-format';

export interface CartLine {
  productId: number;
  quantity: number;
  /** The operator's price ("19.90"), when it differs from the catalogue's. */
  unitPrice?: string;
}

export interface WrittenContract {
  id: number;
  protocolNumber: string;
  totalNet: string;
  totalVat: string;
  total: string;
}

/** What DECIMAL(12,2) holds: a line or a contract above it could not be stored. */
const MAX_AMOUNT_CENTS = 999_999_999_999n;

/**
 * The contract of an online close, written inside the outcome's transaction: lines with
 * prices snapshotted (or overridden, when the status allows it), totals in exact cents
 * (VAT rounded per line), the year's next protocol number and the first line of its
 * status history.
 */
@Injectable()
export class ContractWriter {
  private protocolFormat: ProtocolFormat | null = null;

  constructor(
    private readonly config: AppConfigService,
    private readonly clock: Clock,
  ) {}

  async write(
    em: EntityManager,
    input: {
      contact: Contact;
      operatorId: number;
      cart: CartLine[] | undefined;
      year: number;
      status: Pick<OutcomeStatus, 'code' | 'allowPriceOverride'>;
      /** What the call captured into the contract (checked by the outcome). */
      fields?: ContractFieldValues;
    },
  ): Promise<WrittenContract> {
    const cart = input.cart ?? [];
    if (cart.length === 0) {
      throw new ValidationError('cart', 'cart: a close (type C) needs at least one product').say(
        'work.errors.cartEmpty',
      );
    }
    const products = await this.products(em, input.contact.campaignId, cart);
    const lines = cart.map((line, i) => {
      const product = products.get(line.productId)!;
      const unitPrice = this.unitPrice(line, i, product, input.status);
      const net = toCents(unitPrice) * BigInt(line.quantity);
      const vat = vatCents(net, product.vatRate);
      if (net + vat > MAX_AMOUNT_CENTS) {
        throw new ValidationError(
          `cart.${i}.quantity`,
          `cart.${i}.quantity: ${line.quantity} x ${unitPrice} comes to more than a contract can hold (${fromCents(MAX_AMOUNT_CENTS)})`,
        ).say('work.errors.cartLineTooBig', {
          quantity: line.quantity,
          price: inEachLanguage((lang) => formatMoney(unitPrice, lang)),
          max: inEachLanguage((lang) => formatMoney(fromCents(MAX_AMOUNT_CENTS), lang)),
        });
      }
      return {
        product,
        unitPrice,
        overridden: unitPrice !== product.unitPrice,
        quantity: line.quantity,
        net,
        vat,
      };
    });
    const totalNet = lines.reduce((sum, l) => sum + l.net, 0n);
    const totalVat = lines.reduce((sum, l) => sum + l.vat, 0n);
    if (totalNet + totalVat > MAX_AMOUNT_CENTS) {
      throw new ValidationError(
        'cart',
        `cart: the total comes to more than a contract can hold (${fromCents(MAX_AMOUNT_CENTS)})`,
      ).say('work.errors.cartTooBig', {
        max: inEachLanguage((lang) => formatMoney(fromCents(MAX_AMOUNT_CENTS), lang)),
      });
    }
    const { contact } = input;
    const now = this.clock.now();
    const format = this.format();
    // Drawn last, just before the inserts: the counter row stays locked until commit.
    const protocolNumber = format.render(input.year, await this.nextCounter(em, input.year));
    const inserted = await em.insert(Contract, {
      protocolNumber,
      contactId: contact.id,
      campaignId: contact.campaignId,
      operatorId: input.operatorId,
      status: 'new',
      statusChangedAt: now,
      customer: {
        firstName: contact.firstName,
        lastName: contact.lastName,
        phone: contact.phone,
        email: contact.email,
        city: contact.city,
        province: contact.province,
      },
      customerFirstName: contact.firstName,
      customerLastName: contact.lastName,
      customerPhone: contact.phone,
      // In the same INSERT: a bound field costs the close no statement.
      ...contractFieldColumns(input.fields ?? {}),
      totalNet: fromCents(totalNet),
      totalVat: fromCents(totalVat),
      total: fromCents(totalNet + totalVat),
    });
    const id = Number(inserted.identifiers[0]!.id);
    await em.insert(
      ContractLine,
      lines.map((l) => ({
        contractId: id,
        productId: l.product.id,
        code: l.product.code,
        name: l.product.name,
        unitPrice: l.unitPrice,
        priceOverridden: l.overridden,
        vatRate: l.product.vatRate,
        quantity: l.quantity,
        net: fromCents(l.net),
        vat: fromCents(l.vat),
        total: fromCents(l.net + l.vat),
      })),
    );
    // The close is the history's first line, so the backoffice sees who made it and when.
    await em.insert(ContractStatusChange, {
      contractId: id,
      fromStatus: null,
      toStatus: 'new',
      reason: null,
      userId: input.operatorId,
      at: now,
    });
    return {
      id,
      protocolNumber,
      totalNet: fromCents(totalNet),
      totalVat: fromCents(totalVat),
      total: fromCents(totalNet + totalVat),
    };
  }

  /**
   * The line's price: the catalogue's, or the operator's when the status allows changing
   * it (a price equal to the catalogue's, however written, is no change).
   */
  private unitPrice(
    line: CartLine,
    i: number,
    product: Product,
    status: Pick<OutcomeStatus, 'code' | 'allowPriceOverride'>,
  ): string {
    if (line.unitPrice === undefined) return product.unitPrice;
    const field = `cart.${i}.unitPrice`;
    let asked: string;
    try {
      asked = normalizeDecimal(line.unitPrice);
    } catch {
      throw new ValidationError(field, `${field} must be an amount such as "19.90"`).say(
        'work.errors.priceFormat',
      );
    }
    if (toCents(asked) === toCents(product.unitPrice)) return product.unitPrice;
    if (!status.allowPriceOverride) {
      throw new ValidationError(
        field,
        `${field}: status ${status.code} does not allow changing the price of ${product.code} (${product.unitPrice})`,
      ).say('work.errors.priceFixed', {
        status: status.code,
        product: product.code,
        price: inEachLanguage((lang) => formatMoney(product.unitPrice, lang)),
      });
    }
    return asked;
  }

  /** The cart's products: each once, active and offered by the campaign (400 naming the line). */
  private async products(
    em: EntityManager,
    campaignId: number,
    cart: CartLine[],
  ): Promise<Map<number, Product>> {
    const ids = cart.map((line) => line.productId);
    const [found, offered] = await Promise.all([
      em.getRepository(Product).findBy({ id: In(ids) }),
      em.getRepository(CampaignProduct).findBy({ campaignId, productId: In(ids) }),
    ]);
    const byId = new Map(found.map((p) => [p.id, p]));
    const inCampaign = new Set(offered.map((o) => o.productId));
    const seen = new Set<number>();
    cart.forEach((line, i) => {
      const field = `cart.${i}.productId`;
      const product = byId.get(line.productId);
      if (!product)
        throw new ValidationError(field, `${field}: product ${line.productId} does not exist`).say(
          'work.errors.productMissing',
        );
      if (!product.active)
        throw new ValidationError(field, `${field}: product ${product.code} is not on sale`).say(
          'work.errors.productOff',
          { product: product.name },
        );
      if (!inCampaign.has(product.id)) {
        throw new ValidationError(
          field,
          `${field}: product ${product.code} is not offered in this campaign`,
        ).say('work.errors.productNotOffered', { product: product.name });
      }
      if (seen.has(product.id)) {
        throw new ValidationError(
          field,
          `${field}: product ${product.code} is already in the cart; change its quantity`,
        ).say('work.errors.productTwice', { product: product.name });
      }
      seen.add(product.id);
    });
    return byId;
  }

  /**
   * The year's next counter value: the counter row is updated in the caller's transaction,
   * so its lock is held until commit (numbers consecutive in commit order) and a rollback
   * gives the number back (no gaps). The first close of a year creates the row.
   */
  private async nextCounter(em: EntityManager, year: number): Promise<number> {
    const draw = () =>
      em
        .createQueryBuilder()
        .update(ProtocolCounter)
        .set({ lastNumber: () => 'last_number + 1' })
        .where('year = :year', { year })
        .execute();
    if (!(await draw()).affected) {
      try {
        await em.insert(ProtocolCounter, { year, lastNumber: 1 });
      } catch (error) {
        // Another close created the year's row first: draw from it.
        if (!isUniqueViolation(error)) throw error;
        await draw();
      }
    }
    const counter = await em.getRepository(ProtocolCounter).findOneByOrFail({ year });
    return counter.lastNumber;
  }

  /**
   * PROTOCOL_FORMAT, validated at boot; read at each close (parsed once per value) so that
   * the configuration stays its one source, also for a test that changes it.
   */
  private format(): ProtocolFormat {
    const text = this.config.get('PROTOCOL_FORMAT');
    if (this.protocolFormat?.format !== text) this.protocolFormat = ProtocolFormat.parse(text);
    return this.protocolFormat;
  }
}

/** The contract's field columns: each standard field or null, custom ones as JSON or null. */
function contractFieldColumns(fields: ContractFieldValues): Partial<Contract> {
  return {
    fiscalCode: fields.fiscalCode ?? null,
    vatNumber: fields.vatNumber ?? null,
    iban: fields.iban ?? null,
    supplyAddress: fields.supplyAddress ?? null,
    pod: fields.pod ?? null,
    pdr: fields.pdr ?? null,
    documentNumber: fields.documentNumber ?? null,
    customFields: fields.customFields ?? null,
  };
}
