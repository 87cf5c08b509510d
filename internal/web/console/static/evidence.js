// Evidence upload (issue 13): drag and drop or choose several files; each
// goes as its own request (the raw body, streamed by the server) with a
// progress bar. Plain script, no framework; the page works without it
// except for uploading.
(function () {
  "use strict";
  function upload(zone, file) {
    var li = document.createElement("li");
    var label = document.createElement("span");
    label.textContent = file.name + " ";
    var bar = document.createElement("progress");
    bar.max = file.size || 1;
    bar.value = 0;
    li.appendChild(label);
    li.appendChild(bar);
    zone.querySelector(".ev-progress").appendChild(li);
    var max = Number(zone.dataset.max || 0);
    if (max && file.size > max) {
      label.textContent = file.name + " — " + zone.dataset.tooLarge.replace(/\d+/, String(Math.floor(max / 1048576)));
      li.className = "bad";
      return Promise.resolve(false);
    }
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", zone.dataset.upload + "?name=" + encodeURIComponent(file.name));
      xhr.setRequestHeader("X-CSRF-Token", zone.dataset.csrf);
      if (file.type) xhr.setRequestHeader("Content-Type", file.type);
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; } };
      xhr.onload = function () {
        var ok = xhr.status === 201, msg = "";
        try { var r = JSON.parse(xhr.responseText); msg = ok ? "SHA-256 " + r.sha256.slice(0, 16) + "…" : r.error; } catch (e) { msg = String(xhr.status); }
        bar.value = bar.max;
        label.textContent = file.name + " — " + msg + " ";
        li.className = ok ? "ok" : "bad";
        li.dataset.done = ok ? "1" : "0";
        resolve(ok);
      };
      xhr.onerror = function () { label.textContent = file.name + " — ✗"; li.className = "bad"; resolve(false); };
      xhr.send(file);
    });
  }
  function send(zone, files) {
    var list = Array.prototype.slice.call(files);
    // One at a time: a county link carries one large file better than three.
    list.reduce(function (p, f) { return p.then(function () { return upload(zone, f); }); }, Promise.resolve())
      .then(function () { zone.dataset.finished = String(list.length); });
  }
  document.querySelectorAll(".dropzone").forEach(function (zone) {
    var input = zone.querySelector(".ev-file");
    input.addEventListener("change", function () { send(zone, input.files); });
    zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      zone.classList.remove("over");
      if (e.dataTransfer && e.dataTransfer.files.length) send(zone, e.dataTransfer.files);
    });
  });
})();
