import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { CampaignProduct } from '../campaigns/campaign-product.entity';
import { fromCents, toCents, vatCents } from '../common/decimal-string';
import { ValidationError } from '../common/errors/domain-errors';
import { isUniqueViolation } from '../common/errors/unique-violation';
import type { Contact } from '../contacts/contact.entity';
import { Product } from '../products/product.entity';
import { ContractLine } from './contract-line.entity';
import { Contract } from './contract.entity';
import { ProtocolCounter } from './protocol-counter.entity';

export interface CartLine {
  productId: number;
  quantity: number;
}

export interface WrittenContract {
  id: number;
  protocolNumber: string;
  totalNet: string;
  totalVat: string;
  total: string;
}

/**
 * The contract of an online close, written inside the outcome's transaction: lines with
 * prices snapshotted, totals in exact cents (VAT rounded per line), and the year's next
 * protocol number.
 */
@Injectable()
export class ContractWriter {
  async write(
    em: EntityManager,
    input: { contact: Contact; operatorId: number; cart: CartLine[] | undefined; year: number },
  ): Promise<WrittenContract> {
    const cart = input.cart ?? [];
    if (cart.length === 0) {
      throw new ValidationError('cart', 'cart: a close (type C) needs at least one product');
    }
    const products = await this.products(em, input.contact.campaignId, cart);
    const lines = cart.map((line) => {
      const product = products.get(line.productId)!;
      const net = toCents(product.unitPrice) * BigInt(line.quantity);
      const vat = vatCents(net, product.vatRate);
      return { product, quantity: line.quantity, net, vat };
    });
    const totalNet = lines.reduce((sum, l) => sum + l.net, 0n);
    const totalVat = lines.reduce((sum, l) => sum + l.vat, 0n);
    const { contact } = input;
    // Drawn last, just before the inserts: the counter row stays locked until commit.
    const protocolNumber = await this.nextProtocolNumber(em, input.year);
    const inserted = await em.insert(Contract, {
      protocolNumber,
      contactId: contact.id,
      campaignId: contact.campaignId,
      operatorId: input.operatorId,
      status: 'new',
      customer: {
        firstName: contact.firstName,
        lastName: contact.lastName,
        phone: contact.phone,
        email: contact.email,
        city: contact.city,
        province: contact.province,
      },
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
        unitPrice: l.product.unitPrice,
        vatRate: l.product.vatRate,
        quantity: l.quantity,
        net: fromCents(l.net),
        vat: fromCents(l.vat),
        total: fromCents(l.net + l.vat),
      })),
    );
    return {
      id,
      protocolNumber,
      totalNet: fromCents(totalNet),
      totalVat: fromCents(totalVat),
      total: fromCents(totalNet + totalVat),
    };
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
        throw new ValidationError(field, `${field}: product ${line.productId} does not exist`);
      if (!product.active)
        throw new ValidationError(field, `${field}: product ${product.code} is not on sale`);
      if (!inCampaign.has(product.id)) {
        throw new ValidationError(
          field,
          `${field}: product ${product.code} is not offered in this campaign`,
        );
      }
      if (seen.has(product.id)) {
        throw new ValidationError(
          field,
          `${field}: product ${product.code} is already in the cart; change its quantity`,
        );
      }
      seen.add(product.id);
    });
    return byId;
  }

  /**
   * `YYYY/NNNNNN`: the counter row is updated in the caller's transaction, so its lock is
   * held until commit (numbers consecutive in commit order) and a rollback gives the
   * number back (no gaps). The first close of a year creates the row.
   */
  private async nextProtocolNumber(em: EntityManager, year: number): Promise<string> {
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
    return `${year}/${String(counter.lastNumber).padStart(6, '0')}`;
  }
}
