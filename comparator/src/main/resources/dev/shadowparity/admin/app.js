/* Shadow Parity admin page: vanilla JS, no library. Every piece of data is put in the page as text
   (textContent / attributes), never as HTML: the data is user traffic. */
(function () {
  'use strict';
  var TOKEN_KEY = 'parity-admin-token';
  var view = document.getElementById('view');
  var statusEl = document.getElementById('status');
  var state = { sortKey: null, sortDir: 1, filter: '', report: null, trend: null, timer: null, open: {}, accepting: null,
    // scope: 'tap' (this tap's evidence) or 'fleet' (every tap of a shared store, /?scope=fleet); store: GET /api/store
    scope: /(^|[?&])scope=fleet(&|$)/.test(location.search) ? 'fleet' : 'tap', store: null, notice: null };
  var STALE_TAP_MS = 2 * 60 * 1000;

  function h(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'text') e.textContent = String(v);
        else if (k === 'class') e.className = v;
        else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }
  function add(e, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) { c.forEach(function (x) { add(e, x); }); return; }
    e.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }

  function setStatus(text, bad) { statusEl.textContent = text; statusEl.className = 'status' + (bad ? ' bad' : ''); }

  function api(path) {
    var headers = { 'Accept': 'application/json' };
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers['Authorization'] = 'Bearer ' + token;
    return fetch(path, { headers: headers, cache: 'no-store' }).then(function (res) {
      if (res.status === 401) { showAuth(); var err = new Error('401: admin token needed'); err.auth = true; throw err; }
      if (!res.ok) {
        // the server's own words (a 503 of the fleet view says why the shared store cannot be read)
        return res.text().then(function (text) {
          var msg = null; try { msg = JSON.parse(text).error; } catch (x) { msg = null; }
          var e = new Error(path + ': HTTP ' + res.status + (msg ? ': ' + msg : '')); e.status = res.status; e.reason = msg; throw e;
        });
      }
      return res.json();
    });
  }
  /* The API path for the scope shown: ?scope=fleet asks for every tap of the shared store. */
  function scoped(path) { return state.scope === 'fleet' ? path + (path.indexOf('?') >= 0 ? '&' : '?') + 'scope=fleet' : path; }
  function fleet() { return state.scope === 'fleet'; }

  function showAuth() {
    document.getElementById('auth').hidden = false;
    document.getElementById('auth-token').focus();
  }
  document.getElementById('auth-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById('auth-token').value);
    document.getElementById('auth').hidden = true;
    start();
  });

  var BADGE = { FAILING: '\u2716 FAILING', PROVEN: '\u2714 PROVEN', UNPROVEN: '? UNPROVEN', NOT_MIRRORED: '\u2013 NOT MIRRORED' };
  function needText(e) {
    if (e.verdict !== 'UNPROVEN' || e.cleanNeeded === undefined || e.cleanNeeded === null) return '';
    return e.cleanNeeded < 0 ? 'no number of clean exchanges can prove a rate of 0'
      : e.cleanNeeded + ' more clean exchange' + (e.cleanNeeded === 1 ? '' : 's') + ' would prove it';
  }
  function badge(v) { return h('span', { class: 'badge ' + v, text: BADGE[v] || v }); }
  function pct(x) { return (100 * (x || 0)).toFixed(1); }
  function rateText(e) { return pct(e.mismatchRate) + ' % (' + pct(e.lowerBound) + '\u2013' + pct(e.upperBound) + ')'; }
  function ms(x) { return x === undefined || x === null ? '\u2013' : Number(x).toFixed(1) + ' ms'; }
  function endpointHash(ep) { return '#/endpoint/' + encodeURIComponent(ep); }

  /* ---------- trend ---------- */
  function rates(points) {
    var out = [];
    for (var i = 1; i < (points || []).length; i++) {
      var dt = points[i].trials - points[i - 1].trials, df = points[i].failures - points[i - 1].failures;
      out.push(dt > 0 ? Math.max(0, df) / dt : null);
    }
    return out;
  }
  var SVGNS = 'http://www.w3.org/2000/svg';
  function sparkline(points) {
    var r = rates(points);
    var known = r.filter(function (x) { return x !== null; });
    if (known.length < 2) return null;
    var w = 110, hgt = 22, n = r.length;
    var svg = document.createElementNS(SVGNS, 'svg');
    svg.setAttribute('class', 'spark'); svg.setAttribute('width', w); svg.setAttribute('height', hgt);
    svg.setAttribute('viewBox', '0 0 ' + w + ' ' + hgt); svg.setAttribute('role', 'img');
    var last = known[known.length - 1];
    svg.setAttribute('aria-label', 'mismatch rate per interval, last ' + pct(last) + ' %');
    var title = document.createElementNS(SVGNS, 'title');
    title.textContent = 'rate per interval (0\u2013100 %), last ' + pct(last) + ' %';
    svg.appendChild(title);
    var pts = [], lx = 0, ly = 0;
    r.forEach(function (v, i) {
      if (v === null) return;
      lx = n === 1 ? w / 2 : 2 + i * (w - 4) / (n - 1); ly = hgt - 2 - v * (hgt - 4);
      pts.push(lx.toFixed(1) + ',' + ly.toFixed(1));
    });
    var pl = document.createElementNS(SVGNS, 'polyline'); pl.setAttribute('points', pts.join(' '));
    svg.appendChild(pl);
    var c = document.createElementNS(SVGNS, 'circle'); c.setAttribute('cx', lx); c.setAttribute('cy', ly); c.setAttribute('r', 2.5);
    svg.appendChild(c);
    return svg;
  }

  /* ---------- endpoints list ---------- */
  var VERDICT_ORDER = { FAILING: 0, UNPROVEN: 1, PROVEN: 2, NOT_MIRRORED: 3 };
  var COLUMNS = [
    { key: 'verdict', label: 'Verdict', get: function (e) { return VERDICT_ORDER[e.verdict]; } },
    { key: 'endpoint', label: 'Endpoint', get: function (e) { return e.endpoint; } },
    { key: 'compared', label: 'Compared', num: true, get: function (e) { return e.compared; } },
    { key: 'mismatched', label: 'Mismatched', num: true, get: function (e) { return e.mismatched; } },
    { key: 'rate', label: 'Rate (bounds)', num: true, get: function (e) { return e.mismatchRate; } },
    { key: 'trend', label: 'Trend' }
  ];

  /* The trend is this tap's (its store keeps its own points): not a column of the fleet view. */
  function columns() { return COLUMNS.filter(function (c) { return !(fleet() && c.key === 'trend'); }); }

  function renderList() {
    clear(view);
    var totals = h('div', { class: 'totals', id: 'totals', 'data-testid': 'totals' });
    var filter = h('input', { type: 'search', id: 'filter', placeholder: 'Filter endpoints (text in name or verdict)',
      'aria-label': 'Filter endpoints', value: state.filter });
    filter.addEventListener('input', function () { state.filter = filter.value; fillRows(); });
    var thead = h('tr');
    columns().forEach(function (c) {
      var th = h('th', { class: (c.num ? 'num ' : '') + (c.get ? 'sortable' : ''), scope: 'col', 'data-key': c.key });
      th.textContent = c.label;
      if (c.get) {
        th.tabIndex = 0;
        var toggle = function () {
          if (state.sortKey === c.key) state.sortDir = -state.sortDir; else { state.sortKey = c.key; state.sortDir = c.num ? -1 : 1; }
          fillRows();
        };
        th.addEventListener('click', toggle);
        th.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); toggle(); } });
      }
      thead.appendChild(th);
    });
    var table = h('table', { 'data-testid': 'endpoints-table' }, h('thead', null, thead), h('tbody', { id: 'rows' }));
    state.accepting = null;
    add(view, [h('h1', { text: fleet() ? 'Endpoints \u2014 fleet' : 'Endpoints' + (state.store && state.store.shared ? ' \u2014 this tap' : '') }),
      h('p', { class: 'muted source', id: 'source', 'data-testid': 'source' }),
      h('p', { class: 'problem', id: 'scope-problem', role: 'alert', 'data-testid': 'scope-problem', hidden: true }), totals,
      h('div', { class: 'toolbar' }, filter, h('span', { class: 'muted', id: 'shown' }),
        h('span', { class: 'muted', text: 'Click a row for its fields and samples. Refreshes every 5 s.' })), table,
      h('section', { 'data-testid': 'triage' }, h('h2', { text: 'Differences across endpoints' }),
        h('p', { class: 'muted', text: 'The same difference (field and kind) on several endpoints: triage it once. Noise and accepted differences are left out.' }),
        h('div', { id: 'triage' })),
      h('section', { id: 'baseline-section', 'data-testid': 'baseline', hidden: true }, h('h2', { text: 'Baseline' }),
        h('p', { class: 'muted', text: 'Accepted, intended differences from the tap\'s --baseline file: listed as accepted, never counted.' }),
        h('div', { id: 'baseline' })),
      h('section', { id: 'taps-section', 'data-testid': 'taps', hidden: !fleet() }, h('h2', { text: 'Taps' }),
        h('p', { class: 'muted', text: 'What each tap of the shared store wrote in this period. A tap writes at every flush, '
          + 'and at least every 30 s while idle: one not seen for over 2 minutes has stopped, or cannot reach the store.' }),
        h('div', { id: 'taps' }))]);
    refreshList();
  }

  function refreshList() {
    var scope = state.scope;
    return Promise.all([api(scoped('/api/report')), fleet() ? null : api('/api/trend').catch(function () { return null; })]).then(function (res) {
      if (scope !== state.scope) return; // the switch was used while this was on its way
      state.report = res[0]; state.trend = res[1];
      showProblem(null);
      fillSource(); fillTotals(); fillRows(); fillTriage(); fillBaseline(); fillTaps();
      setStatus('updated ' + new Date().toLocaleTimeString());
    }).catch(function (e) {
      if (scope !== state.scope) return;
      setStatus(e.message, true);
      if (fleet()) showProblem(e.reason || e.message);
    });
  }

  /* A problem of the fleet view (the shared store cannot be read): said above the tables, which keep the last data. */
  function showProblem(text) {
    var p = document.getElementById('scope-problem'); if (!p) return;
    p.hidden = !text; p.textContent = text ? text + (state.report ? ' The tables show the last evidence read.' : '') : '';
  }

  function fillSource() {
    var p = document.getElementById('source'); if (!p || !state.report) return;
    p.textContent = (state.notice ? state.notice + ' ' : '') + (fleet() ? 'Every tap of ' : 'Evidence of ') + (state.report.source || 'this tap')
      + (fleet() && state.report.taps ? ' \u2014 ' + plural(state.report.taps.length, 'tap') : '');
  }

  function ago(ms) {
    var s = Math.round(ms / 1000);
    return s < 120 ? s + ' s' : s < 7200 ? Math.round(s / 60) + ' min' : Math.round(s / 3600) + ' h';
  }

  /* The fleet's taps: what each contributed, and when it last wrote (against the report's own clock, not the browser's). */
  function fillTaps() {
    var sec = document.getElementById('taps-section'), box = document.getElementById('taps');
    if (!box || !state.report) return;
    var taps = state.report.taps;
    sec.hidden = !fleet() || !Array.isArray(taps);
    clear(box);
    if (sec.hidden) return;
    if (!taps.length) { add(box, h('p', { class: 'empty', text: 'No tap has written to this period yet.' })); return; }
    var now = Date.parse(state.report.generatedAt), me = state.store && state.store.tap;
    add(box, table(['Tap', 'Compared', 'Mismatched', 'Errors', 'Skipped', 'Endpoints', 'Last seen'], taps.map(function (t) {
      var seen = t.lastSeen ? Date.parse(t.lastSeen) : NaN, late = !isNaN(seen) && !isNaN(now) && now - seen > STALE_TAP_MS;
      return h('tr', { 'data-tap': t.tap, 'data-stale': late ? 'true' : 'false', class: late ? 'stale-tap' : null },
        h('td', { class: 'mono tap' }, t.tap, t.tap === me ? h('span', { class: 'muted', text: ' (this tap)' }) : null),
        h('td', { class: 'num', text: t.compared }), h('td', { class: 'num', text: t.mismatched }),
        h('td', { class: 'num', text: t.errors }), h('td', { class: 'num', text: t.skipped }),
        h('td', { class: 'num', text: t.endpoints }),
        h('td', { title: t.lastSeen || '' }, isNaN(seen) ? 'unknown' : ago(Math.max(0, now - seen)) + ' ago',
          late ? h('span', { class: 'late', text: ' \u26A0 not seen for over 2 min: stopped, or cannot reach the store' }) : null));
    }), { 'data-testid': 'taps-table' }));
  }

  function fillTotals() {
    var box = document.getElementById('totals'); if (!box || !state.report) return;
    clear(box);
    var t = state.report.totals || {}, eps = state.report.endpoints || [];
    var count = function (v) { return eps.filter(function (e) { return e.verdict === v; }).length; };
    [['Endpoints', eps.length], ['\u2716 Failing', count('FAILING')], ['? Unproven', count('UNPROVEN')], ['\u2714 Proven', count('PROVEN')],
      ['\u2013 Not mirrored', count('NOT_MIRRORED')], ['Compared', t.compared], ['Matched', t.matched], ['Noise only', t.noiseOnly],
      ['Accepted', t.accepted], ['Mismatched', t.mismatched], ['Errors', t.errors], ['Not comparable', t.notComparable], ['Skipped', t.skipped]]
      .forEach(function (p) { box.appendChild(h('div', { class: 'box' }, h('b', { text: p[1] === undefined ? 0 : p[1] }), h('span', { text: p[0] }))); });
  }

  function fillRows() {
    var body = document.getElementById('rows'); if (!body || !state.report) return;
    var eps = (state.report.endpoints || []).slice();
    var q = state.filter.trim().toLowerCase();
    if (q) eps = eps.filter(function (e) { return (e.endpoint + ' ' + e.verdict).toLowerCase().indexOf(q) >= 0; });
    var col = columns().filter(function (c) { return c.key === state.sortKey; })[0];
    if (col) {
      eps.sort(function (a, b) {
        var x = col.get(a), y = col.get(b);
        return (x < y ? -1 : x > y ? 1 : 0) * state.sortDir || (a.endpoint < b.endpoint ? -1 : 1);
      });
    }
    document.querySelectorAll('th[data-key]').forEach(function (th) {
      var k = th.getAttribute('data-key'), c = columns().filter(function (x) { return x.key === k; })[0];
      th.textContent = c.label + (k === state.sortKey ? (state.sortDir > 0 ? ' \u25B2' : ' \u25BC') : '');
      if (c.get) th.setAttribute('aria-sort', k === state.sortKey ? (state.sortDir > 0 ? 'ascending' : 'descending') : 'none');
    });
    clear(body);
    var trend = (state.trend && state.trend.endpoints) || {};
    eps.forEach(function (e) {
      var tr = h('tr', { class: 'endpoint-row', 'data-endpoint': e.endpoint, 'data-verdict': e.verdict },
        h('td', null, badge(e.verdict), needText(e) ? h('div', { class: 'need muted', text: needText(e) }) : null),
        h('td', null, h('a', { href: endpointHash(e.endpoint), class: 'mono', text: e.endpoint })),
        h('td', { class: 'num', text: e.compared }),
        h('td', { class: 'num', text: e.mismatched }),
        h('td', { class: 'num', text: rateText(e) }),
        fleet() ? null : h('td', null, sparkline(trend[e.endpoint])));
      tr.addEventListener('click', function (ev) { if (ev.target.tagName !== 'A') location.hash = endpointHash(e.endpoint); });
      body.appendChild(tr);
    });
    if (!eps.length) body.appendChild(h('tr', null, h('td', { colspan: columns().length, class: 'empty', text: q ? 'No endpoint matches the filter.' : 'No traffic yet.' })));
    var shown = document.getElementById('shown');
    if (shown) shown.textContent = eps.length + ' of ' + (state.report.endpoints || []).length + ' shown';
  }

  /* ---------- differences across endpoints, baseline ---------- */
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  /* The baseline entry that accepts a group's difference whatever the values on all its endpoints, if any. */
  function coveringEntry(g, base) {
    return (base || []).filter(function (b) {
      return b.field === g.field && (!b.kind || b.kind === g.kind) && b.old === undefined && b['new'] === undefined
        && g.endpoints.every(function (ep) { return b.endpoints.indexOf('*') >= 0 || b.endpoints.indexOf(ep) >= 0; });
    })[0];
  }

  function fillTriage() {
    var box = document.getElementById('triage'); if (!box || !state.report) return;
    if (state.accepting) return; // never replace a form being filled in; the next refresh after it closes will
    clear(box);
    var groups = state.report.groups || [], base = state.report.baseline;
    // the baseline is this tap's file: differences are accepted in this tap's view
    var canAccept = !!sessionStorage.getItem(TOKEN_KEY) && Array.isArray(base) && !fleet();
    if (!groups.length) { add(box, h('p', { class: 'empty', text: 'No mismatching field.' })); return; }
    var heads = ['Field', 'Kind', 'Likely cause', 'Endpoints', 'Exchanges'];
    if (canAccept) heads.push('');
    var rows = [];
    groups.forEach(function (g) {
      var key = g.field + '\n' + g.kind, n = g.endpoints.length;
      var det = h('details', { open: !!state.open[key] }, h('summary', { text: 'on ' + plural(n, 'endpoint') }),
        h('ul', { class: 'eps' }, g.endpoints.map(function (ep) { return h('li', null, h('a', { href: endpointHash(ep), class: 'mono', text: ep })); })));
      det.addEventListener('toggle', function () { state.open[key] = det.open; });
      var tr = h('tr', { 'data-field': g.field, 'data-kind': g.kind, 'data-endpoints': n },
        h('td', { class: 'mono', text: g.field }), h('td', { text: g.kind }), h('td', { class: 'cause', text: g.cause || '\u2013' }),
        h('td', null, det), h('td', { class: 'num', text: g.count }));
      rows.push(tr);
      if (!canAccept) return;
      var entry = coveringEntry(g, base), cell = h('td');
      tr.appendChild(cell);
      if (entry) { add(cell, h('span', { class: 'accepted', title: 'the baseline accepts it from now on; what was recorded before stays counted', text: '\u2714 accepted (' + entry.id + ')' })); return; }
      var formRow = h('tr', { class: 'accept-row', hidden: true });
      var close = function () { state.accepting = null; formRow.hidden = true; };
      add(cell, h('button', { type: 'button', class: 'accept', onclick: function () {
        if (state.accepting) state.accepting.close(); // one form at a time
        state.accepting = { close: close }; formRow.hidden = false; formRow.querySelector('input[name=reason]').focus();
      } }, 'Accept\u2026'));
      add(formRow, h('td', { colspan: heads.length }, acceptForm(g, close)));
      rows.push(formRow);
    });
    add(box, table(heads, rows, { 'data-testid': 'groups-table' }));
  }

  /* POST /api/accept for a group: the entry goes into the tap's baseline file. */
  function acceptForm(g, close) {
    var reason = h('input', { name: 'reason', required: true, autocomplete: 'off', placeholder: 'why this difference is intended' });
    var by = h('input', { name: 'by', autocomplete: 'off', placeholder: 'optional' });
    // the narrower choice by default: accepting on every endpoint, present and future, is a choice to make
    var all = h('input', { type: 'radio', name: 'endpoints', value: 'all' });
    var only = h('input', { type: 'radio', name: 'endpoints', value: 'only', checked: true });
    var err = h('p', { class: 'problem accept-error', role: 'alert' });
    var submit = h('button', { type: 'submit' }, 'Accept');
    var form = h('form', { class: 'accept-form' },
      h('p', null, 'Accept ', h('span', { class: 'mono', text: g.field }), ' (' + g.kind + ') as intended: it is then listed as accepted, never counted.'),
      h('label', null, 'Reason ', reason), h('label', null, 'By ', by),
      h('fieldset', null, h('legend', { text: 'Endpoints' }), h('label', null, all, ' all (*)'),
        h('label', null, only, ' only these ' + plural(g.endpoints.length, 'endpoint'))),
      submit, ' ', h('button', { type: 'button', onclick: function () { err.textContent = ''; close(); } }, 'Cancel'), err);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var body = { field: g.field, kind: g.kind, endpoints: only.checked ? g.endpoints : ['*'], reason: reason.value };
      if (by.value.trim()) body.by = by.value.trim();
      var headers = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
      var token = sessionStorage.getItem(TOKEN_KEY);
      if (token) headers['Authorization'] = 'Bearer ' + token;
      submit.disabled = true; err.textContent = '';
      fetch('/api/accept', { method: 'POST', headers: headers, body: JSON.stringify(body), cache: 'no-store' }).then(function (res) {
        return res.text().then(function (text) {
          if (res.ok) return;
          var msg; try { msg = JSON.parse(text).error; } catch (e) { msg = null; }
          if (res.status === 401) showAuth();
          throw new Error('HTTP ' + res.status + ': ' + (msg || text || res.statusText));
        });
      }).then(function () {
        close(); setStatus('accepted ' + g.field + ' (' + g.kind + ')'); refreshList();
      }).catch(function (e) { err.textContent = e.message; submit.disabled = false; });
    });
    return form;
  }

  var STATE_TEXT = { 'in-use': 'in use', recorded: 'recorded: only mismatches recorded before it was applied',
    stale: 'stale: no longer occurs \u2014 remove it', 'no-evidence': 'no evidence: none of its endpoints compared yet' };

  function fillBaseline() {
    var sec = document.getElementById('baseline-section'), box = document.getElementById('baseline');
    if (!box || !state.report) return;
    var base = state.report.baseline;
    sec.hidden = !Array.isArray(base);
    clear(box);
    if (!Array.isArray(base)) return;
    if (!base.length) { add(box, h('p', { class: 'empty', text: 'No entry yet: accept a difference above, or with parity accept.' })); return; }
    var any = function (v) { return v === undefined || v === null ? 'any' : v; };
    add(box, table(['Field', 'Kind', 'Endpoints', 'OLD', 'NEW', 'Reason', 'By', 'At', 'Accepted', 'State'], base.map(function (b) {
      return h('tr', { 'data-id': b.id, 'data-field': b.field, 'data-state': b.state, class: b.state === 'stale' ? 'stale' : null },
        h('td', { class: 'mono', text: b.field }), h('td', { text: any(b.kind) }), h('td', { class: 'mono', text: (b.endpoints || []).join(', ') }),
        h('td', { class: 'val', text: any(b.old) }), h('td', { class: 'val', text: any(b['new']) }), h('td', { text: b.reason }),
        h('td', { text: b.by || '\u2013' }), h('td', { text: b.at || '\u2013' }), h('td', { class: 'num', text: b.accepted || 0 }),
        h('td', { class: 'state', text: STATE_TEXT[b.state] || b.state }));
    }), { 'data-testid': 'baseline-table' }));
  }

  /* ---------- endpoint page ---------- */
  function renderEndpoint(ep) {
    clear(view);
    var page = h('div', { 'data-testid': 'endpoint-page', 'data-endpoint': ep });
    add(view, page);
    add(page, [h('p', null, h('a', { href: '#/', text: '\u2190 All endpoints' })), h('h1', { class: 'mono', text: ep }),
      fleet() ? h('p', { class: 'muted', 'data-testid': 'scope-note', text: 'Every tap of the shared store: counts summed, samples from any tap.' }) : null,
      h('p', { class: 'muted', text: 'Loading\u2026' })]);
    var scope = state.scope;
    Promise.all([api(scoped('/api/report')), api(scoped('/api/endpoints/' + encodeURIComponent(ep) + '/samples')).catch(function (e) {
      if (e.status === 404) return []; throw e; })]).then(function (res) {
      if (scope !== state.scope) return;
      var e = (res[0].endpoints || []).filter(function (x) { return x.endpoint === ep; })[0];
      page.removeChild(page.lastChild);
      if (!e) { add(page, h('p', { class: 'problem', text: 'No such endpoint in the report' + (fleet() ? ' of the fleet.' : '.') })); return; }
      fillEndpoint(page, e, res[1] || []);
      setStatus('loaded ' + new Date().toLocaleTimeString());
    }).catch(function (err) {
      if (scope !== state.scope) return;
      setStatus(err.message, true);
      if (page.lastChild && page.lastChild.textContent === 'Loading\u2026') page.removeChild(page.lastChild);
      add(page, h('p', { class: 'problem', role: 'alert', 'data-testid': 'scope-problem', text: err.reason || err.message }));
    });
  }

  function table(headers, rows, attrs) {
    return h('table', attrs || null, h('thead', null, h('tr', null, headers.map(function (x) {
      return h('th', { scope: 'col', class: /^(Count|p50|p99|Max|Exchanges|Hidden|Removed|Accepted|Compared|Mismatched|Latency)/.test(x) ? 'num' : null, text: x }); }))),
    h('tbody', null, rows));
  }

  function fillEndpoint(page, e, samples) {
    add(page, h('p', null, badge(e.verdict), ' ', h('span', { class: 'mono', text: rateText(e) }), ' mismatch rate; ',
      e.compared + ' compared, ' + e.mismatched + ' mismatched' + (e.reclassified ? ' (' + e.reclassified + ' later found to be noise)' : '')
        + (e.noiseOnly ? ', ' + e.noiseOnly + ' differing only in noise' : '') + ', ' + (e.accepted || 0) + ' accepted'
        + (e.acceptedBy && Object.keys(e.acceptedBy).length ? ' (by entry ' + Object.keys(e.acceptedBy).map(function (k) {
          return k + ': ' + e.acceptedBy[k]; }).join(', ') + ')' : '') + ', ' + (e.errors || 0) + ' errors',
      e.errorKinds && Object.keys(e.errorKinds).length ? ' (' + JSON.stringify(e.errorKinds) + ')' : '',
      e.notComparable && Object.keys(e.notComparable).length ? '; not comparable ' + JSON.stringify(e.notComparable) : '',
      e.skipped && Object.keys(e.skipped).length ? '; skipped ' + JSON.stringify(e.skipped) : ''));
    if (needText(e)) add(page, h('p', { 'data-testid': 'clean-needed', text: 'UNPROVEN: ' + needText(e) + '.' }));
    add(page, h('h2', { text: 'Fields that differ' }));
    if ((e.fields || []).length) {
      add(page, table(['Field', 'Kind', 'Count', 'Likely cause'], e.fields.map(function (f) {
        return h('tr', null, h('td', { class: 'mono', text: f.field }), h('td', { text: f.kind }), h('td', { class: 'num', text: f.count }),
          h('td', { class: 'cause', text: f.cause || '\u2013' }));
      }), { 'data-testid': 'fields-table' }));
    } else add(page, h('p', { class: 'empty', text: 'No mismatching field.' }));
    if ((e.queryShapes || []).length) {
      add(page, h('h2', { text: 'Query shapes' }));
      add(page, table(['Query shape', 'Compared', 'Mismatched'], e.queryShapes.map(function (q) {
        return h('tr', { class: q.mismatched ? 'hot' : null }, h('td', { class: q.shape ? 'mono' : 'muted', text: q.shape || '(no query)' }),
          h('td', { class: 'num', text: q.compared }), h('td', { class: 'num', text: q.mismatched }));
      }), { 'data-testid': 'query-shapes' }));
    }
    var noise = e.noise || [];
    if (noise.length) {
      add(page, h('h2', { text: 'Noise (not counted)' }));
      add(page, table(['Field', 'Noise', 'Hidden when recorded', 'In mismatches recorded before', 'Evidence'], noise.map(function (n) {
        var ev = [];
        if (n.oldComparisons) ev.push('OLD differed from itself in ' + n.oldDifferences + ' of ' + n.oldComparisons + ' repeats');
        if (n.secondaryTrials) ev.push('second OLD answer: OLD\u2260OLD ' + n.secondaryOld + ', OLD\u2260NEW ' + n.secondaryNew + ' of ' + n.secondaryTrials);
        if (n.noise === 'pinned') ev.push('pinned in the config');
        return h('tr', null, h('td', { class: 'mono', text: n.field }), h('td', { text: n.noise || 'not noise' }),
          h('td', { class: 'num', text: n.discounted || 0 }), h('td', { class: 'num', text: n.reclassified || 0 }),
          h('td', { text: ev.join('; ') || '\u2013' }));
      }), { 'data-testid': 'noise-table' }));
    }
    var lat = e.latency || {};
    add(page, h('h2', { text: 'Latency, OLD vs NEW' }));
    add(page, table(['Side', 'Count', 'p50', 'p99', 'Max'], ['old', 'new'].map(function (s) {
      var l = lat[s] || {};
      return h('tr', null, h('th', { scope: 'row', text: s.toUpperCase() }), h('td', { class: 'num', text: l.count || 0 }),
        h('td', { class: 'num', text: ms(l.p50Ms) }), h('td', { class: 'num', text: ms(l.p99Ms) }), h('td', { class: 'num', text: ms(l.maxMs) }));
    }), { 'data-testid': 'latency-table' }));
    add(page, h('h2', { text: 'Samples (' + samples.length + ')' }));
    if (!samples.length) add(page, h('p', { class: 'empty', text: 'No sample kept for this endpoint.' }));
    var noiseSet = {};
    noise.forEach(function (n) { if (n.noise) noiseSet[n.field] = true; });
    samples.forEach(function (s, i) { add(page, renderSample(s, i, noiseSet)); });
  }

  function headerMap(hs) {
    var m = {};
    (hs || []).forEach(function (p) { var k = String(p[0]).toLowerCase(); m[k] = m[k] === undefined ? String(p[1]) : m[k] + ', ' + p[1]; });
    return m;
  }

  function mark(kind) {
    if (kind === 'diff') return h('td', { class: 'mark', title: 'differs', text: '\u2260' });
    if (kind === 'approx') return h('td', { class: 'mark', title: 'noise, or equal after normalization', text: '\u2248' });
    return h('td', { class: 'mark', text: '' });
  }
  function rowAttrs(kind) { return kind === 'diff' ? { class: 'diff', 'data-diff': 'true' } : kind === 'approx' ? { class: 'approx' } : null; }

  function renderSample(s, i, noiseSet) {
    var diffs = s.differences || [];
    var counted = diffs.filter(function (d) { return !noiseSet[d.field]; });
    var headerDiff = {}, statusDiff = false, bodyDiff = false, paths = [], noisePaths = [];
    counted.forEach(function (d) {
      if (d.field.indexOf('header:') === 0) headerDiff[d.field.slice(7)] = true;
      else if (d.field === 'status') statusDiff = true;
      else if (d.field === 'body') bodyDiff = true;
      else if (d.field.charAt(0) === '/') paths.push(d.path || d.field);
    });
    diffs.forEach(function (d) { if (noiseSet[d.field]) noisePaths.push(d.path || d.field); });
    var req = s.request || {};
    var box = h('section', { class: 'sample', 'data-testid': 'sample' },
      h('h3', null, 'Sample ' + (i + 1) + ' ', h('span', { class: 'muted', text: s.at || '' }),
        (s.fields || []).length ? h('span', { class: 'muted', text: ' \u2014 fields: ' + s.fields.join(', ') }) : null),
      h('p', { class: 'req', text: (req.method || '') + ' ' + (req.uri || '') }),
      s.write ? h('p', { class: 'write', 'data-testid': 'sample-write', text: 'Likely cause: ' + s.write }) : null,
      headersTable(req.headers, {}, null));
    if (req.body) add(box, h('pre', { text: req.body }));
    if (s.error) add(box, h('p', { class: 'problem', text: 'Error: ' + (typeof s.error === 'string' ? s.error : JSON.stringify(s.error)) }));
    var o = s.old || {}, n = s['new'] || {};
    var oh = headerMap(o.headers), nh = headerMap(n.headers);
    Object.keys(oh).concat(Object.keys(nh)).forEach(function (k) {
      if (!/^(date|server|content-length|x-request-id)$/.test(k) && oh[k] !== nh[k] && (oh[k] === undefined || nh[k] === undefined)) headerDiff[k] = headerDiff[k] || false;
    });
    add(box, h('div', { class: 'grid2' }, side('OLD', o, headerDiff, statusDiff), side('NEW', n, headerDiff, statusDiff)));
    add(box, h('h3', { text: 'Body' }));
    add(box, bodyView(o, n, paths, noisePaths, bodyDiff));
    if (diffs.length) {
      add(box, h('h3', { text: 'Differences' }));
      add(box, table(['', 'Path', 'Kind', 'OLD', 'NEW', 'Likely cause'], diffs.map(function (d) {
        var isNoise = !!noiseSet[d.field];
        return h('tr', { class: isNoise ? 'approx' : null }, h('td', { class: 'mark', text: isNoise ? '\u2248' : '\u2260', title: isNoise ? 'noise, not counted' : 'counted' }),
          h('td', { class: 'mono', text: d.path || d.field }), h('td', { text: d.kind + (isNoise ? ' (noise)' : '') }),
          h('td', { class: d.old === undefined ? 'val absent' : 'val', text: d.old === undefined ? 'absent' : d.old }),
          h('td', { class: d['new'] === undefined ? 'val absent' : 'val', text: d['new'] === undefined ? 'absent' : d['new'] }),
          h('td', { class: 'cause', text: d.cause || '\u2013' }));
      })));
    }
    return box;
  }

  function side(label, r, headerDiff, statusDiff) {
    var sideBox = h('div', { class: 'side' }, h('h3', { text: label + (r.latencyMs !== undefined ? ' \u2014 ' + ms(r.latencyMs) : '') }));
    var st = h('p', statusDiff ? { class: 'diff', 'data-diff': 'true' } : null,
      statusDiff ? h('span', { class: 'mark', text: '\u2260 ' }) : null, 'Status: ', h('b', { text: r.status === undefined ? 'none' : r.status }));
    if (statusDiff) st = h('div', { class: 'diff', 'data-diff': 'true' }, st);
    add(sideBox, st);
    if (r.problem) add(sideBox, h('p', { class: 'problem', text: r.problem }));
    add(sideBox, headersTable(r.headers, headerDiff));
    return sideBox;
  }

  function headersTable(hs, headerDiff) {
    if (!hs || !hs.length) return h('p', { class: 'empty', text: 'No headers.' });
    return table(['', 'Header', 'Value'], hs.map(function (p) {
      var k = String(p[0]).toLowerCase();
      var kind = headerDiff[k] === true ? 'diff' : headerDiff[k] === false ? 'approx' : null;
      return h('tr', rowAttrs(kind), mark(kind), h('td', { class: 'mono', text: p[0] }), h('td', { class: 'val', text: p[1] }));
    }));
  }

  /* JSON bodies: both flattened to JSON Pointer -> value, one row per pointer. */
  /*
   * A number JSON.parse would round (an integer past 2^53: an int64 id, a gRPC int64), kept as its exact digits: the
   * engine compares them exactly, and the page must not show two different ids as one. Uses the reviver's source text
   * (JSON.parse source access); a browser without it shows the rounded number, as before.
   */
  function Exact(source) { this.source = source; }
  function parseExact(text) {
    return JSON.parse(text, function (k, v, ctx) {
      if (typeof v === 'number' && !Number.isSafeInteger(v) && ctx && typeof ctx.source === 'string'
          && /^-?\d+$/.test(ctx.source)) return new Exact(ctx.source);
      return v;
    });
  }
  function flatten(v, ptr, out) {
    if (v instanceof Exact) { out.push([ptr === '' ? '' : ptr, v.source]); return out; }
    if (v !== null && typeof v === 'object') {
      var keys = Object.keys(v);
      if (!keys.length) { out.push([ptr, Array.isArray(v) ? '[]' : '{}']); return out; }
      keys.forEach(function (k) { flatten(v[k], ptr + '/' + String(k).replace(/~/g, '~0').replace(/\//g, '~1'), out); });
    } else out.push([ptr === '' ? '' : ptr, JSON.stringify(v)]);
    return out;
  }
  function under(ptr, paths) {
    return paths.some(function (p) { return ptr === p || ptr.indexOf(p + '/') === 0 || (p !== '' && p.indexOf(ptr + '/') === 0); });
  }

  function bodyView(o, n, paths, noisePaths, bodyDiff) {
    var wrap = h('div');
    [['OLD', o], ['NEW', n]].forEach(function (p) {
      if (p[1].truncated) add(wrap, h('p', { class: 'muted', text: p[0] + ' body truncated to the sample size.' }));
    });
    var ob = o.body === undefined || o.body === null ? '' : String(o.body), nb = n.body === undefined || n.body === null ? '' : String(n.body);
    var oj, nj, json = o.bodyKind === 'json' && n.bodyKind === 'json';
    if (json) { try { oj = parseExact(ob); nj = parseExact(nb); } catch (err) { json = false; } }
    if (json) {
      var of = flatten(oj, '', []), nf = flatten(nj, '', []);
      var om = {}, nm = {}, order = [];
      of.forEach(function (r) { om[r[0]] = r[1]; order.push(r[0]); });
      nf.forEach(function (r) { if (!(r[0] in om) && !(r[0] in nm)) order.push(r[0]); nm[r[0]] = r[1]; });
      var rows = order.map(function (ptr) {
        var kind = under(ptr, paths) || bodyDiff ? 'diff' : under(ptr, noisePaths) || om[ptr] !== nm[ptr] ? 'approx' : null;
        return h('tr', rowAttrs(kind), mark(kind), h('td', { class: 'mono', text: ptr === '' ? '(root)' : ptr }),
          h('td', { class: ptr in om ? 'val' : 'val absent', text: ptr in om ? om[ptr] : 'absent' }),
          h('td', { class: ptr in nm ? 'val' : 'val absent', text: ptr in nm ? nm[ptr] : 'absent' }));
      });
      add(wrap, table(['', 'JSON Pointer', 'OLD', 'NEW'], rows, { class: 'aligned', 'data-testid': 'json-aligned' }));
      add(wrap, h('p', { class: 'muted', text: '\u2260 differs and counts; \u2248 noise, or a textual difference that normalization forgives.' }));
      return wrap;
    }
    if (!ob && !nb) { add(wrap, h('p', { class: 'empty', text: 'Both bodies empty.' })); return wrap; }
    if (o.bodyKind === 'binary' || n.bodyKind === 'binary') {
      add(wrap, h('div', { class: 'grid2' }, h('pre', { text: 'OLD (' + o.bodyKind + '): ' + ob }), h('pre', { text: 'NEW (' + n.bodyKind + '): ' + nb })));
      if (bodyDiff) add(wrap, h('p', { class: 'diff', 'data-diff': 'true' }, h('span', { class: 'mark', text: '\u2260 ' }), 'The bodies differ.'));
      return wrap;
    }
    add(wrap, unifiedDiff(ob, nb));
    return wrap;
  }

  /* Unified line diff by LCS (sample bodies are capped, so the table stays small). */
  function unifiedDiff(a, b) {
    var x = a.split('\n'), y = b.split('\n');
    var pre = h('pre', { class: 'udiff', 'data-testid': 'text-diff' });
    add(pre, h('div', { class: 'hunk', text: '--- OLD  +++ NEW' }));
    if (x.length * y.length > 4000000) {
      x.forEach(function (l) { add(pre, h('div', { class: 'del diff', 'data-diff': 'true', text: '- ' + l })); });
      y.forEach(function (l) { add(pre, h('div', { class: 'add diff', 'data-diff': 'true', text: '+ ' + l })); });
      return pre;
    }
    var m = x.length, n = y.length, L = [];
    for (var i = 0; i <= m; i++) L.push(new Uint32Array(n + 1));
    for (i = m - 1; i >= 0; i--) for (var j = n - 1; j >= 0; j--) L[i][j] = x[i] === y[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    i = 0; j = 0;
    while (i < m || j < n) {
      if (i < m && j < n && x[i] === y[j]) { add(pre, h('div', { text: '  ' + x[i] })); i++; j++; }
      else if (j < n && (i >= m || L[i][j + 1] >= L[i + 1][j])) { add(pre, h('div', { class: 'add diff', 'data-diff': 'true', text: '+ ' + y[j] })); j++; }
      else { add(pre, h('div', { class: 'del diff', 'data-diff': 'true', text: '- ' + x[i] })); i++; }
    }
    return pre;
  }

  /* ---------- routing ---------- */
  function route() {
    if (state.timer) { clearInterval(state.timer); state.timer = null; }
    var m = /^#\/endpoint\/(.+)$/.exec(location.hash);
    if (m) {
      var ep; try { ep = decodeURIComponent(m[1]); } catch (err) { ep = m[1]; }
      document.title = ep + ' \u2014 Shadow Parity';
      renderEndpoint(ep);
    } else {
      document.title = 'Shadow Parity';
      renderList();
      state.timer = setInterval(refreshList, 5000);
    }
    window.scrollTo(0, 0);
  }
  window.addEventListener('hashchange', route);

  /* ---------- scope: this tap or the fleet ---------- */
  /* The switch, shown only when this tap's store is shared by a fleet (GET /api/store). */
  function renderScopeSwitch() {
    var box = document.getElementById('scope');
    clear(box);
    box.hidden = !(state.store && state.store.shared);
    if (box.hidden) return;
    [['tap', 'This tap', 'this tap\'s evidence (' + state.store.tap + ')'], ['fleet', 'Fleet', 'every tap of ' + state.store.store]].forEach(function (o) {
      add(box, h('button', { type: 'button', 'data-scope': o[0], 'aria-pressed': state.scope === o[0] ? 'true' : 'false', title: o[2],
        onclick: function () { setScope(o[0]); } }, o[1]));
    });
  }
  function setScope(scope) {
    if (scope === state.scope) return;
    state.scope = scope;
    // the address says the scope, so a reload or a shared link opens the same view
    history.replaceState(null, '', location.pathname + (scope === 'fleet' ? '?scope=fleet' : '') + location.hash);
    state.report = null; state.trend = null; state.notice = null;
    renderScopeSwitch();
    route();
  }

  /* Where the evidence is (and whether there is a fleet), then the view the address asks for. */
  function start() {
    return api('/api/store').then(function (s) { state.store = s; }, function (e) {
      if (!e.auth) setStatus(e.message, true);
    }).then(function () {
      if (fleet() && state.store && !state.store.shared) {
        // asked for the fleet of a tap whose store only it writes: this tap's evidence, and why
        state.scope = 'tap';
        history.replaceState(null, '', location.pathname + location.hash);
        state.notice = 'No fleet view: this tap\'s store (' + (state.store.store || 'memory') + ') is not shared by other taps.';
      }
      renderScopeSwitch();
      route();
    });
  }
  start();
})();
