/* Share packs (admin page and group heads' page): copy the text, or hand it to the phone's
   share sheet (Web Share API) where there is one. No inline script: the pages' CSP forbids it. */
(function () {
  "use strict";
  var status = document.getElementById("copy-status");

  function say(text) { if (status) status.textContent = text; }

  function afterShare() {
    var answer = document.getElementById("answer");
    if (answer && answer.scrollIntoView) answer.scrollIntoView({ behavior: "smooth", block: "start" });
    var group = document.getElementById("group");
    if (group) group.focus({ preventScroll: true });
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  function textOf(id) {
    var el = document.getElementById(id);
    return el ? el.textContent : "";
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = textOf(button.getAttribute("data-copy"));
      var done = function () { say("Đã sao chép. Hãy dán vào nhóm Zalo của bạn."); afterShare(); };
      var failed = function () {
        if (fallbackCopy(text)) { done(); } else { say("Không sao chép được. Bạn hãy giữ ngón tay lên nội dung để chọn và sao chép."); }
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, failed);
      } else {
        failed();
      }
    });
  });

  document.querySelectorAll("[data-share]").forEach(function (button) {
    if (!navigator.share) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.share({ text: textOf(button.getAttribute("data-share")) }).then(function () {
        say("Đã mở chia sẻ.");
        afterShare();
      }, function () { /* cancelled by the user: nothing to do */ });
    });
  });
})();
