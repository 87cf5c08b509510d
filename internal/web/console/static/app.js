// yingji console: confirmations, deadline countdowns and live updates.
// The pages work without this script; it only adds to them.
(function () {
  'use strict';

  // Ask before submitting forms or buttons that carry data-confirm.
  var leaving = false;
  document.addEventListener('submit', function (e) {
    var b = e.submitter, f = e.target;
    var msg = (b && b.getAttribute('data-confirm')) || f.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) { e.preventDefault(); return; }
    leaving = true; // the next page is on its way: no more live refreshes here
  });

  // Countdowns: the server rendered the text; redraw it as time passes,
  // measured against the server's clock so a wrong PC clock does not matter.
  var skew = 0;
  function drawCountdowns() {
    document.querySelectorAll('time[data-countdown]').forEach(function (el) {
      var due = Date.parse(el.getAttribute('datetime'));
      var d = due - (Date.now() + skew), over = d < 0;
      var m = Math.floor(Math.abs(d) / 60000);
      var f = el.getAttribute(over ? 'data-over' : 'data-left') || '';
      var fd = el.getAttribute(over ? 'data-over-days' : 'data-left-days');
      if (fd && m >= 1440) { // days and hours past a day, as the server writes it
        el.textContent = fd.replace('{d}', Math.floor(m / 1440)).replace('{h}', Math.floor(m / 60) % 24);
      } else {
        el.textContent = f.replace('{h}', Math.floor(m / 60)).replace('{m}', m % 60);
      }
      el.classList.toggle('bad', over);
    });
  }
  setInterval(drawCountdowns, 15000);

  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () { window.print(); });
  });

  // The bell (issue 10): my unread count, asked every 30 s while the page
  // is seen and on every live change. A poll, not the change stream: the
  // stream follows incidents' timelines, a notice is one person's, and
  // not every page has a stream.
  var bell = document.getElementById('bell');
  function ring() {
    if (!bell || !window.fetch || document.hidden) return;
    fetch('/notices/unread', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } }).then(function (r) {
      return r.ok && !r.redirected ? r.json() : null;
    }).then(function (j) {
      if (!j) return;
      var b = bell.querySelector('.badge');
      if (j.unread > 0) {
        if (!b) { b = document.createElement('span'); b.className = 'badge'; bell.appendChild(document.createTextNode(' ')); bell.appendChild(b); }
        b.textContent = String(j.unread);
        b.setAttribute('aria-label', j.label);
      } else if (b) {
        b.remove();
      }
    }).catch(function () {});
  }
  if (bell) {
    setInterval(ring, 30000);
    document.addEventListener('visibilitychange', ring);
  }

  // Live updates: the server says "change"; fetch this page again and swap
  // in the fragments marked data-live-id, except one the user is typing in.
  // A page may also say data-poll: it fetches itself that often (ms) while
  // it is seen (the alert queue, issue 12, for what other nodes write).
  var url = document.body.getAttribute('data-live');
  var poll = parseInt(document.body.getAttribute('data-poll') || '0', 10);
  if ((!url && !(poll > 0)) || !window.fetch) return;
  function busy(el) {
    var a = document.activeElement;
    if (a && a !== document.body && el.contains(a) && /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName)) return true;
    var dirty = false;
    el.querySelectorAll('textarea, input:not([type=hidden])').forEach(function (i) { if (i.value !== i.defaultValue) dirty = true; });
    return dirty;
  }
  var pending = false, running = false;
  function refresh() {
    if (leaving) return;
    if (running) { pending = true; return; }
    running = true;
    fetch(location.href, { credentials: 'same-origin', headers: { 'X-Live': '1' } }).then(function (r) {
      if (r.redirected || !r.ok) { location.reload(); throw new Error('reload'); }
      var date = r.headers.get('Date');
      if (date) skew = Date.parse(date) - Date.now();
      return r.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, 'text/html');
      doc.querySelectorAll('[data-live-id]').forEach(function (n) {
        var cur = document.querySelector('[data-live-id="' + n.getAttribute('data-live-id') + '"]');
        if (cur && !busy(cur) && cur.innerHTML !== n.innerHTML) cur.replaceWith(document.importNode(n, true));
      });
      drawCountdowns();
      var s = document.getElementById('live-status');
      if (s) s.textContent = s.getAttribute('data-text');
      document.body.setAttribute('data-refreshed', String(Date.now()));
    }).catch(function () {}).then(function () {
      running = false;
      if (pending) { pending = false; refresh(); }
    });
  }
  if (poll > 0) setInterval(function () { if (!document.hidden) refresh(); }, poll);
  if (!url || !window.EventSource) return;
  var es = new EventSource(url);
  es.addEventListener('change', refresh);
  es.addEventListener('change', ring);
  es.addEventListener('gone', function () { es.close(); });
})();
