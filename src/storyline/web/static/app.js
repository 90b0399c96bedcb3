// storyline web app: interactions only. Every page works without this file.
// Data from the store is only ever put into the page as text (textContent), never as markup.
"use strict";

(function () {
  var articles = {};

  function getJSON(url) {
    return fetch(url, {headers: {"Accept": "application/json"}}).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  }

  // --- a citation opens its sentence in context, without leaving the briefing -------------
  var panel = document.getElementById("cite-panel");
  var opener = null;

  function closePanel() {
    if (!panel || panel.hidden) return;
    panel.hidden = true;
    if (opener) opener.focus();
  }

  function showSentence(link, data, n) {
    var list = panel.querySelector(".context");
    list.textContent = "";
    var sentences = data.sentences || [];
    var first = Math.max(0, n - 2), last = Math.min(sentences.length - 1, n + 2);
    for (var i = first; i <= last; i++) {
      var li = document.createElement("li");
      li.value = i + 1;
      li.textContent = sentences[i];
      if (i === n) {
        li.className = "cited";
        li.setAttribute("aria-current", "true");
      }
      list.appendChild(li);
    }
    var source = (data.source || data.label || "outlet unknown") + (data.title ? " — " + data.title : "");
    panel.querySelector(".panel-source").textContent = source + " · sentence " + (n + 1) + " of " + sentences.length;
    panel.querySelector(".panel-open").setAttribute("href", link.getAttribute("href"));
    panel.hidden = false;
    opener = link;
    panel.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.cite[data-article]");
    if (!link || !panel || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    var id = link.getAttribute("data-article"), n = parseInt(link.getAttribute("data-sentence"), 10);
    if (!id || isNaN(n)) return;
    event.preventDefault();
    var got = articles[id] || (articles[id] = getJSON("/api/articles/" + encodeURIComponent(id)));
    got.then(function (data) {
      if (!data.sentences || n >= data.sentences.length) throw new Error("no such sentence");
      showSentence(link, data, n);
    }).catch(function () {
      delete articles[id];
      window.location.href = link.getAttribute("href");  // the article page shows it instead
    });
  });

  if (panel) {
    panel.querySelector("[data-close]").addEventListener("click", closePanel);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") closePanel();
    });
  }

  // --- a job's progress, polled; the page reloads when the job is done ---------------------
  var status = document.querySelector("[data-job]");
  if (status) {
    var job = status.getAttribute("data-job");
    var message = status.querySelector(".job-message");
    var state = status.querySelector(".state");
    var finished = state && (state.textContent === "done" || state.textContent === "failed");
    var poll = function () {
      getJSON("/api/jobs/" + encodeURIComponent(job)).then(function (data) {
        if (message) message.textContent = data.message;
        if (state) {
          state.textContent = data.state;
          state.className = "state state-" + data.state;
        }
        if (data.state === "done" || data.state === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      }).catch(function () { window.setTimeout(poll, 3000); });
    };
    if (!finished) window.setTimeout(poll, 800);
  }
})();
