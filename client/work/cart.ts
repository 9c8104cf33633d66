/**
 * The cart of a type C outcome on the operator workstation (views/partials/work/cart.hbs):
 * search the campaign's catalogue by code or name, add products with a quantity, change a
 * line's quantity or (when the chosen status allows it) its price, see VAT per line and the
 * totals, then review the cart before CONFERMA CONTRATTO. The server recomputes every amount
 * in DECIMAL; the figures here follow its rounding (cart-figures.ts).
 */
import { find, findAll, targetOf } from '../common/dom';
import { cartFigures, cents, lineFigures, normalizePrice, type Figures } from './cart-figures';

/** A line of the cart as the page keeps it; a price typed keeps its text. */
export interface CartLine {
  productId: number;
  quantity: number;
  unitPrice?: string;
}

export interface CartOptions {
  /** The page's texts (data-* of #work-strings). */
  strings: DOMStringMap;
  formatMoney(amountCents: number): string;
  /** After every change (the draft is saved). */
  changed(): void;
  /** CONFERMA CONTRATTO from the review. */
  confirm(): void;
}

export interface WorkCart {
  /** The lines as the outcome wants them: a price only where the status allows one. */
  lines(): CartLine[];
  /** The lines as the draft keeps them (a price typed keeps its text). */
  draft(): CartLine[];
  restore(saved: unknown): void;
  /** The chosen status decides whether prices may change. */
  allowOverride(allowed: boolean): void;
  /** True when the cart has been reviewed; otherwise shows the review (if it has lines). */
  reviewed(): boolean;
  focus(): void;
}

interface Product {
  id: number;
  code: string;
  name: string;
  price: string;
  vat: string;
  vatPercent: string;
  haystack: string;
}

interface Row {
  line: CartLine;
  flag: HTMLElement;
  vat: HTMLTableCellElement;
  total: HTMLTableCellElement;
}

