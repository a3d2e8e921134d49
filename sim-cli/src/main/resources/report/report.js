// dojosim report: draws the tables and charts of a run or a sweep from the inline JSON block.
// No network, no libraries. When done it sets data-report-ready="1" on <html>, with counts of what
// it drew (data-heatmap-cells, data-heatmap-links, data-sweep-charts) for tests.
(function () {
  'use strict';
  var SVGNS = 'http://www.w3.org/2000/svg';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var main = document.getElementById('main');
  var root = document.documentElement;
  var PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  var gradientId = 0;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function sv(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function section(title, note, parent) {
    var s = el('section');
    if (title) { s.appendChild(el('h2', null, title)); }
    if (note) { s.appendChild(el('p', { 'class': 'muted' }, note)); }
    (parent || main).appendChild(s);
    return s;
  }
  function isNum(v) { return typeof v === 'number' && isFinite(v); }
  function fmt(v) {
    if (!isNum(v)) { return v === null || v === undefined ? '' : String(v); }
    if (Number.isInteger(v) && Math.abs(v) < 1e15) { return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
    var a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e9)) { return v.toExponential(4); }
    return String(Number(v.toPrecision(6)));
  }
  // Short tick labels: SI prefixes for large numbers (1.6G), three significant digits otherwise.
  function fmtShort(v) {
    if (!isNum(v)) { return ''; }
    var a = Math.abs(v);
    var units = [[1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
    for (var i = 0; i < units.length; i++) {
      if (a >= units[i][0]) { return String(Number((v / units[i][0]).toPrecision(3))) + units[i][1]; }
    }
    if (a !== 0 && a < 1e-3) { return v.toExponential(1); }
    return String(Number(v.toPrecision(3)));
  }
  function fmtSeconds(s) {
    if (!isNum(s)) { return ''; }
    var a = Math.abs(s);
    if (a === 0) { return '0 s'; }
    if (a < 1e-9) { return fmt(s * 1e12) + ' ps'; }
    if (a < 1e-6) { return fmt(s * 1e9) + ' ns'; }
    if (a < 1e-3) { return fmt(s * 1e6) + ' us'; }
    if (a < 1) { return fmt(s * 1e3) + ' ms'; }
    return fmt(s) + ' s';
  }
  function withUnit(v, unit) {
    if (unit === 's') { return fmtSeconds(v); }
    if (unit === 'ps') { return fmtSeconds(v / 1e12); }
    if (unit === 'ratio') { return isNum(v) ? fmt(v * 100) + ' %' : ''; }
    return fmt(v) + (unit ? ' ' + unit : '');
  }
  // Sequential colour scale (light yellow to dark red) for 0..1.
  var STOPS = [[255, 255, 204], [254, 217, 118], [253, 141, 60], [227, 26, 28], [128, 0, 38]];
  function colour(t) {
    if (!isNum(t)) { return '#d0d5dd'; }
    t = Math.max(0, Math.min(1, t));
    var p = t * (STOPS.length - 1);
    var i = Math.min(STOPS.length - 2, Math.floor(p));
    var f = p - i;
    var c = STOPS[i].map(function (a, k) { return Math.round(a + (STOPS[i + 1][k] - a) * f); });
    return 'rgb(' + c.join(',') + ')';
  }
  function table(headers, rows, numeric) {
    var t = el('table');
    var tr = el('tr');
    headers.forEach(function (h) { tr.appendChild(el('th', null, h)); });
    var thead = el('thead');
    thead.appendChild(tr);
    t.appendChild(thead);
    var tb = el('tbody');
    rows.forEach(function (r, ri) {
      var row = el('tr');
      r.forEach(function (c, i) {
        var num = typeof numeric === 'function' ? numeric(ri, i) : numeric && numeric[i];
        var td = el('td', num ? { 'class': 'num' } : null, c);
        row.appendChild(td);
      });
      tb.appendChild(row);
    });
    t.appendChild(tb);
    return t;
  }

  // ---- run ----
  function summaryTable(rows, title, collapsed) {
    var s = section(collapsed ? null : title);
    if (collapsed) {
      var det = el('details', { 'class': 'raw' });
      det.appendChild(el('summary', null, title + ' (' + rows.length + ' rows)'));
      s.appendChild(det);
      s = det;
    }
    var box = el('div', { 'class': 'scroll' });
    box.appendChild(table(['key', 'value'], rows.map(function (r) {
      var key = r[0];
      var v = r[1];
      var text = fmt(v);
      if (isNum(v) && /Seconds$|Seconds\.|^messageLatency\.(min|mean|p50|p99|max)$/.test(key)) { text += '  (' + fmtSeconds(v) + ')'; }
      return [key, text];
    }), null));
    s.appendChild(box);
  }

  function bars(parent, items, asPercent) {
    var max = 0;
    items.forEach(function (it) { if (isNum(it[1])) { max = Math.max(max, it[1]); } });
    var scale = asPercent ? 1 : (max > 0 ? max : 1);
    items.forEach(function (it) {
      var b = el('div', { 'class': 'bar' });
      b.appendChild(el('span', { 'class': 'label', title: it[0] }, it[0]));
      var track = el('span', { 'class': 'track' });
      var w = isNum(it[1]) ? Math.max(0, Math.min(1, it[1] / scale)) : 0;
      track.appendChild(el('span', { 'class': 'fill', style: 'display:block;width:' + (w * 100).toFixed(2) + '%' }));
      b.appendChild(track);
      b.appendChild(el('span', null, asPercent ? withUnit(it[1], 'ratio') : fmt(it[1])));
      parent.appendChild(b);
    });
  }

  // Bars of seconds against the step time: label, bar (a full bar is the whole step), time and share of the step.
  function timeBars(parent, items, stepS, share) {
    var max = stepS > 0 ? stepS : 0;
    items.forEach(function (it) { if (isNum(it[1])) { max = Math.max(max, it[1]); } });
    items.forEach(function (it) {
      var b = el('div', { 'class': 'bar' });
      b.appendChild(el('span', { 'class': 'label', title: it[0] }, it[0]));
      var track = el('span', { 'class': 'track' });
      var w = isNum(it[1]) && max > 0 ? Math.max(0, Math.min(1, it[1] / max)) : 0;
      track.appendChild(el('span', { 'class': 'fill', style: 'display:block;width:' + (w * 100).toFixed(2) + '%' }));
      b.appendChild(track);
      b.appendChild(el('span', { 'class': 'value' }, fmtSeconds(it[1]) + (share && stepS > 0 ? ' \u00b7 ' + (it[1] / stepS * 100).toFixed(1) + ' %' : '')));
      parent.appendChild(b);
    });
  }

  function heatmap(parent, m) {
    var w = m.width;
    var h = m.height;
    var cs = Math.max(6, Math.min(28, Math.floor(380 / Math.max(w, h))));
    var values = m.values || [];
    var links = m.links || [];
    var max = 0;
    var min = Infinity;
    values.forEach(function (v) { if (isNum(v)) { max = Math.max(max, v); min = Math.min(min, v); } });
    links.forEach(function (l) { if (isNum(l.value)) { max = Math.max(max, l.value); min = Math.min(min, l.value); } });
    if (!isFinite(min)) { min = 0; }
    var top = m.unit === 'ratio' ? Math.max(max, 1e-12) : (max > 0 ? max : 1);
    var pad = 24;
    var width = w * cs + pad + 2;
    var height = h * cs + pad + 40;
    var card = el('div', { 'class': 'card' });
    card.appendChild(el('h3', null, m.name));
    card.appendChild(el('p', { 'class': 'muted' }, (m.level ? m.level + ' mesh, ' : '') + w + ' x ' + h
      + (m.unit ? ', ' + m.unit : '') + '; min ' + withUnit(min, m.unit) + ', max ' + withUnit(max, m.unit)));
    var s = sv('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'class': 'heatmap' });
    var g = sv('g', { transform: 'translate(' + pad + ',' + 14 + ')' });
    s.appendChild(g);
    // axis labels: x across the top, y down the left
    for (var xi = 0; xi < w; xi += Math.max(1, Math.ceil(w / 10))) {
      g.appendChild(sv('text', { x: xi * cs + cs / 2, y: -3, 'text-anchor': 'middle' }, xi));
    }
    for (var yi = 0; yi < h; yi += Math.max(1, Math.ceil(h / 10))) {
      g.appendChild(sv('text', { x: -4, y: yi * cs + cs / 2 + 4, 'text-anchor': 'end' }, yi));
    }
    var cells = 0;
    if (values.length === w * h) {
      for (var y = 0; y < h; y++) {
        for (var x = 0; x < w; x++) {
          var v = values[y * w + x];
          var r = sv('rect', { x: x * cs, y: y * cs, width: cs - 1, height: cs - 1, fill: isNum(v) ? colour(v / top) : '#eaecf0', 'class': isNum(v) ? 'cell' : 'cell-off' });
          r.appendChild(sv('title', null, '(' + x + ',' + y + ') ' + (isNum(v) ? withUnit(v, m.unit) : 'disabled / no value')));
          g.appendChild(r);
          if (isNum(v)) { cells++; }
        }
      }
    } else {
      g.appendChild(sv('rect', { x: 0, y: 0, width: w * cs - 1, height: h * cs - 1, fill: '#f2f4f7' }));
    }
    var linkCount = 0;
    var t = Math.max(2, cs * 0.22);
    links.forEach(function (l) {
      var a;
      if (l.dir === 'E') { a = { x: (l.x + 1) * cs - t / 2 - 0.5, y: l.y * cs + cs * 0.15, width: t, height: cs * 0.3 }; }
      else if (l.dir === 'W') { a = { x: l.x * cs - t / 2 - 0.5, y: l.y * cs + cs * 0.55, width: t, height: cs * 0.3 }; }
      else if (l.dir === 'N') { a = { x: l.x * cs + cs * 0.15, y: l.y * cs - t / 2 - 0.5, width: cs * 0.3, height: t }; }
      else { a = { x: l.x * cs + cs * 0.55, y: (l.y + 1) * cs - t / 2 - 0.5, width: cs * 0.3, height: t }; }
      a.fill = colour(l.value / top);
      a.stroke = '#ffffff';
      a['stroke-width'] = 0.5;
      a['class'] = 'link';
      var r = sv('rect', a);
      r.appendChild(sv('title', null, 'link (' + l.x + ',' + l.y + ') ' + l.dir + ': ' + withUnit(l.value, m.unit)));
      g.appendChild(r);
      linkCount++;
    });
    // colour bar
    var id = 'grad' + (gradientId++);
    var defs = sv('defs');
    var lg = sv('linearGradient', { id: id, x1: '0', x2: '1', y1: '0', y2: '0' });
    for (var k = 0; k <= 4; k++) { lg.appendChild(sv('stop', { offset: (k * 25) + '%', 'stop-color': colour(k / 4) })); }
    defs.appendChild(lg);
    s.appendChild(defs);
    var by = h * cs + 24;
    var bw = Math.min(200, w * cs);
    s.appendChild(sv('rect', { x: pad, y: by, width: bw, height: 8, fill: 'url(#' + id + ')' }));
    s.appendChild(sv('text', { x: pad, y: by + 20 }, withUnit(0, m.unit)));
    s.appendChild(sv('text', { x: pad + bw, y: by + 20, 'text-anchor': 'end' }, withUnit(top, m.unit)));
    card.appendChild(s);
    if (links.length) { card.appendChild(el('p', { 'class': 'legend' }, 'links: E upper right edge, W lower left edge, N top left, S bottom right of each cell')); }
    parent.appendChild(card);
    return [cells, linkCount];
  }

  function heatmaps(maps, hidden) {
    var s = section('Mesh heatmaps', maps.length ? 'Node cells and links coloured by value (hover for numbers). Grey: a disabled site or no value.'
      : 'No per-node or per-link statistics in this run (see docs/report.md for the heatmaps.json input).');
    var grid = el('div', { 'class': 'grid' });
    s.appendChild(grid);
    var cells = 0;
    var links = 0;
    maps.forEach(function (m) { var r = heatmap(grid, m); cells += r[0]; links += r[1]; });
    if (hidden && hidden.length) { s.appendChild(el('p', { 'class': 'muted' }, hidden.length + ' more heatmaps not drawn: ' + hidden.join(', '))); }
    root.setAttribute('data-heatmaps', String(maps.length));
    root.setAttribute('data-heatmap-cells', String(cells));
    root.setAttribute('data-heatmap-links', String(links));
  }

  // Text labels on one line of an SVG, never overlapping: a label's width is estimated generously
  // (7 px a character at 11 px); labels too close to share a row are joined ("p99/max"), the rest
  // alternate between the rows given where they fit.
  function labelWidth(text) { return 7 * String(text).length + 6; }
  function placeLabels(s, marks, W, rows) {
    var groups = [];
    marks.forEach(function (m) {
      var g = groups[groups.length - 1];
      if (g && m.x - g.x < 4) { g.names.push(m.name); return; }
      groups.push({ names: [m.name], x: m.x });
    });
    var lastRight = rows.map(function () { return -Infinity; });
    var placed = [];
    groups.forEach(function (g) {
      var text = g.names.join('/');
      var w = labelWidth(text);
      var cx = Math.max(w / 2, Math.min(W - w / 2, g.x));
      for (var r = 0; r < rows.length; r++) {
        if (cx - w / 2 >= lastRight[r]) { lastRight[r] = cx + w / 2; placed.push({ text: text, x: cx, row: r, w: w }); return; }
      }
      // no row free: join the nearest label already placed
      var prev = placed[placed.length - 1];
      prev.text += '/' + text;
      prev.w = labelWidth(prev.text);
      prev.x = Math.max(prev.w / 2, Math.min(W - prev.w / 2, prev.x));
      lastRight[prev.row] = prev.x + prev.w / 2;
    });
    placed.forEach(function (p) { s.appendChild(sv('text', { x: p.x, y: rows[p.row], 'text-anchor': 'middle', 'class': 'mark-label' }, p.text)); });
  }

  function distribution(parent, d) {
    var card = el('div', { 'class': 'card' });
    card.appendChild(el('h3', null, d.name));
    var unit = d.unit;
    if (!(d.count > 1) || (isNum(d.min) && d.min === d.max && !d.histogram)) {
      // one sample (or all equal): a figure, not a chart
      card.appendChild(el('p', { 'class': 'muted' }, 'count ' + fmt(d.count) + (isNum(d.p50) ? ' | value ' + withUnit(d.p50, unit) : isNum(d.mean) ? ' | value ' + withUnit(d.mean, unit) : '')
        + ' (one value: no distribution to draw)'));
      parent.appendChild(card);
      return false;
    }
    card.appendChild(el('p', { 'class': 'muted' }, 'count ' + fmt(d.count) + ' | min ' + withUnit(d.min, unit) + ' | p50 ' + withUnit(d.p50, unit)
      + ' | mean ' + withUnit(d.mean, unit) + ' | p99 ' + withUnit(d.p99, unit) + ' | max ' + withUnit(d.max, unit)));
    var hist = d.histogram;
    var W = 420;
    var H = 82;
    var s = sv('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, 'class': 'dist' });
    if (hist && Array.isArray(hist.bounds) && Array.isArray(hist.counts) && hist.counts.length > 0) {
      var cmax = Math.max.apply(null, hist.counts.concat([1]));
      var bw = (W - 20) / hist.counts.length;
      hist.counts.forEach(function (c, i) {
        var bh = (H - 25) * c / cmax;
        var r = sv('rect', { x: 10 + i * bw, y: H - 15 - bh, width: Math.max(1, bw - 1), height: bh, fill: '#c8102e' });
        r.appendChild(sv('title', null, '[' + withUnit(hist.bounds[i], unit) + ', ' + withUnit(hist.bounds[i + 1], unit) + '): ' + c));
        s.appendChild(r);
      });
      s.appendChild(sv('line', { x1: 10, x2: W - 10, y1: H - 15, y2: H - 15, 'class': 'axis' }));
    } else {
      // Percentile ladder on a log scale from min to max; labels at equal places share one text,
      // the others go above or below the axis where they do not meet their neighbour.
      var lo = isNum(d.min) && d.min > 0 ? d.min : (isNum(d.p50) && d.p50 > 0 ? d.p50 / 10 : 1);
      var hi = isNum(d.max) && d.max > lo ? d.max : lo * 10;
      var X = function (v) { var t = (Math.log(Math.max(v, lo)) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)); return 10 + t * (W - 20); };
      s.appendChild(sv('line', { x1: X(lo), x2: X(hi), y1: 30, y2: 30, 'class': 'axis' }));
      if (isNum(d.p50) && isNum(d.p99)) { s.appendChild(sv('rect', { x: X(d.p50), y: 22, width: Math.max(2, X(d.p99) - X(d.p50)), height: 16, fill: '#fd8d3c' })); }
      var marks = [];
      [['min', d.min], ['p50', d.p50], ['mean', d.mean], ['p99', d.p99], ['max', d.max]].forEach(function (p) {
        if (!isNum(p[1])) { return; }
        s.appendChild(sv('line', { x1: X(p[1]), x2: X(p[1]), y1: 18, y2: 42, stroke: p[0] === 'mean' ? '#1f77b4' : '#344054', 'stroke-width': p[0] === 'mean' ? 2 : 1 }));
        marks.push({ name: p[0], x: X(p[1]) });
      });
      marks.sort(function (a, b) { return a.x - b.x; });
      placeLabels(s, marks, W, [14, 54]);
      s.appendChild(sv('text', { x: 10, y: H - 3 }, withUnit(lo, unit)));
      s.appendChild(sv('text', { x: W - 10, y: H - 3, 'text-anchor': 'end' }, withUnit(hi, unit) + ' (log scale)'));
    }
    card.appendChild(s);
    parent.appendChild(card);
    return true;
  }

  // ---- the first screen: step timeline and roofline ----
  var STREAM_COLOURS = { compute: '#2ca02c', communication: '#1f77b4', memory: '#ff7f0e' };
  function stepTimeline(parent, tl) {
    var streams = tl.streams || [];
    var step = tl.stepSeconds;
    var W = 900;
    var L = 130;
    var R = 16;
    var rowH = 20;
    var T = 6;
    var H = T + streams.length * rowH + 34;
    var s = sv('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'class': 'timeline' });
    var X = function (t) { return L + t / step * (W - L - R); };
    var marks = 0;
    streams.forEach(function (st, i) {
      var y = T + i * rowH;
      s.appendChild(sv('text', { x: L - 8, y: y + 14, 'text-anchor': 'end' }, st.stream));
      s.appendChild(sv('rect', { x: L, y: y + 3, width: W - L - R, height: rowH - 6, fill: '#f2f4f7' }));
      var c = STREAM_COLOURS[st.stream.split(' ')[0]] || '#7f7f7f';
      (st.busy || []).forEach(function (b) {
        var r = sv('rect', { x: X(b[0]), y: y + 3, width: Math.max(0.5, X(b[1]) - X(b[0])), height: rowH - 6, fill: c, 'class': 'busy' });
        r.appendChild(sv('title', null, st.stream + ': ' + fmtSeconds(b[0]) + ' .. ' + fmtSeconds(b[1])));
        s.appendChild(r);
        marks++;
      });
    });
    var axisY = T + streams.length * rowH + 4;
    s.appendChild(sv('line', { x1: L, x2: W - R, y1: axisY, y2: axisY, 'class': 'axis' }));
    niceTicks(0, step, 6).forEach(function (t) {
      s.appendChild(sv('line', { x1: X(t), x2: X(t), y1: axisY, y2: axisY + 4, 'class': 'axis' }));
      s.appendChild(sv('text', { x: X(t), y: axisY + 16, 'text-anchor': t === 0 ? 'start' : 'middle' }, fmtSeconds(t)));
    });
    parent.appendChild(s);
    return marks;
  }

  function log10(v) { return Math.log(v) / Math.LN10; }
  function roofline(parent, rl) {
    var pts = (rl.types || []).filter(function (t) { return t.flops > 0 && t.bytes > 0 && t.seconds > 0; });
    var peaks = [['matrix peak', rl.matrixPeakFlopsPerSecond], ['SIMD peak', rl.simdPeakFlopsPerSecond]].filter(function (p) { return isNum(p[1]) && p[1] > 0; });
    var bw = rl.sramLoadBytesPerSecond;
    var W = 500;
    var H = 300;
    var L = 64;
    var R = 14;
    var T = 14;
    var B = 44;
    var ai = pts.map(function (p) { return p.flops / p.bytes; });
    var tf = pts.map(function (p) { return p.flops / p.seconds; });
    var top = Math.max.apply(null, peaks.map(function (p) { return p[1]; }).concat(tf).concat([1]));
    var x0 = Math.pow(10, Math.floor(log10(Math.min.apply(null, ai.concat([isNum(bw) && bw > 0 ? peaks[peaks.length - 1][1] / bw / 10 : 0.1])))));
    var x1 = Math.pow(10, Math.ceil(log10(Math.max.apply(null, ai.concat([isNum(bw) && bw > 0 ? top / bw * 10 : 100])))));
    var y1 = Math.pow(10, Math.ceil(log10(top * 1.5)));
    var y0 = Math.pow(10, Math.floor(log10(Math.min.apply(null, tf.concat([top / 1e3])))));
    var X = function (v) { return L + (log10(v) - log10(x0)) / (log10(x1) - log10(x0)) * (W - L - R); };
    var Y = function (v) { return H - B - (log10(v) - log10(y0)) / (log10(y1) - log10(y0)) * (H - T - B); };
    var s = sv('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'class': 'roofline' });
    for (var e = log10(x0); e <= log10(x1) + 1e-9; e++) {
      var xv = Math.pow(10, e);
      s.appendChild(sv('line', { x1: X(xv), x2: X(xv), y1: T, y2: H - B, 'class': 'gridline' }));
      s.appendChild(sv('text', { x: X(xv), y: H - B + 18, 'text-anchor': 'middle' }, fmtShort(xv)));
    }
    for (var f = log10(y0); f <= log10(y1) + 1e-9; f++) {
      var yv = Math.pow(10, f);
      s.appendChild(sv('line', { x1: L, x2: W - R, y1: Y(yv), y2: Y(yv), 'class': 'gridline' }));
      s.appendChild(sv('text', { x: L - 4, y: Y(yv) + 4, 'text-anchor': 'end' }, fmtShort(yv / 1e12)));
    }
    s.appendChild(sv('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, 'class': 'axis' }));
    s.appendChild(sv('line', { x1: L, x2: L, y1: T, y2: H - B, 'class': 'axis' }));
    s.appendChild(sv('text', { x: (L + W - R) / 2, y: H - 6, 'text-anchor': 'middle' }, 'arithmetic intensity (FLOP per operand byte, log)'));
    s.appendChild(sv('text', { x: 14, y: (T + H - B) / 2, 'text-anchor': 'middle', transform: 'rotate(-90 14 ' + ((T + H - B) / 2) + ')' }, 'achieved TFLOPS (log)'));
    // roofs: min(peak, bandwidth x intensity), one line per compute peak
    var roofs = 0;
    peaks.forEach(function (p, i) {
      var knee = isNum(bw) && bw > 0 ? p[1] / bw : x0;
      var d = 'M' + X(x0).toFixed(1) + ',' + Y(Math.min(p[1], bw * x0)).toFixed(1);
      if (knee > x0 && knee < x1) { d += ' L' + X(knee).toFixed(1) + ',' + Y(p[1]).toFixed(1); }
      d += ' L' + X(x1).toFixed(1) + ',' + Y(p[1]).toFixed(1);
      s.appendChild(sv('path', { d: d, fill: 'none', stroke: i === 0 ? '#c8102e' : '#98a2b3', 'stroke-width': i === 0 ? 2 : 1.5, 'stroke-dasharray': i === 0 ? 'none' : '5,3', 'class': 'roof' }));
      roofs++;
    });
    var card = el('div', { 'class': 'legend roof-legend' });
    var dots = 0;
    pts.forEach(function (p, i) {
      var c = PALETTE[i % PALETTE.length];
      var dot = sv('circle', { cx: X(ai[i]), cy: Y(tf[i]), r: 5, fill: c, stroke: '#fff', 'stroke-width': 1, 'class': 'op' });
      dot.appendChild(sv('title', null, p.type + ': ' + fmtShort(ai[i]) + ' FLOP/B, ' + fmtShort(tf[i] / 1e12) + ' TFLOPS, ' + fmtSeconds(p.seconds)));
      s.appendChild(dot);
      dots++;
      var item = el('div');
      item.appendChild(el('span', { style: 'color:' + c }, '\u25CF '));
      item.appendChild(document.createTextNode(p.type + ': ' + fmtShort(tf[i] / 1e12) + ' TFLOPS at ' + fmtShort(ai[i]) + ' FLOP/B, '
        + fmtSeconds(p.seconds) + ' busy (' + fmt(p.operations) + ' ops)'));
      card.appendChild(item);
    });
    var box = el('div', { 'class': 'roofline-box' });
    box.appendChild(s);
    box.appendChild(card);
    var roofNote = peaks.map(function (p) { return p[0] + ' ' + fmtShort(p[1] / 1e12) + ' TFLOPS'; }).join(', ')
      + (isNum(bw) ? '; SRAM load ' + fmtShort(bw / 1e12) + ' TB/s' : '') + ' (per region of ' + rl.regionChips + ' chip' + (rl.regionChips === 1 ? '' : 's') + ')';
    card.insertBefore(el('div', { 'class': 'muted' }, 'roofs: ' + roofNote + '; solid line: matrix pipe, dashed: SIMD'), card.firstChild);
    parent.appendChild(box);
    return [dots, roofs];
  }

  function renderRun() {
    var hl = data.headline || [];
    if (hl.length) {
      var h = section('How fast', 'Headline figures of the simulated step (summary.json).');
      var g = el('div', { 'class': 'headline' });
      hl.forEach(function (f) {
        var c = el('div', { 'class': f[0] === 'plan' ? 'figure plan' : 'figure' });
        c.appendChild(el('div', { 'class': 'value' }, f[1]));
        c.appendChild(el('div', { 'class': 'label' }, f[0]));
        g.appendChild(c);
      });
      h.appendChild(g);
    }
    root.setAttribute('data-headline', String(hl.length));
    var tl = data.timeline;
    var tlMarks = 0;
    if (tl && (tl.streams || []).length && tl.stepSeconds > 0) {
      var ts = section('Step timeline', 'When each stream of the timed replica is busy over the step (timeline.json; hover for times). A trace (--trace) has every operation.');
      ts.setAttribute('data-first-screen', 'timeline');
      tlMarks = stepTimeline(ts, tl);
    }
    root.setAttribute('data-timeline-marks', String(tlMarks));
    var pair = el('div', { 'class': 'first-pair' });
    main.appendChild(pair);
    var br = data.breakdown || [];
    if (br.length) {
      var b = section('Where the step\'s time goes', 'Busy time and share of the step; streams overlap, so the bars need not add up.', pair);
      b.setAttribute('data-first-screen', 'breakdown');
      var stepS = (data.timeline && data.timeline.stepSeconds) || data.stepSeconds;
      var split = br.filter(function (x) { return x[0].indexOf('op ') !== 0; });
      var ops = br.filter(function (x) { return x[0].indexOf('op ') === 0; }).map(function (x) { return [x[0].substring(3), x[1]]; });
      timeBars(b, split, stepS, true);
      if (ops.length) {
        b.appendChild(el('h3', null, 'busy time by operation class (summed over the stages and streams)'));
        timeBars(b, ops, 0, false);
      }
    }
    root.setAttribute('data-breakdown', String(br.length));
    var rl = data.roofline;
    var rlDots = 0;
    if (rl && (rl.types || []).length) {
      var rs = section('Why not faster: roofline', 'Each compute type: FLOPs per operand byte against achieved TFLOPS, under the D1 roofs (summary.json roofline).', pair);
      rs.setAttribute('data-first-screen', 'roofline');
      rlDots = roofline(rs, rl)[0];
    }
    root.setAttribute('data-roofline-points', String(rlDots));
    var s = section('Utilization per level', 'Busy fraction of each level (summary.json utilization).');
    bars(s, data.utilization || [], true);
    if ((data.levelStats || []).length) {
      s.appendChild(el('h3', null, 'Utilization statistics (stats.json)'));
      bars(s, data.levelStats, true);
    }
    if ((data.energyByLevel || []).length) {
      var es = section('Energy per step', 'Joules per training step by level and by class (summary.json energy; docs/model/energy.md).');
      es.appendChild(el('h3', null, 'by level (J)'));
      bars(es, data.energyByLevel, false);
      es.appendChild(el('h3', null, 'by class (J)'));
      bars(es, data.energyByClass || [], false);
      if ((data.energyPower || []).length) {
        es.appendChild(el('h3', null, 'power (W): average and peak over the step'));
        es.appendChild(table(['level', 'average W', 'peak W'], data.energyPower.map(function (r) { return [r[0], fmt(r[1]), fmt(r[2])]; }), [false, true, true]));
      }
    }
    if ((data.crossCheck || []).length || (data.modelBands || []).length) {
      var xs = section('Error bars', (data.crossCheck || []).length
        ? 'Each headline figure as value +- the difference a finer model gave on a sampled share of the step (run --cross-check; docs/adr/0100-cross-check.md).'
        : 'The validated error band of each model this run used (docs/validation.md); run --cross-check measures it on this run.');
      if ((data.crossCheck || []).length) {
        xs.appendChild(table(['figure', 'value', '+-', 'relative'], data.crossCheck.map(function (r) {
          return [r[0], fmt(r[1]), fmt(r[2]), (100 * r[3]).toFixed(2) + ' %'];
        }), [false, true, true, true]));
        xs.appendChild(table(['check', 'fidelities', 'sampled (ADR 0107)'], (data.crossCheckChecks || []).map(function (r) { return [r[0], r[1], r[2] || '']; }), [false, false, false]));
      }
      if ((data.modelBands || []).length) {
        xs.appendChild(table(['model', 'validated band'], data.modelBands.map(function (r) { return [r[0], r[1]]; }), [false, false]));
      }
    }
    heatmaps(data.heatmaps || [], data.hiddenHeatmaps);
    var ds = section('Latency distributions', (data.distributions || []).length ? 'min, p50, mean, p99 and max of each distribution (a histogram where the statistics carry one); a single value is shown as a figure.' : 'No distributions in this run.');
    var dg = el('div', { 'class': 'grid' });
    ds.appendChild(dg);
    var drawn = 0;
    (data.distributions || []).forEach(function (d) { if (distribution(dg, d)) { drawn++; } });
    root.setAttribute('data-distributions', String(drawn));
    summaryTable(data.summary || [], 'Summary: every key of summary.json', true);
    if ((data.host || []).length) { summaryTable(data.host, 'Host (measured, not simulated)', true); }
  }

  // ---- sweep ----
  function niceTicks(lo, hi, n) {
    if (!(hi > lo)) { return [lo]; }
    var step = Math.pow(10, Math.floor(Math.log10((hi - lo) / n)));
    var err = (hi - lo) / n / step;
    if (err >= 7.5) { step *= 10; } else if (err >= 3.5) { step *= 5; } else if (err >= 1.5) { step *= 2; }
    var out = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) { out.push(Number(v.toPrecision(12))); }
    return out;
  }

  // One chart per axis; a zipped axis is plotted against its first key, its other keys named in the title.
  function chart(parent, group, metric, points, groups) {
    var axis = group[0];
    var axes = [axis];
    groups.forEach(function (g) { if (g !== group) { axes = axes.concat(g); } });
    var ok = points.filter(function (p) { return p.status === 'ok' && isNum(p.metrics[metric]); });
    var W = 440;
    var H = 270;
    var L = 62;
    var R = 12;
    var T = 12;
    var B = 44;
    var card = el('div', { 'class': 'card' });
    card.appendChild(el('h3', null, metric + ' vs ' + axis + (group.length > 1 ? ' (zipped with ' + group.slice(1).join(', ') + ')' : '')));
    var s = sv('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, 'class': 'sweep-chart' });
    var numericX = ok.every(function (p) { return isNum(p.params[axis]); });
    var cats = [];
    ok.forEach(function (p) { var k = JSON.stringify(p.params[axis]); if (cats.indexOf(k) < 0) { cats.push(k); } });
    var xs = ok.map(function (p) { return numericX ? p.params[axis] : cats.indexOf(JSON.stringify(p.params[axis])); });
    var ys = ok.map(function (p) { return p.metrics[metric]; });
    var x0 = Math.min.apply(null, xs.concat([Infinity]));
    var x1 = Math.max.apply(null, xs.concat([-Infinity]));
    var y0 = Math.min.apply(null, ys.concat([Infinity]));
    var y1 = Math.max.apply(null, ys.concat([-Infinity]));
    if (!ok.length) { x0 = 0; x1 = 1; y0 = 0; y1 = 1; }
    if (!numericX) { x0 = -0.5; x1 = Math.max(cats.length, 1) - 0.5; }
    if (x1 === x0) { x0 -= 1; x1 += 1; }
    if (y1 === y0) { var d = Math.abs(y0) * 0.1 || 1; y0 -= d; y1 += d; }
    if (y0 > 0 && y0 < (y1 - y0)) { y0 = 0; }
    var X = function (v) { return L + (v - x0) / (x1 - x0) * (W - L - R); };
    var Y = function (v) { return H - B - (v - y0) / (y1 - y0) * (H - T - B); };
    niceTicks(y0, y1, 5).forEach(function (t) {
      s.appendChild(sv('line', { x1: L, x2: W - R, y1: Y(t), y2: Y(t), 'class': 'gridline' }));
      s.appendChild(sv('text', { x: L - 4, y: Y(t) + 4, 'text-anchor': 'end' }, fmtShort(t)));
    });
    var xt = numericX ? niceTicks(x0, x1, 5) : cats.map(function (c, i) { return i; });
    xt.forEach(function (t) {
      var label = numericX ? fmtShort(t) : JSON.parse(cats[t]);
      s.appendChild(sv('text', { x: X(t), y: H - B + 14, 'text-anchor': 'middle' }, Array.isArray(label) ? label.join(';') : label));
    });
    s.appendChild(sv('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, 'class': 'axis' }));
    s.appendChild(sv('line', { x1: L, x2: L, y1: T, y2: H - B, 'class': 'axis' }));
    s.appendChild(sv('text', { x: (L + W - R) / 2, y: H - 8, 'text-anchor': 'middle' }, axis));
    // One series per combination of the other axes' values.
    var others = axes.filter(function (a) { return a !== axis; });
    var series = {};
    var order = [];
    ok.forEach(function (p, i) {
      var key = others.map(function (a) { return a + '=' + JSON.stringify(p.params[a]); }).join(', ');
      if (!series[key]) { series[key] = []; order.push(key); }
      series[key].push([xs[i], ys[i], p]);
    });
    order.forEach(function (key, si) {
      var c = PALETTE[si % PALETTE.length];
      var pts = series[key].slice().sort(function (a, b) { return a[0] - b[0]; });
      if (pts.length > 1) {
        s.appendChild(sv('polyline', { points: pts.map(function (q) { return X(q[0]).toFixed(2) + ',' + Y(q[1]).toFixed(2); }).join(' '), fill: 'none', stroke: c, 'stroke-width': 1.5 }));
      }
      pts.forEach(function (q) {
        var dot = sv('circle', { cx: X(q[0]), cy: Y(q[1]), r: 3.5, fill: c });
        dot.appendChild(sv('title', null, q[2].id + ': ' + metric + ' = ' + fmt(q[1]) + (key ? ' (' + key + ')' : '')));
        s.appendChild(dot);
      });
    });
    card.appendChild(s);
    if (order.length > 1) {
      var lg = el('div', { 'class': 'legend' });
      order.slice(0, 12).forEach(function (key, si) {
        var item = el('div');
        item.appendChild(el('span', { style: 'color:' + PALETTE[si % PALETTE.length] }, '\u25CF '));
        item.appendChild(document.createTextNode(key));
        lg.appendChild(item);
      });
      if (order.length > 12) { lg.appendChild(el('div', null, (order.length - 12) + ' more series')); }
      card.appendChild(lg);
    }
    parent.appendChild(card);
  }

  function renderSweep() {
    summaryTable(data.summary || [], 'Sweep');
    var axes = data.axes || [];
    var metrics = data.metrics || [];
    var points = data.points || [];
    var cs = section('Metrics against axes', 'Pick a metric; each chart puts one axis across (a zipped axis by its first key) and draws one line per combination of the other axes. Failed points are left out.');
    var pick = el('select', { id: 'metric' });
    metrics.forEach(function (m) { pick.appendChild(el('option', { value: m }, m)); });
    var preferred = ['achievedTflops', 'samplesPerSecond', 'stepTimeSeconds'].filter(function (m) { return metrics.indexOf(m) >= 0; })[0];
    if (preferred) { pick.value = preferred; }
    var label = el('label', null, 'metric ');
    label.appendChild(pick);
    cs.appendChild(label);
    var grid = el('div', { 'class': 'grid' });
    cs.appendChild(grid);
    function draw() {
      while (grid.firstChild) { grid.removeChild(grid.firstChild); }
      var n = 0;
      if (metrics.length) {
        var groups = data.axisGroups || axes.map(function (a) { return [a]; });
        groups.forEach(function (g) { chart(grid, g, pick.value, points, groups); n++; });
      }
      if (!axes.length) { grid.appendChild(el('p', { 'class': 'muted' }, 'This sweep has no axes.')); }
      root.setAttribute('data-sweep-charts', String(n));
    }
    pick.addEventListener('change', draw);
    draw();
    var ts = section('Points', points.length > data.maxTableRows ? 'The first ' + data.maxTableRows + ' of ' + points.length + ' points.' : null);
    var box = el('div', { 'class': 'scroll' });
    var headers = ['id', 'status'].concat(axes).concat(metrics).concat(['error']);
    var numeric = headers.map(function (h, i) { return i >= 2 && i < headers.length - 1; });
    var rows = points.slice(0, data.maxTableRows).map(function (p) {
      return [p.id, p.status].concat(axes.map(function (a) { var v = p.params[a]; return Array.isArray(v) ? v.join(';') : fmt(v); }))
        .concat(metrics.map(function (m) { return fmt(p.metrics[m]); })).concat([p.error || '']);
    });
    var t = table(headers, rows, numeric);
    Array.prototype.forEach.call(t.querySelectorAll('tbody tr'), function (tr, i) { tr.className = 'status-' + points[i].status; });
    box.appendChild(t);
    ts.appendChild(box);
  }

  document.getElementById('generator').textContent = 'written by ' + (data.generator || 'dojosim') + ' (self-contained: no network)';
  if (data.kind === 'sweep') { renderSweep(); } else { renderRun(); }
  root.setAttribute('data-report-ready', '1');
})();
