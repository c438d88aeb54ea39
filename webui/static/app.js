// govsearch: small enhancements; every page works without them.

function isTyping(target) {
  return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" ||
                    target.tagName === "SELECT" || target.isContentEditable);
}

// Keyboard: "/" focuses the search box unless the user is typing already.
document.addEventListener("keydown", function (event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  if (isTyping(event.target)) return;
  var box = document.getElementById("q");
  if (box) { event.preventDefault(); box.focus(); box.select(); }
});

// Report page: step through the highlighted matches (上一处 / 下一处, keys n / p).
document.addEventListener("DOMContentLoaded", function () {
  var nav = document.getElementById("hitnav");
  var marks = Array.prototype.slice.call(document.querySelectorAll(".fulltext mark[id]"));
  var prev = document.getElementById("prev-mark");
  var next = document.getElementById("next-mark");
  var counter = document.getElementById("mark-counter");
  if (!nav || !marks.length || !prev || !next || !counter) return;
  var n = marks.length;
  var current = -1;

  function go(i) {
    if (current >= 0) marks[current].classList.remove("current");
    current = (i % n + n) % n;
    var mark = marks[current];
    mark.classList.add("current");
    counter.textContent = "第 " + (current + 1) + "/" + n + " 处";
    prev.href = "#" + marks[(current - 1 + n) % n].id;
    next.href = "#" + marks[(current + 1) % n].id;
    mark.scrollIntoView({block: "center", inline: "nearest"});
    if (window.history && history.replaceState) history.replaceState(null, "", "#" + mark.id);
  }
  function back() { go(current < 0 ? n - 1 : current - 1); }
  function forward() { go(current + 1); }

  prev.addEventListener("click", function (event) { event.preventDefault(); back(); });
  next.addEventListener("click", function (event) { event.preventDefault(); forward(); });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    if (event.key === "n") { event.preventDefault(); forward(); }
    else if (event.key === "p") { event.preventDefault(); back(); }
  });
  var linked = /^#m(\d+)$/.exec(window.location.hash);
  if (linked && +linked[1] >= 1 && +linked[1] <= n) go(+linked[1] - 1);
});

// Small screens: the facets wait behind 筛选 so that the results come first.
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.getElementById("facet-toggle");
  var facets = document.getElementById("facets");
  if (!toggle || !facets) return;
  toggle.addEventListener("click", function () {
    var open = facets.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
});

// Report page: 复制 puts a citation on the clipboard (the text stays selectable without it).
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("button.copy") : null;
  if (!button) return;
  var source = document.getElementById(button.getAttribute("data-copy"));
  if (!source) return;
  var text = source.textContent;
  function done(ok) {
    button.textContent = ok ? "已复制" : "请手动复制";
    setTimeout(function () { button.textContent = "复制"; }, 2000);
  }
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
  } else {
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    done(document.execCommand && document.execCommand("copy"));
  }
});