/** Lower case without accents, so that "caffe" finds "Caffè". */
function folded(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

function isQuantity(quantity: number, max: number): boolean {
  return Math.floor(quantity) === quantity && quantity >= 1 && quantity <= max;
}

/** The cart inside `box` (#work-cart-box). */
export function createWorkCart(box: HTMLElement, options: CartOptions): WorkCart {
  const strings = options.strings;
  const maxQuantity = Number(box.dataset.maxQuantity) || 999;
  const search = find(box, '#cart-search', HTMLInputElement);
  const quantityInput = find(box, '#cart-quantity', HTMLInputElement);
  const catalogue = find(box, '#cart-catalogue');
  const noMatch = find(box, '#cart-no-match');
  const overrideNote = find(box, '#cart-override-note');
  const table = find(box, '#work-cart', HTMLTableElement);
  const body = find(table, 'tbody', HTMLTableSectionElement);
  const review = find(box, '#cart-review');
  const edit = find(box, '#cart-edit');
  const items = findAll(catalogue, 'li[data-product-id]');
  const products = new Map<string, Product>();
  for (const item of items) {
    const data = item.dataset;
    products.set(data.productId ?? '', {
      id: Number(data.productId),
      code: data.code ?? '',
      name: data.name ?? '',
      price: data.price ?? '0',
      vat: data.vat ?? '0',
      vatPercent: data.vatPercent ?? '',
      haystack: folded(`${data.code ?? ''} ${data.name ?? ''}`),
    });
  }
  let lines: CartLine[] = [];
  let overrideAllowed = false;
  let reviewing = false;

  function productOf(line: CartLine): Product {
    const product = products.get(String(line.productId));
    if (!product) throw new Error(`product ${line.productId} is not in the catalogue`);
    return product;
  }

  /** The line's price: the operator's when the status allows one and it is an amount. */
  function priceOf(line: CartLine): string {
    if (overrideAllowed && line.unitPrice !== undefined) {
      const asked = normalizePrice(line.unitPrice);
      if (asked !== null) return asked;
    }
    return productOf(line).price;
  }

  function isOverridden(line: CartLine): boolean {
    return overrideAllowed && cents(priceOf(line)) !== cents(productOf(line).price);
  }

  function figuresOf(line: CartLine): Figures {
    return lineFigures(priceOf(line), line.quantity, productOf(line).vat);
  }

  // ---- the catalogue ---------------------------------------------------------------------

  function visibleItems(): HTMLElement[] {
    return items.filter((item) => !item.hidden);
  }

  function buttonOf(item: HTMLElement): HTMLButtonElement {
    return find(item, 'button', HTMLButtonElement);
  }

  function filter(): void {
    const words = folded(search.value).split(/\s+/).filter(Boolean);
    for (const item of items) {
      const haystack = products.get(item.dataset.productId ?? '')?.haystack ?? '';
      item.hidden = !words.every((word) => haystack.includes(word));
    }
    noMatch.hidden = visibleItems().length > 0;
  }

  function wantedQuantity(): number {
    const quantity = Number(quantityInput.value);
    if (!isQuantity(quantity, maxQuantity)) {
      quantityInput.setAttribute('aria-invalid', 'true');
      quantityInput.focus();
      return 0;
    }
    quantityInput.removeAttribute('aria-invalid');
    return quantity;
  }

  function add(productId: number): void {
    const quantity = wantedQuantity();
    if (!quantity) return;
    const existing = lines.find((line) => line.productId === productId);
    if (existing) existing.quantity = Math.min(maxQuantity, existing.quantity + quantity);
    else lines.push({ productId, quantity });
    quantityInput.value = '1';
    search.value = '';
    filter();
    update();
    search.focus();
  }

  catalogue.addEventListener('click', (event) => {
    const button = targetOf(event)?.closest<HTMLElement>('[data-add-product]');
    if (button) add(Number(button.dataset.addProduct));
  });
  catalogue.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = visibleItems().map(buttonOf);
    const at = buttons.findIndex((button) => button === document.activeElement);
    if (at === -1) return;
    event.preventDefault();
    const next = buttons[at + (event.key === 'ArrowDown' ? 1 : -1)];
    if (event.key === 'ArrowUp' && at === 0) search.focus();
    else if (next) next.focus();
  });
  search.addEventListener('input', filter);
  search.addEventListener('keydown', (event) => {
    const first = visibleItems()[0];
    if (event.key === 'ArrowDown' && first) {
      event.preventDefault();
      buttonOf(first).focus();
    } else if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      if (first && search.value.trim()) add(Number(first.dataset.productId));
    }
  });
  quantityInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      search.focus();
    }
  });

  // ---- the lines -------------------------------------------------------------------------

  function cell(className: string, content: string | Node | null): HTMLTableCellElement {
    const td = document.createElement('td');
    if (className) td.className = className;
    if (typeof content === 'string') td.textContent = content;
    else if (content) td.appendChild(content);
    return td;
  }

  function quantityField(line: CartLine, index: number, label: string): HTMLInputElement {
    const input = document.createElement('input');
    input.type = 'number';
    input.className = 'work-input work-cart-qty';
    input.name = `cart.${index}.quantity`;
    input.min = '1';
    input.max = String(maxQuantity);
    input.step = '1';
    input.value = String(line.quantity);
    input.setAttribute('aria-label', `${strings.quantityOf ?? ''} ${label}`);
    // Live, and without rebuilding the row: the field keeps its focus and Tab its order.
    input.addEventListener('input', () => {
      const quantity = Number(input.value);
      if (isQuantity(quantity, maxQuantity)) {
        line.quantity = quantity;
        input.removeAttribute('aria-invalid');
        edited();
      } else {
        input.setAttribute('aria-invalid', 'true');
      }
    });
    return input;
  }

  function priceField(line: CartLine, index: number, label: string): HTMLInputElement {
    const input = document.createElement('input');
    input.type = 'text';
    input.inputMode = 'decimal';
    input.className = 'work-input work-cart-price';
    input.name = `cart.${index}.unitPrice`;
    input.value = (line.unitPrice ?? productOf(line).price).replace(
      '.',
      strings.lang === 'en' ? '.' : ',',
    );
    input.setAttribute('aria-label', `${strings.priceOf ?? ''} ${label}`);
    input.addEventListener('input', () => {
      const asked = normalizePrice(input.value);
      if (input.value.trim() === '') delete line.unitPrice;
      else line.unitPrice = asked ?? input.value;
      if (asked === null && input.value.trim() !== '') input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
      edited();
    });
    return input;
  }

  /** The rows on screen, with the cells that follow their line's figures. */
  let rows: Row[] = [];

  function render(): void {
    body.textContent = '';
    rows = [];
    lines.forEach((line, index) => {
      const product = productOf(line);
      const label = `${product.code} · ${product.name}`;
      const row = document.createElement('tr');
      const name = cell('', label);
      const flag = document.createElement('span');
      flag.className = 'work-cart-flag';
      flag.textContent = strings.priceChanged ?? '';
      name.append(' ', flag);
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'btn btn-small';
      remove.textContent = strings.remove ?? '';
      remove.setAttribute('aria-label', `${strings.remove ?? ''} ${label}`);
      remove.addEventListener('click', () => {
        lines.splice(index, 1);
        update();
        search.focus();
      });
      const vat = cell('num', '');
      const total = cell('num', '');
      row.append(
        name,
        cell('num', reviewing ? String(line.quantity) : quantityField(line, index, label)),
        cell(
          'num',
          overrideAllowed && !reviewing
            ? priceField(line, index, label)
            : options.formatMoney(cents(priceOf(line))),
        ),
        vat,
        total,
        cell('work-cart-actions', reviewing ? null : remove),
      );
      row.dataset.productId = String(line.productId);
      body.appendChild(row);
      rows.push({ line, flag, vat, total });
    });
    const any = lines.length > 0;
    find(box, '#cart-empty').hidden = any;
    table.hidden = !any;
    overrideNote.hidden = !overrideAllowed || reviewing;
    figures();
  }

  /** Each line's VAT and total, the flag of a changed price, and the cart's totals. */
  function figures(): void {
    const all = rows.map((row) => {
      const sums = figuresOf(row.line);
      row.flag.hidden = !isOverridden(row.line);
      row.vat.textContent = `${productOf(row.line).vatPercent} · ${options.formatMoney(sums.vat)}`;
      row.total.textContent = options.formatMoney(sums.total);
      return sums;
    });
    const cart = cartFigures(all);
    const any = rows.length > 0;
    find(box, '#cart-net').textContent = any ? options.formatMoney(cart.net) : '—';
    find(box, '#cart-vat').textContent = any ? options.formatMoney(cart.vat) : '—';
    find(box, '#cart-total').textContent = any ? options.formatMoney(cart.total) : '—';
  }

  /** A quantity or a price typed in a line (inputs exist only outside the review). */
  function edited(): void {
    figures();
    options.changed();
  }

  /** Any change to the cart ends its review: what was read to the customer changed. */
  function update(): void {
    setReviewing(false);
    render();
    options.changed();
  }

  function setReviewing(on: boolean): void {
    reviewing = on;
    review.hidden = !on;
    edit.hidden = on;
    box.classList.toggle('is-reviewing', on);
  }

  find(box, '#cart-edit-again').addEventListener('click', () => {
    setReviewing(false);
    render();
    search.focus();
  });
  find(box, '#cart-confirm').addEventListener('click', () => {
    options.confirm();
  });

  return {
    lines: () =>
      lines.map((line) => {
        const out: CartLine = { productId: line.productId, quantity: line.quantity };
        if (overrideAllowed && line.unitPrice !== undefined) out.unitPrice = line.unitPrice;
        return out;
      }),
    draft: () => lines.map((line) => ({ ...line })),
    restore(saved: unknown) {
      const kept: unknown[] = Array.isArray(saved) ? saved : [];
      lines = kept.flatMap((line): CartLine[] => {
        if (typeof line !== 'object' || line === null) return [];
        const { productId, quantity, unitPrice } = line as Record<string, unknown>;
        if (!products.has(String(Number(productId))) || !(Number(quantity) >= 1)) return [];
        const out: CartLine = {
          productId: Number(productId),
          quantity: Math.min(maxQuantity, Math.floor(Number(quantity))),
        };
        if (typeof unitPrice === 'string') out.unitPrice = unitPrice;
        return [out];
      });
      render();
    },
    allowOverride(allowed: boolean) {
      if (overrideAllowed === allowed) return;
      overrideAllowed = allowed;
      setReviewing(false);
      render();
    },
    reviewed() {
      if (reviewing || !lines.length) return true;
      // A price that is no amount goes to the server, which names the line's field.
      const unreadable = lines.some(
        (line) =>
          overrideAllowed && line.unitPrice !== undefined && !normalizePrice(line.unitPrice),
      );
      if (unreadable) return true;
      setReviewing(true);
      render();
      review.focus();
      return false;
    },
    focus() {
      if (reviewing) review.focus();
      else search.focus();
    },
  };
}
