// The cart of a type C outcome on the operator workstation (views/work/index.hbs): search the
// campaign's catalogue by code or name, add products with a quantity, change a line's
// quantity or (when the chosen status allows it) its price, see VAT per line and the totals,
// then review the cart before CONFERMA CONTRATTO. The server recomputes every amount in
// DECIMAL; the figures here are in whole cents, never through a float for the digits.
(function () {
  'use strict';

  /** "19.90" → 1990. */
  function cents(decimal) {
    var match = /^(-?)(\d+)(?:\.(\d{1,2}))?/.exec(String(decimal));
    if (!match) return 0;
    var value = Number(match[2]) * 100 + Number(((match[3] || '') + '00').slice(0, 2));
    return match[1] ? -value : value;
  }

  /** What an operator types as a price, "19,9" or "19.90", as the API wants it; null if no amount. */
  function normalizePrice(text) {
    var match = /^\s*(\d{1,8})(?:[.,](\d{1,2}))?\s*$/.exec(String(text));
    if (!match) return null;
    return match[1].replace(/^0+(?=\d)/, '') + '.' + ((match[2] || '') + '00').slice(0, 2);
  }

  /** Lower case without accents, so that "caffe" finds "Caffè". */
  function folded(text) {
    return String(text)
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
  }

  /**
   * The cart inside `box` (#work-cart-box). `options`: `strings` (the page's data-* texts),
   * `formatMoney(cents)`, `changed()` after every change, `confirm()` from the review.
   */
  function WorkCart(box, options) {
    var strings = options.strings;
    var maxQuantity = Number(box.dataset.maxQuantity) || 999;
    var search = box.querySelector('#cart-search');
    var quantityInput = box.querySelector('#cart-quantity');
    var catalogue = box.querySelector('#cart-catalogue');
    var noMatch = box.querySelector('#cart-no-match');
    var overrideNote = box.querySelector('#cart-override-note');
    var table = box.querySelector('#work-cart');
    var body = table.querySelector('tbody');
    var review = box.querySelector('#cart-review');
    var edit = box.querySelector('#cart-edit');
    var items = Array.prototype.slice.call(catalogue.querySelectorAll('li[data-product-id]'));
    var products = {};
    items.forEach(function (item) {
      products[item.dataset.productId] = {
        id: Number(item.dataset.productId),
        code: item.dataset.code,
        name: item.dataset.name,
        price: item.dataset.price,
        vat: item.dataset.vat,
        vatPercent: item.dataset.vatPercent,
        haystack: folded(item.dataset.code + ' ' + item.dataset.name),
      };
    });
    var lines = [];
    var overrideAllowed = false;
    var reviewing = false;

    function productOf(line) {
      return products[String(line.productId)];
    }

    /** The line's price: the operator's when the status allows one and it is an amount. */
    function priceOf(line) {
      var product = productOf(line);
      if (overrideAllowed && line.unitPrice !== undefined) {
        var asked = normalizePrice(line.unitPrice);
        if (asked !== null) return asked;
      }
      return product.price;
    }

    function isOverridden(line) {
      return overrideAllowed && cents(priceOf(line)) !== cents(productOf(line).price);
    }

    /** Net and VAT of a line in cents, each rounded per line as the server does. */
    function amounts(line) {
      var net = cents(priceOf(line)) * line.quantity;
      var vat = Math.round((net * cents(productOf(line).vat)) / 10000);
      return { net: net, vat: vat };
    }

    // ---- the catalogue ---------------------------------------------------------------------

    function visibleItems() {
      return items.filter(function (item) {
        return !item.hidden;
      });
    }

    function filter() {
      var words = folded(search.value).split(/\s+/).filter(Boolean);
      items.forEach(function (item) {
        var haystack = products[item.dataset.productId].haystack;
        item.hidden = !words.every(function (word) {
          return haystack.indexOf(word) !== -1;
        });
      });
      noMatch.hidden = visibleItems().length > 0;
    }

    function wantedQuantity() {
      var quantity = Number(quantityInput.value);
      if (!(Math.floor(quantity) === quantity && quantity >= 1 && quantity <= maxQuantity)) {
        quantityInput.setAttribute('aria-invalid', 'true');
        quantityInput.focus();
        return 0;
      }
      quantityInput.removeAttribute('aria-invalid');
      return quantity;
    }

    function add(productId) {
      var quantity = wantedQuantity();
      if (!quantity) return;
      var existing = lines.filter(function (line) {
        return line.productId === productId;
      })[0];
      if (existing) existing.quantity = Math.min(maxQuantity, existing.quantity + quantity);
      else lines.push({ productId: productId, quantity: quantity });
      quantityInput.value = '1';
      search.value = '';
      filter();
      update();
      search.focus();
    }

    catalogue.addEventListener('click', function (event) {
      var button = event.target.closest('[data-add-product]');
      if (button) add(Number(button.dataset.addProduct));
    });
    catalogue.addEventListener('keydown', function (event) {
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
      var buttons = visibleItems().map(function (item) {
        return item.querySelector('button');
      });
      var at = buttons.indexOf(document.activeElement);
      if (at === -1) return;
      event.preventDefault();
      if (event.key === 'ArrowUp' && at === 0) search.focus();
      else if (buttons[at + (event.key === 'ArrowDown' ? 1 : -1)]) {
        buttons[at + (event.key === 'ArrowDown' ? 1 : -1)].focus();
      }
    });
    search.addEventListener('input', filter);
    search.addEventListener('keydown', function (event) {
      var first = visibleItems()[0];
      if (event.key === 'ArrowDown' && first) {
        event.preventDefault();
        first.querySelector('button').focus();
      } else if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        if (first && search.value.trim()) add(Number(first.dataset.productId));
      }
    });
    quantityInput.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        search.focus();
      }
    });

    // ---- the lines -------------------------------------------------------------------------

    function cell(className, content) {
      var td = document.createElement('td');
      if (className) td.className = className;
      if (typeof content === 'string') td.textContent = content;
      else if (content) td.appendChild(content);
      return td;
    }

    function quantityField(line, index, label) {
      var input = document.createElement('input');
      input.type = 'number';
      input.className = 'work-input work-cart-qty';
      input.name = 'cart.' + index + '.quantity';
      input.min = '1';
      input.max = String(maxQuantity);
      input.step = '1';
      input.value = String(line.quantity);
      input.setAttribute('aria-label', strings.quantityOf + ' ' + label);
      // Live, and without rebuilding the row: the field keeps its focus and Tab its order.
      input.addEventListener('input', function () {
        var quantity = Number(input.value);
        if (Math.floor(quantity) === quantity && quantity >= 1 && quantity <= maxQuantity) {
          line.quantity = quantity;
          input.removeAttribute('aria-invalid');
          edited();
        } else {
          input.setAttribute('aria-invalid', 'true');
        }
      });
      return input;
    }

    function priceField(line, index, label) {
      var input = document.createElement('input');
      input.type = 'text';
      input.inputMode = 'decimal';
      input.className = 'work-input work-cart-price';
      input.name = 'cart.' + index + '.unitPrice';
      input.value = (line.unitPrice !== undefined ? line.unitPrice : productOf(line).price).replace(
        '.',
        strings.lang === 'en' ? '.' : ',',
      );
      input.setAttribute('aria-label', strings.priceOf + ' ' + label);
      input.addEventListener('input', function () {
        var asked = normalizePrice(input.value);
        if (input.value.trim() === '') delete line.unitPrice;
        else line.unitPrice = asked !== null ? asked : input.value;
        if (asked === null && input.value.trim() !== '') input.setAttribute('aria-invalid', 'true');
        else input.removeAttribute('aria-invalid');
        edited();
      });
      return input;
    }

    /** The rows on screen, with the cells that follow their line's figures. */
    var rows = [];

    function render() {
      body.textContent = '';
      rows = [];
      lines.forEach(function (line, index) {
        var product = productOf(line);
        var label = product.code + ' · ' + product.name;
        var row = document.createElement('tr');
        var name = cell('', label);
        var flag = document.createElement('span');
        flag.className = 'work-cart-flag';
        flag.textContent = strings.priceChanged;
        name.append(' ', flag);
        var remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'btn btn-small';
        remove.textContent = strings.remove;
        remove.setAttribute('aria-label', strings.remove + ' ' + label);
        remove.addEventListener('click', function () {
          lines.splice(index, 1);
          update();
          search.focus();
        });
        row.append(
          name,
          cell('num', reviewing ? String(line.quantity) : quantityField(line, index, label)),
          cell(
            'num',
            overrideAllowed && !reviewing
              ? priceField(line, index, label)
              : options.formatMoney(cents(priceOf(line))),
          ),
          cell('num', ''),
          cell('num', ''),
          cell('work-cart-actions', reviewing ? null : remove),
        );
        row.dataset.productId = String(line.productId);
        body.appendChild(row);
        rows.push({ line: line, flag: flag, vat: row.cells[3], total: row.cells[4] });
      });
      var any = lines.length > 0;
      box.querySelector('#cart-empty').hidden = any;
      table.hidden = !any;
      overrideNote.hidden = !overrideAllowed || reviewing;
      figures();
    }

    /** Each line's VAT and total, the flag of a changed price, and the cart's totals. */
    function figures() {
      var net = 0;
      var vat = 0;
      rows.forEach(function (row) {
        var sums = amounts(row.line);
        net += sums.net;
        vat += sums.vat;
        row.flag.hidden = !isOverridden(row.line);
        row.vat.textContent =
          productOf(row.line).vatPercent + ' · ' + options.formatMoney(sums.vat);
        row.total.textContent = options.formatMoney(sums.net + sums.vat);
      });
      var any = rows.length > 0;
      box.querySelector('#cart-net').textContent = any ? options.formatMoney(net) : '—';
      box.querySelector('#cart-vat').textContent = any ? options.formatMoney(vat) : '—';
      box.querySelector('#cart-total').textContent = any ? options.formatMoney(net + vat) : '—';
    }

    /** A quantity or a price typed in a line (inputs exist only outside the review). */
    function edited() {
      figures();
      options.changed();
    }

    /** Any change to the cart ends its review: what was read to the customer changed. */
    function update() {
      setReviewing(false);
      render();
      options.changed();
    }

    function setReviewing(on) {
      reviewing = on;
      review.hidden = !on;
      edit.hidden = on;
      box.classList.toggle('is-reviewing', on);
    }

    box.querySelector('#cart-edit-again').addEventListener('click', function () {
      setReviewing(false);
      render();
      search.focus();
    });
    box.querySelector('#cart-confirm').addEventListener('click', function () {
      options.confirm();
    });

    return {
      /** The lines as the outcome wants them: a price only where the status allows one. */
      lines: function () {
        return lines.map(function (line) {
          var out = { productId: line.productId, quantity: line.quantity };
          if (overrideAllowed && line.unitPrice !== undefined) out.unitPrice = line.unitPrice;
          return out;
        });
      },
      /** The lines as the draft keeps them (a price typed keeps its text). */
      draft: function () {
        return lines.map(function (line) {
          return Object.assign({}, line);
        });
      },
      restore: function (saved) {
        lines = (Array.isArray(saved) ? saved : [])
          .filter(function (line) {
            return line && products[String(Number(line.productId))] && line.quantity >= 1;
          })
          .map(function (line) {
            var out = {
              productId: Number(line.productId),
              quantity: Math.min(maxQuantity, Math.floor(line.quantity)),
            };
            if (typeof line.unitPrice === 'string') out.unitPrice = line.unitPrice;
            return out;
          });
        render();
      },
      /** The chosen status decides whether prices may change. */
      allowOverride: function (allowed) {
        if (overrideAllowed === allowed) return;
        overrideAllowed = allowed;
        setReviewing(false);
        render();
      },
      /** True when the cart has been reviewed; otherwise shows the review (if it has lines). */
      reviewed: function () {
        if (reviewing || !lines.length) return true;
        // A price that is no amount goes to the server, which names the line's field.
        var unreadable = lines.some(function (line) {
          return overrideAllowed && line.unitPrice !== undefined && !normalizePrice(line.unitPrice);
        });
        if (unreadable) return true;
        setReviewing(true);
        render();
        review.focus();
        return false;
      },
      focus: function () {
        if (reviewing) review.focus();
        else search.focus();
      },
    };
  }

  WorkCart.cents = cents;
  window.EsitoWorkCart = WorkCart;
})();
