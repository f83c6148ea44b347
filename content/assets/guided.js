/* Guided practice mode: one step at a time, in large text, on every practice page.
 *
 * Without this script the numbered list of steps is the practice; the Start button exists
 * only when the script runs. The steps are read from that list, so there is one copy of
 * the words. The mode is a native <dialog>: the browser keeps focus inside it and Escape
 * leaves it. Read-aloud uses the browser's own speech synthesis, and only voices that run
 * on the device (nothing leaves the reader's machine). The timer never moves on by itself.
 * Loaded only on practice pages; its words come from #guided-strings (locales/<lang>.yaml).
 */
(function () {
  "use strict";
  var words = document.getElementById("guided-strings");
  var main = document.getElementById("main-content");
  if (!words || !main || typeof HTMLDialogElement !== "function") return;
  var t = words.dataset;
  var TIMER_SECONDS = 30;

  function stepsList() {
    var headings = main.querySelectorAll("h2");
    for (var i = 0; i < headings.length; i++) {
      if (headings[i].textContent.trim() !== t.stepsHeading) continue;
      for (var el = headings[i].nextElementSibling; el && el.tagName !== "H2"; el = el.nextElementSibling) {
        if (el.tagName === "OL") return el;
      }
    }
    return null;
  }

  var list = stepsList();
  if (!list) return;
  var steps = Array.prototype.map.call(list.children, function (item) {
    var copy = item.cloneNode(true);
    copy.querySelectorAll("sup.citations").forEach(function (sup) { sup.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }).filter(Boolean);
  if (!steps.length) return;

  function make(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) { return key in values ? String(values[key]) : whole; });
  }

  var start = make("button", "guided-start", t.start);
  start.type = "button";
  list.parentNode.insertBefore(start, list);

  var dialog = make("dialog", "guided");
  dialog.setAttribute("aria-label", t.label);
  dialog.lang = document.documentElement.lang;
  var close = make("button", "guided__close", t.close);
  close.type = "button";
  var counter = make("p", "guided__counter");
  var text = make("p", "guided__step");
  text.tabIndex = -1;
  var tools = make("div", "guided__tools");
  var read = make("button", "guided__read", t.read);
  read.type = "button";
  read.hidden = true;
  var timer = make("button", "guided__timer", fill(t.timer, { n: TIMER_SECONDS }));
  timer.type = "button";
  var status = make("p", "guided__status");
  status.setAttribute("role", "status");
  var moves = make("div", "guided__moves");
  var back = make("button", "guided__back", t.back);
  back.type = "button";
  var next = make("button", "guided__next", t.next);
  next.type = "button";
  tools.append(read, timer);
  moves.append(back, next);
  dialog.append(close, counter, text, tools, status, moves);
  document.body.appendChild(dialog);

  var at = 0;
  var done = false;
  var ticking = null;

  function stopTimer() {
    if (ticking) clearInterval(ticking);
    ticking = null;
    timer.setAttribute("aria-pressed", "false");
    status.textContent = "";
  }
  function stopReading() {
    if (window.speechSynthesis) window.speechSynthesis.cancel();
    read.textContent = t.read;
    read.setAttribute("aria-pressed", "false");
  }
  function show(index) {
    stopTimer();
    stopReading();
    done = index >= steps.length;
    at = Math.min(index, steps.length - 1);
    counter.textContent = done ? "" : fill(t.step, { n: at + 1, total: steps.length });
    text.textContent = done ? t.done : steps[at];
    back.disabled = at === 0 && !done;
    next.textContent = done ? t.close : at === steps.length - 1 ? t.finish : t.next;
    tools.hidden = done;
    text.focus();
  }

  /* Voices that run on the device only: a network voice would send the reader's words away. */
  function localVoice() {
    if (!window.speechSynthesis || typeof SpeechSynthesisUtterance !== "function") return null;
    var lang = (document.documentElement.lang || "").toLowerCase().split("-")[0];
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].localService && voices[i].lang && voices[i].lang.toLowerCase().split(/[-_]/)[0] === lang) return voices[i];
    }
    return null;
  }
  function offerReading() { read.hidden = !localVoice(); }
  if (window.speechSynthesis) {
    offerReading();
    if (window.speechSynthesis.addEventListener) window.speechSynthesis.addEventListener("voiceschanged", offerReading);
  }

  read.addEventListener("click", function () {
    if (read.getAttribute("aria-pressed") === "true") { stopReading(); return; }
    var voice = localVoice();
    if (!voice) return;
    var utterance = new SpeechSynthesisUtterance(text.textContent);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.9;
    utterance.onend = function () { read.textContent = t.read; read.setAttribute("aria-pressed", "false"); };
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(utterance);
    read.textContent = t.stop;
    read.setAttribute("aria-pressed", "true");
  });

  timer.addEventListener("click", function () {
    if (ticking) { stopTimer(); return; }
    var left = TIMER_SECONDS;
    timer.setAttribute("aria-pressed", "true");
    status.textContent = fill(t.timerLeft, { n: left });
    ticking = setInterval(function () {
      left -= 1;
      if (left > 0) {
        /* Say the time every 10 seconds, not every second, so a screen reader stays calm. */
        if (left % 10 === 0 || left <= 3) status.textContent = fill(t.timerLeft, { n: left });
        return;
      }
      clearInterval(ticking);
      ticking = null;
      timer.setAttribute("aria-pressed", "false");
      status.textContent = t.timerDone;
    }, 1000);
  });

  back.addEventListener("click", function () { show(done ? steps.length - 1 : at - 1); });
  next.addEventListener("click", function () {
    if (done) dialog.close();
    else show(at + 1);
  });
  close.addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("close", function () {
    stopTimer();
    stopReading();
    document.documentElement.classList.remove("guided-open");
    start.focus();
  });
  start.addEventListener("click", function () {
    document.documentElement.classList.add("guided-open");
    dialog.showModal();
    show(0);
  });
})();
