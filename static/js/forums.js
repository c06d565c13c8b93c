// New topic: while the title is typed, suggest knowledge-base articles and solved topics.
(function () {
  "use strict";
  var box = document.getElementById("forum-suggestions");
  var title = document.getElementById("id_title");
  if (!box || !title) return;
  var list = box.querySelector("ul");
  var timer = null;
  var last = "";

  function item(entry, kind) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = entry.url;
    a.textContent = entry.title;
    li.appendChild(a);
    li.appendChild(document.createTextNode(" (" + kind + ")"));
    return li;
  }

  function show(data) {
    list.textContent = "";
    (data.articles || []).forEach(function (e) { list.appendChild(item(e, "help article")); });
    (data.topics || []).forEach(function (e) { list.appendChild(item(e, "solved topic")); });
    box.hidden = !list.children.length;
  }

  function lookup() {
    var q = title.value.trim();
    if (q === last || q.length < 4) return;
    last = q;
    fetch(box.dataset.url + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { articles: [], topics: [] }; })
      .then(show)
      .catch(function () {});
  }

  title.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 300);
  });
  // A title typed before this script ran (or kept after a refused post) gets its suggestions too.
  lookup();
})();
