(function () {
  "use strict";
  var end = +document.body.getAttribute("data-end") / 1000;
  var plots = document.querySelectorAll("svg.plot");
  var z0 = document.getElementById("z0"), z1 = document.getElementById("z1");
  var tip = document.getElementById("tip");
  var ns = "http://www.w3.org/2000/svg";

  function clock(s) {
    s = Math.floor(s);
    var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), x = s % 60;
    return h + ":" + (m < 10 ? "0" : "") + m + ":" + (x < 10 ? "0" : "") + x;
  }

  // Zoom: every plot shows the same slice of the time axis.
  function zoom() {
    var a = +z0.value, b = +z1.value;
    if (b - a < 5) {
      if (this === z0) { a = Math.min(a, 995); b = a + 5; z1.value = b; } else { b = Math.max(b, 5); a = b - 5; z0.value = a; }
    }
    for (var i = 0; i < plots.length; i++) {
      plots[i].setAttribute("viewBox", a + " 0 " + (b - a) + " " + plots[i].getAttribute("data-h"));
    }
    ticks(a, b);
  }

  function ticks(a, b) {
    var axis = document.querySelector(".axis");
    var n = 8, html = "";
    for (var i = 0; i <= n; i++) {
      var u = a + (b - a) * i / n;
      html += '<span style="left:' + (100 * i / n) + '%">' + clock(end * u / 1000) + "</span>";
    }
    axis.innerHTML = html;
  }

  z0.addEventListener("input", zoom);
  z1.addEventListener("input", zoom);
  document.getElementById("zr").addEventListener("click", function () { z0.value = 0; z1.value = 1000; zoom(); });

  // Tooltips from data-tip.
  document.addEventListener("mouseover", function (e) {
    var el = e.target.closest ? e.target.closest("[data-tip]") : null;
    if (!el) { tip.hidden = true; return; }
    tip.textContent = el.getAttribute("data-tip");
    tip.hidden = false;
    place(e);
  });
  document.addEventListener("mousemove", function (e) { if (!tip.hidden) { place(e); } });
  function place(e) {
    var x = e.clientX + 12, y = e.clientY + 12;
    if (x + tip.offsetWidth > window.innerWidth) { x = e.clientX - tip.offsetWidth - 8; }
    if (y + tip.offsetHeight > window.innerHeight) { y = e.clientY - tip.offsetHeight - 8; }
    tip.style.left = Math.max(0, x) + "px";
    tip.style.top = Math.max(0, y) + "px";
  }

  // An event or an expectation marks its time on every chart.
  document.addEventListener("click", function (e) {
    var el = e.target.closest ? e.target.closest("li[data-x],tr[data-x]") : null;
    if (!el) { return; }
    var sel = document.querySelectorAll(".sel");
    for (var i = 0; i < sel.length; i++) { sel[i].classList.remove("sel"); }
    el.classList.add("sel");
    var x = el.getAttribute("data-x");
    for (var j = 0; j < plots.length; j++) {
      var c = plots[j].querySelector("line.cursor");
      if (!c) {
        c = document.createElementNS(ns, "line");
        c.setAttribute("class", "cursor");
        c.setAttribute("y1", "0");
        c.setAttribute("y2", plots[j].getAttribute("data-h"));
        plots[j].appendChild(c);
      }
      c.setAttribute("x1", x);
      c.setAttribute("x2", x);
    }
  });

  ticks(0, 1000);
})();
