(function () {
  "use strict";
  var log = document.getElementById("log");
  var form = document.getElementById("form");
  var input = document.getElementById("text");

  function add(cls, text) {
    var div = document.createElement("div");
    div.className = "msg " + cls;
    div.textContent = text;
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  function addChoices(choices) {
    if (!choices || !choices.length) return;
    var box = document.createElement("div");
    box.className = "choices";
    choices.forEach(function (c) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = c.label;
      b.addEventListener("click", function () { send({ text: c.payload }, c.label); });
      box.appendChild(b);
    });
    log.appendChild(box);
    log.scrollTop = log.scrollHeight;
  }

  function send(body, shown) {
    if (shown) add("me", shown);
    fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, data: data }; });
    }).then(function (res) {
      if (!res.ok) { add("err", res.data.error || "Có lỗi, bạn thử lại nhé."); return; }
      res.data.replies.forEach(function (reply) {
        add("loa", reply.text);
        addChoices(reply.choices);
      });
    }).catch(function () {
      add("err", "Không kết nối được với Loa. Bạn kiểm tra mạng rồi thử lại nhé.");
    });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ text: text }, text);
  });

  document.getElementById("loc").addEventListener("click", function () {
    if (!navigator.geolocation) { add("err", "Trình duyệt không hỗ trợ gửi vị trí."); return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      send({ location: { latitude: pos.coords.latitude, longitude: pos.coords.longitude } }, "📍 Vị trí của tôi");
    }, function () { add("err", "Không lấy được vị trí. Bạn có thể gõ tên xã/phường."); });
  });

  // A poster's QR code opens /chat?u=<commune>: count this browser's first such visit, once,
  // with no cookie and no identifier (a localStorage flag remembers it was counted).
  (function countQrVisit() {
    var unit = new URLSearchParams(window.location.search).get("u");
    if (!unit) return;
    try {
      if (window.localStorage.getItem("loa_qr_seen")) return;
      window.localStorage.setItem("loa_qr_seen", "1");
    } catch (e) { return; }
    fetch("/api/qr-visit", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "omit",
      body: JSON.stringify({ u: unit.slice(0, 80) })
    }).catch(function () { /* counting must never disturb the chat */ });
  })();

  send({ text: "/start" });
})();
