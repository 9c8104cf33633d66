// The coordinators' wall: tiles and campaign figures arrive over Server-Sent Events from
// GET /api/v1/monitor/stream (the whole wall first, then the tiles that changed); times in
// state count up here every second, from the server's clock. Filters reconnect the stream.
(function () {
  'use strict';
  var grid = document.getElementById('mon-grid');
  if (!grid) return;
  var campaignsBox = document.getElementById('mon-campaigns');
  var summary = document.getElementById('mon-summary');
  var live = document.getElementById('mon-live');
  var liveText = document.getElementById('mon-live-text');
  var clock = document.getElementById('mon-clock');
  var form = document.getElementById('mon-filter');
  var lang = grid.getAttribute('data-lang') || 'it';

  function t(key) {
    return grid.getAttribute('data-t-' + key) || key;
  }

  var tiles = new Map(); // operatorId -> { data, el }
  var skew = 0; // server time - this browser's time, in ms
  var source = null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function icon(name, cls) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', 'mon-icon' + (cls ? ' ' + cls : ''));
    svg.setAttribute('aria-hidden', 'true');
    var use = document.createElementNS(ns, 'use');
    use.setAttribute('href', '#i-' + name);
    svg.appendChild(use);
    return svg;
  }

  // Black or white text, whichever reads better on the status colour.
  function inkOn(hex) {
    var n = parseInt(hex.slice(1), 16);
    var r = (n >> 16) & 255;
    var g = (n >> 8) & 255;
    var b = n & 255;
    return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#111' : '#fff';
  }

  function label(mark) {
    return lang === 'en' && mark.labelEn ? mark.labelEn : mark.label;
  }

  function elapsed(since) {
    var seconds = Math.max(0, Math.floor((Date.now() + skew - Date.parse(since)) / 1000));
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = (h > 0 && m < 10 ? '0' : '') + m;
    return (h > 0 ? h + ':' : '') + mm + ':' + (s < 10 ? '0' : '') + s;
  }

  function counts(box, c) {
    ['R', 'N', 'C', 'T'].forEach(function (type) {
      var item = el('span', 'mon-count mon-count-' + type);
      item.title = t('type-' + type.toLowerCase());
      item.appendChild(icon('type-' + type));
      item.appendChild(el('span', 'mon-count-type', type));
      item.appendChild(el('b', null, c[type]));
      box.appendChild(item);
    });
  }

  function renderTile(data) {
    var tile = el('article', 'mon-tile mon-state-' + data.state);
    tile.setAttribute('data-operator-id', data.operatorId);
    if (data.attention.length) tile.classList.add('mon-attention');
    var last = data.lastOutcome;
    tile.style.setProperty('--outcome', last ? last.color : '#9aa4b2');
    if (last) tile.setAttribute('data-outcome', last.code);

    var band = el('div', 'mon-band');
    if (last) {
      band.style.background = last.color;
      band.style.color = inkOn(last.color);
      band.appendChild(icon('type-' + last.type));
      band.appendChild(el('span', 'mon-band-code', last.code));
      band.appendChild(el('span', 'mon-band-label', label(last)));
      band.title = t('type-' + last.type.toLowerCase()) + ' · ' + label(last);
    } else {
      band.classList.add('mon-band-none');
      band.appendChild(el('span', 'mon-band-label', t('no-outcome')));
    }
    tile.appendChild(band);

    var head = el('div', 'mon-tile-head');
    head.appendChild(el('h2', 'mon-name', data.name));
    if (data.team) head.appendChild(el('span', 'mon-team', data.team));
    tile.appendChild(head);

    var state = el('p', 'mon-state');
    state.appendChild(icon('state-' + data.state));
    var stateText = t('state-' + data.state);
    if (data.pauseReason) stateText += ' · ' + label(data.pauseReason);
    state.appendChild(el('span', 'mon-state-text', stateText));
    if (data.since) {
      var timer = el('time', 'mon-timer', elapsed(data.since));
      timer.setAttribute('data-since', data.since);
      state.appendChild(timer);
    }
    tile.appendChild(state);

    var row = el('div', 'mon-counts');
    counts(row, data.counts);
    tile.appendChild(row);

    var strip = el('div', 'mon-strip');
    var total = data.recent.reduce(function (sum, r) {
      return sum + r.count;
    }, 0);
    strip.setAttribute('role', 'img');
    if (total === 0) {
      strip.classList.add('mon-strip-empty');
      strip.setAttribute('aria-label', t('nothing-hour'));
    } else {
      strip.setAttribute(
        'aria-label',
        t('last-hour') +
          ': ' +
          data.recent
            .map(function (r) {
              return r.code + ' ' + r.count;
            })
            .join(', '),
      );
      data.recent.forEach(function (r) {
        var part = el('span', 'mon-strip-part');
        part.style.background = r.color;
        part.style.color = inkOn(r.color);
        part.style.flexGrow = String(r.count);
        part.title = r.code + ' · ' + label(r) + ' × ' + r.count;
        if (r.count / total >= 0.2) part.textContent = r.code;
        strip.appendChild(part);
      });
    }
    tile.appendChild(strip);

    if (data.attention.length) {
      var alert = el('p', 'mon-alert');
      alert.appendChild(icon('alert'));
      alert.appendChild(
        el(
          'span',
          null,
          data.attention
            .map(function (a) {
              var text = t('attention-' + a);
              return a === 'callbacks_overdue' ? text.replace('%n', data.callbacksOverdue) : text;
            })
            .join(' · '),
        ),
      );
      tile.appendChild(alert);
    }
    return tile;
  }

  function renderCampaigns(list) {
    campaignsBox.textContent = '';
    list.forEach(function (c) {
      var card = el('article', 'mon-campaign');
      var head = el('h2', 'mon-campaign-name');
      head.appendChild(el('code', null, c.code));
      head.appendChild(document.createTextNode(' ' + c.name));
      card.appendChild(head);
      var row = el('div', 'mon-counts');
      counts(row, c.counts);
      card.appendChild(row);
      var facts = el('dl', 'mon-facts');
      function fact(name, value, cls) {
        var box = el('div', cls || null);
        box.appendChild(el('dt', null, name));
        box.appendChild(el('dd', null, value));
        facts.appendChild(box);
      }
      fact(
        t('conversion'),
        c.conversionRate === null ? '–' : Math.round(c.conversionRate * 1000) / 10 + '%',
      );
      fact(t('left'), c.contactsLeft);
      fact(t('due'), c.callbacksDue);
      fact(t('overdue'), c.callbacksOverdue, c.callbacksOverdue > 0 ? 'mon-fact-bad' : null);
      card.appendChild(facts);
      campaignsBox.appendChild(card);
    });
  }

  function place() {
    // Those needing attention first, then by name: the wall reads from the top left.
    var ordered = Array.from(tiles.values()).sort(function (a, b) {
      var attention = (b.data.attention.length > 0) - (a.data.attention.length > 0);
      return attention || a.data.name.localeCompare(b.data.name, lang);
    });
    ordered.forEach(function (entry, i) {
      if (grid.children[i] !== entry.el) grid.insertBefore(entry.el, grid.children[i] || null);
    });
    var attention = ordered.filter(function (e) {
      return e.data.attention.length > 0;
    }).length;
    summary.textContent =
      tiles.size === 0
        ? t('empty')
        : t('summary').replace('%shown', tiles.size).replace('%attention', attention);
  }

  function apply(message) {
    skew = Date.parse(message.at) - Date.now();
    if (message.kind === 'full') {
      tiles.clear();
      grid.textContent = '';
    }
    message.removed.forEach(function (id) {
      var entry = tiles.get(id);
      if (entry) entry.el.remove();
      tiles.delete(id);
    });
    message.operators.forEach(function (data) {
      var entry = tiles.get(data.operatorId);
      var node = renderTile(data);
      if (entry) grid.replaceChild(node, entry.el);
      tiles.set(data.operatorId, { data: data, el: node });
    });
    renderCampaigns(message.campaigns);
    place();
  }

  function setLive(state) {
    live.setAttribute('data-state', state);
    liveText.textContent = t(state);
  }

  function connect() {
    if (source) source.close();
    var params = new URLSearchParams(new FormData(form));
    Array.from(params.keys()).forEach(function (key) {
      if (!params.get(key)) params.delete(key);
    });
    var query = params.toString();
    history.replaceState(null, '', '/monitor' + (query ? '?' + query : ''));
    setLive('connecting');
    source = new EventSource('/api/v1/monitor/stream' + (query ? '?' + query : ''));
    source.addEventListener('wall', function (event) {
      setLive('live');
      apply(JSON.parse(event.data));
    });
    // EventSource reconnects by itself; say so meanwhile.
    source.onerror = function () {
      setLive('lost');
    };
  }

  setInterval(function () {
    grid.querySelectorAll('.mon-timer').forEach(function (node) {
      node.textContent = elapsed(node.getAttribute('data-since'));
    });
    clock.textContent = new Date(Date.now() + skew).toLocaleTimeString(
      lang === 'en' ? 'en-GB' : 'it-IT',
    );
  }, 1000);

  form.addEventListener('change', connect);
  connect();
})();
