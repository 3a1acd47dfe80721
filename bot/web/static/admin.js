// Loa admin: a few progressive enhancements in plain JavaScript (no framework, no build).
// Every page works without it; these only make the forms friendlier.
(function () {
  "use strict";

  // <form data-confirm="..."> asks before submitting (cancel, reject, bulk changes).
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    var q = form.getAttribute("data-confirm");
    if (q && !window.confirm(q)) { ev.preventDefault(); }
  });

  // <form data-download data-busy="TEXT">: fetch the file in the background and show TEXT on
  // the button until it arrives (reports take seconds); on an error page, navigate as usual.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (ev.defaultPrevented) { return; }
    if (!form.hasAttribute("data-download") || !window.fetch) {
      // A long POST (an import): say it is working; the answer replaces the page.
      var b = form.getAttribute("data-busy") && form.querySelector("button[type=submit]");
      if (b) { setTimeout(function () { b.disabled = true; b.textContent = form.getAttribute("data-busy"); }, 0); }
      return;
    }
    ev.preventDefault();
    var button = form.querySelector("button[type=submit]");
    var label = button ? button.textContent : "";
    var url = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
    if (button) { button.disabled = true; button.textContent = form.getAttribute("data-busy") || "…"; }
    function done() { if (button) { button.disabled = false; button.textContent = label; } }
    fetch(url, { credentials: "same-origin" }).then(function (r) {
      var cd = r.headers.get("Content-Disposition") || "";
      if (!r.ok || cd.indexOf("attachment") < 0) { window.location.href = url; return; }
      var m = /filename\*=UTF-8''([^;]+)/.exec(cd);
      var name = m ? decodeURIComponent(m[1]) : "bao-cao";
      return r.blob().then(function (blob) {
        var a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = name;
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
        done();
      });
    }).catch(function () { done(); window.location.href = url; });
  });

  // Elements with data-live="URL" and data-from="FORM_ID": when the form changes, fetch
  // URL?<form fields> and put the returned HTML fragment inside the element.
  // With data-live-method="post" the fields (CSRF token included) are POSTed instead: used
  // where the server renders officer text, which must never happen on a GET.
  function wireLive(el) {
    var form = document.getElementById(el.getAttribute("data-from"));
    if (!form) { return; }
    var timer = null;
    function request() {
      var params = new URLSearchParams(new FormData(form));
      if (el.getAttribute("data-live-method") === "post") {
        return fetch(el.getAttribute("data-live"), { method: "POST", body: params, credentials: "same-origin" });
      }
      params.delete("csrf");
      return fetch(el.getAttribute("data-live") + "?" + params.toString(), { credentials: "same-origin" });
    }
    function refresh() {
      request()
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) { el.innerHTML = html; })
        .catch(function () { /* keep the last value; the server checks again on submit */ });
    }
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 300); });
    form.addEventListener("change", refresh);
  }

  // Elements with data-poll="URL" and data-every="SECONDS": replace their HTML periodically.
  function wirePoll(el) {
    var every = Math.max(2, parseInt(el.getAttribute("data-every") || "5", 10)) * 1000;
    setInterval(function () {
      if (document.hidden) { return; }
      fetch(el.getAttribute("data-poll"), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) { el.innerHTML = html; })
        .catch(function () {});
    }, every);
  }

  // <input type=checkbox data-check-all="NAME"> toggles every checkbox named NAME.
  document.addEventListener("change", function (ev) {
    var name = ev.target.getAttribute && ev.target.getAttribute("data-check-all");
    if (!name) { return; }
    document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
      box.checked = ev.target.checked;
    });
  });

  // Tables: give every cell its column title (data-label), shown above the value when the
  // CSS turns rows into cards on a phone. Cells that already have one keep it.
  function labelCells(table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (td, i) {
        if (!td.hasAttribute("data-label") && heads[i] !== undefined) { td.setAttribute("data-label", heads[i]); }
      });
    });
  }
  document.querySelectorAll(".table-wrap table").forEach(labelCells);

  // The menu: keep the current page in view, and drop the fade once scrolled to the end.
  var menu = document.querySelector("nav.menu");
  if (menu) {
    var current = menu.querySelector("[aria-current]");
    if (current && current.scrollIntoView) { current.scrollIntoView({ block: "nearest", inline: "center" }); }
    var edge = function () { menu.classList.toggle("at-end", menu.scrollLeft + menu.clientWidth >= menu.scrollWidth - 4); };
    menu.addEventListener("scroll", edge);
    edge();
  }

  document.querySelectorAll("[data-live]").forEach(wireLive);
  document.querySelectorAll("[data-poll]").forEach(wirePoll);
})();
