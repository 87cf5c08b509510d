// A unit's 通报 page (issue 14): the attachments' SHA-256 is computed here,
// in the browser; the files themselves are never sent. The hidden field
// gets one "<hex> <name>" line per file.
(function () {
  var input = document.querySelector("input[data-hash-into]");
  if (!input || !window.crypto || !crypto.subtle) { return; }
  var out = document.getElementById(input.getAttribute("data-hash-into"));
  var list = document.getElementById("bl-hashes");
  input.addEventListener("change", function () {
    var files = Array.prototype.slice.call(input.files, 0, 10);
    Promise.all(files.map(function (f) {
      return f.arrayBuffer().then(function (buf) { return crypto.subtle.digest("SHA-256", buf); }).then(function (d) {
        var hex = Array.prototype.map.call(new Uint8Array(d), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
        return { name: f.name.replace(/[\r\n]/g, " ").slice(0, 200), hex: hex };
      });
    })).then(function (rs) {
      out.value = rs.map(function (r) { return r.hex + " " + r.name; }).join("\n");
      list.textContent = "";
      rs.forEach(function (r) {
        var li = document.createElement("li");
        li.textContent = r.name + " ";
        var code = document.createElement("code");
        code.textContent = r.hex;
        li.appendChild(code);
        list.appendChild(li);
      });
      input.setAttribute("data-hashed", String(rs.length));
    });
  });
})();
