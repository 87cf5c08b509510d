// The unit's report form (issue 12): the chosen files are hashed here with
// SubtleCrypto (SHA-256) and only their names, sizes and hashes are sent;
// the files stay with the unit.
(function () {
  var input = document.getElementById('u-files');
  var out = document.getElementById('u-attachments');
  var list = document.getElementById('u-hashes');
  var submit = document.getElementById('u-submit');
  if (!input || !out || !window.crypto || !window.crypto.subtle) return;
  function hex(buf) {
    return Array.prototype.map.call(new Uint8Array(buf), function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  input.addEventListener('change', function () {
    var files = Array.prototype.slice.call(input.files, 0, Number(input.dataset.max || 20));
    submit.disabled = true;
    list.textContent = '';
    Promise.all(files.map(function (f) {
      return f.arrayBuffer().then(function (b) { return crypto.subtle.digest('SHA-256', b); }).then(function (d) {
        return { name: f.name.replace(/[\r\n]/g, ' '), size: f.size, sha: hex(d) };
      });
    })).then(function (rows) {
      out.value = rows.map(function (r) { return r.sha + ' ' + r.size + ' ' + r.name; }).join('\n');
      rows.forEach(function (r) {
        var li = document.createElement('li');
        li.textContent = r.name + ' — SHA-256 ' + r.sha;
        list.appendChild(li);
      });
      submit.disabled = false;
    }, function () { submit.disabled = false; });
  });
})();
