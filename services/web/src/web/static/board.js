// The pipeline board's drag and drop and the dashboard's chart. Whether a move is allowed is
// the gateway's answer: on a refusal the card goes back where it was and the panel lists why.
(function () {
  "use strict";

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || ""; }
    catch (e) { return ""; }
  }

  function fragment(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    return t.content;
  }

  function initBoard(board) {
    var panel = document.getElementById("move-result");

    function putBack(card, list, index) {
      var ref = list.children[index] || null;
      if (ref === card) return;
      list.insertBefore(card, ref);
    }

    function show(content) {
      panel.replaceChildren(content);
      var focus = panel.querySelector("[tabindex]");
      if (focus) focus.focus();
    }

    // Sends the move; the card is already shown in its new column and goes back on anything but success.
    function move(card, stage, undo) {
      var body = new FormData();
      body.append("opportunity_id", card.dataset.id);
      body.append("from_stage", card.dataset.stage);
      body.append("stage", stage);
      body.append("back", board.dataset.query || "");
      card.setAttribute("aria-busy", "true");
      fetch("/board/move", {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRF-Token": csrfToken(), "HX-Request": "true" }
      }).then(function (response) {
        return response.text().then(function (html) { return { response: response, html: html }; });
      }).then(function (answer) {
        card.removeAttribute("aria-busy");
        var redirect = answer.response.headers.get("HX-Redirect");
        if (redirect) { window.location.href = redirect; return; }
        var content = fragment(answer.html);
        if (answer.response.status !== 200) { undo(); show(content); return; }
        var fresh = content.querySelector(".board-card");
        content.querySelectorAll("[data-oob][id]").forEach(function (el) {
          var old = document.getElementById(el.id);
          if (old) old.replaceWith(el);
        });
        card.replaceWith(fresh);
        var done = content.querySelector("#move-done");
        panel.replaceChildren();
        if (done) panel.appendChild(done);
        fresh.focus();
      }).catch(function () {
        card.removeAttribute("aria-busy");
        undo();
        var p = document.createElement("p");
        p.className = "problem";
        p.setAttribute("role", "alert");
        p.textContent = board.dataset.offline;
        show(p);
      });
    }

    board.querySelectorAll(".board-cards").forEach(function (list) {
      window.Sortable.create(list, {
        group: "board", draggable: ".board-card", animation: 150,
        forceFallback: true, fallbackOnBody: true,  // mouse and touch alike, the same on every browser
        delay: 200, delayOnTouchOnly: true,  // on a phone a quick swipe scrolls the columns; a long press drags
        filter: "select, button, input, label, a", preventOnFilter: false,
        onEnd: function (evt) {
          if (evt.from === evt.to) return;  // the order within a column means nothing
          var from = evt.from, index = evt.oldIndex;
          move(evt.item, evt.to.dataset.stage, function () { putBack(evt.item, from, index); });
        }
      });
    });

    // The keyboard way: the card's own "move to stage" form, sent the same way as a drop.
    board.addEventListener("submit", function (e) {
      var form = e.target.closest("form.move");
      if (!form) return;
      e.preventDefault();
      var card = form.closest(".board-card");
      var stage = form.elements.stage.value;
      var target = Array.prototype.find.call(board.querySelectorAll(".board-cards"), function (l) {
        return l.dataset.stage === stage;
      });
      var from = card.parentElement;
      var index = Array.prototype.indexOf.call(from.children, card);
      if (target) target.insertBefore(card, target.firstChild);
      move(card, stage, function () {
        putBack(card, from, index);
        var select = card.querySelector("select");
        if (select && !panel.querySelector("[tabindex]")) select.focus();
      });
    });
  }

  function initChart(box) {
    var data = JSON.parse(document.getElementById("stage-chart-data").textContent);
    var labels = JSON.parse(box.dataset.labels);
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: "category", data: data.stages },
      yAxis: [{ type: "value", name: "元" }, { type: "value", name: labels.count, minInterval: 1 }],
      series: [
        { name: labels.amount, type: "bar", data: data.amount },
        { name: labels.weighted, type: "bar", data: data.weighted },
        { name: labels.count, type: "line", yAxisIndex: 1, data: data.count }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    var board = document.getElementById("board");
    if (board && window.Sortable) initBoard(board);
    var chart = document.getElementById("stage-chart");
    if (chart && window.echarts) initChart(chart);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
